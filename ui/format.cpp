// SPDX-License-Identifier: GPL-3.0-or-later
#include "format.h"

#include "identity/users.h"

#include <QDateTime>
#include <QHash>
#include <QLocale>

QString Format::userName(const User &u)
{
    if (!u.username.isEmpty())
        return u.username;
    if (!u.email.isEmpty())
        return u.email;
    if (!u.displayName.isEmpty())
        return u.displayName;
    return u.id.left(8);
}

QString Format::identityKind(const QString &kind)
{
    static const QHash<QString, QString> names = {
        {u"email"_qs, u"Email code"_qs},     {u"phone"_qs, u"SMS code"_qs},
        {u"google"_qs, u"Google"_qs},        {u"twitter"_qs, u"Twitter / X"_qs},
        {u"telegram"_qs, u"Telegram"_qs},    {u"apple"_qs, u"Apple"_qs},
        {u"solana"_qs, u"Solana wallet"_qs}, {u"ethereum"_qs, u"Ethereum wallet"_qs}};
    return names.value(kind, kind + u" (OpenID Connect)"_qs);
}

QString Format::dateTime(qint64 ms)
{
    if (ms <= 0)
        return QStringLiteral("—");
    return QDateTime::fromMSecsSinceEpoch(ms).toString(u"yyyy-MM-dd HH:mm:ss"_qs);
}

QString Format::shortDateTime(qint64 ms)
{
    if (ms <= 0)
        return QStringLiteral("—");
    return QDateTime::fromMSecsSinceEpoch(ms).toString(u"yyyy-MM-dd HH:mm"_qs);
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
    // One unit is enough at a glance: "in 14 d", "2 h ago".
    const qint64 s = qAbs(ms - nowMs) / 1000;
    const QString span = s < 60      ? QStringLiteral("%1 s").arg(s)
                         : s < 3600  ? QStringLiteral("%1 min").arg(s / 60)
                         : s < 86400 ? QStringLiteral("%1 h").arg(s / 3600)
                                     : QStringLiteral("%1 d").arg(s / 86400);
    return ms >= nowMs ? u"in "_qs + span : span + u" ago"_qs;
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
