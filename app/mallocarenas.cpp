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

void trimMallocSoon()
{
#ifdef __GLIBC__
    QTimer::singleShot(300, qApp, [] { malloc_trim(0); }); // after the first requests' set-up
#endif
}
