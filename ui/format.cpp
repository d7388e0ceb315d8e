// SPDX-License-Identifier: GPL-3.0-or-later
#include "format.h"

#include "identity/users.h"

#include <QDateTime>
#include <QHash>
#include <QLocale>

using namespace Qt::StringLiterals;

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
        {u"email"_s, u"Email code"_s},     {u"phone"_s, u"SMS code"_s},
        {u"google"_s, u"Google"_s},        {u"twitter"_s, u"Twitter / X"_s},
        {u"telegram"_s, u"Telegram"_s},    {u"apple"_s, u"Apple"_s},
        {u"solana"_s, u"Solana wallet"_s}, {u"ethereum"_s, u"Ethereum wallet"_s}};
    return names.value(kind, kind + u" (OpenID Connect)"_s);
}

QString Format::dateTime(qint64 ms)
{
    if (ms <= 0)
        return u"—"_s;
    return QDateTime::fromMSecsSinceEpoch(ms).toString(u"yyyy-MM-dd HH:mm:ss"_s);
}

QString Format::shortDateTime(qint64 ms)
{
    if (ms <= 0)
        return u"—"_s;
    return QDateTime::fromMSecsSinceEpoch(ms).toString(u"yyyy-MM-dd HH:mm"_s);
}

QString Format::duration(qint64 ms)
{
    const qint64 s = qMax<qint64>(0, ms / 1000);
    if (s < 60)
        return u"%1 s"_s.arg(s);
    if (s < 3600)
        return u"%1 min"_s.arg(s / 60);
    if (s < 86400)
        return u"%1 h %2 min"_s.arg(s / 3600).arg((s % 3600) / 60);
    return u"%1 d %2 h"_s.arg(s / 86400).arg((s % 86400) / 3600);
}

QString Format::relative(qint64 ms, qint64 nowMs)
{
    if (ms <= 0)
        return u"—"_s;
    // One unit is enough at a glance: "in 14 d", "2 h ago".
    const qint64 s = qAbs(ms - nowMs) / 1000;
    const QString span = s < 60      ? u"%1 s"_s.arg(s)
                         : s < 3600  ? u"%1 min"_s.arg(s / 60)
                         : s < 86400 ? u"%1 h"_s.arg(s / 3600)
                                     : u"%1 d"_s.arg(s / 86400);
    return ms >= nowMs ? u"in "_s + span : span + u" ago"_s;
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
