// SPDX-License-Identifier: GPL-3.0-or-later
#include "format.h"

#include <QDateTime>
#include <QLocale>

QString Format::dateTime(qint64 ms)
{
    if (ms <= 0)
        return QStringLiteral("—");
    return QDateTime::fromMSecsSinceEpoch(ms).toString(u"yyyy-MM-dd HH:mm:ss"_qs);
}

QString Format::duration(qint64 ms)
{
    const qint64 s = qMax<qint64>(0, ms / 1000);
    if (s < 60)
        return QStringLiteral("%1 s").arg(s);
    if (s < 3600)
        return QStringLiteral("%1 min").arg(s / 60);
    if (s < 86400)
        return QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
    return QStringLiteral("%1 d %2 h").arg(s / 86400).arg((s % 86400) / 3600);
}

QString Format::relative(qint64 ms, qint64 nowMs)
{
    if (ms <= 0)
        return QStringLiteral("—");
    return ms >= nowMs ? u"in "_qs + duration(ms - nowMs) : duration(nowMs - ms) + u" ago"_qs;
}

QString Format::items(qint64 n, const QString &one, const QString &many)
{
    return count(n) + u' ' + (n == 1 ? one : many);
}

QString Format::count(qint64 n)
{
    static const QLocale english(QLocale::English);
    return english.toString(n);
}
