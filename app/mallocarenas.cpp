// SPDX-License-Identifier: GPL-3.0-or-later
#include "mallocarenas.h"

#include <QCoreApplication>
#include <QTimer>

#ifdef __GLIBC__
#include <malloc.h>
#endif

void limitMallocArenas()
{
#ifdef __GLIBC__
    mallopt(M_ARENA_MAX, 2);
#endif
}

void trimMallocSoon(std::function<void()> release)
{
    // After the first requests' set-up.
    QTimer::singleShot(300, qApp, [release = std::move(release)] {
        if (release)
            release();
#ifdef __GLIBC__
        malloc_trim(0);
#endif
    });
}
