// SPDX-License-Identifier: GPL-3.0-or-later
#include "tokencommand.h"

#include "runtime.h"
#include "services.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace {

const QString kUsage =
    u"usage: gatehouse token list [--kind KIND] [--user NAME|ID] [--all] [--limit N]\n"
    u"       gatehouse token revoke ID"_s;

QString when(qint64 ms)
{
    return ms <= 0 ? u"-"_s
                   : QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(u"yyyy-MM-dd HH:mm"_s);
}

QString stateOf(const IssuedToken &t, qint64 now)
{
    if (t.revokedAt != 0)
        return u"revoked"_s;
    return t.expiresAt <= now ? u"expired"_s : u"live"_s;
}

int list(Services &services, const QStringList &args)
{
    TokenFilter filter;
    filter.limit = 1000;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &a = args[i];
        const bool hasValue = i + 1 < args.size();
        if (a == u"--kind" && hasValue) {
            filter.kind = args[++i];
        } else if (a == u"--user" && hasValue) {
            const QString who = args[++i];
            const auto user =
                services.users.byId(who) ? services.users.byId(who) : services.users.byLogin(who);
            if (!user) {
                printError(u"no user %1"_s.arg(who));
                return 1;
            }
            filter.userId = user->id;
        } else if (a == u"--all") {
            filter.liveOnly = false;
        } else if (a == u"--limit" && hasValue) {
            bool ok = false;
            filter.limit = args[++i].toInt(&ok);
            if (!ok || filter.limit < 1) {
                printError(kUsage);
                return 2;
            }
        } else {
            printError(kUsage);
            return 2;
        }
    }
    const qint64 now = services.clock.nowMs();
    const QString row = u"%1  %2  %3  %4  %5  %6  %7  %8"_s;
    printLine(row.arg(u"ID"_s, -36)
                  .arg(u"KIND"_s, -14)
                  .arg(u"USER"_s, -20)
                  .arg(u"LABEL"_s, -20)
                  .arg(u"CREATED"_s, -16)
                  .arg(u"LAST USED"_s, -16)
                  .arg(u"EXPIRES"_s, -16)
                  .arg(u"STATE"_s));
    QHash<QString, QString> names;
    for (const IssuedToken &t : services.tokens.list(filter)) {
        if (!names.contains(t.userId)) {
            const auto user = services.users.byId(t.userId);
            names.insert(t.userId, user ? (user->username.isEmpty() ? user->email : user->username)
                                        : t.userId.left(8));
        }
        printLine(row.arg(t.id, -36)
                      .arg(t.kind, -14)
                      .arg(names.value(t.userId).left(20), -20)
                      .arg(t.label.left(20), -20)
                      .arg(when(t.createdAt), -16)
                      .arg(when(t.lastUsedAt), -16)
                      .arg(when(t.expiresAt), -16)
                      .arg(stateOf(t, now)));
    }
    return 0;
}

int revoke(Services &services, const QString &id)
{
    const auto token = services.tokens.byId(id);
    if (!token) {
        printError(u"no token with id %1"_s.arg(id));
        return 1;
    }
    if (!services.tokens.revoke(id)) {
        printError(u"token %1 was already revoked"_s.arg(id));
        return 1;
    }
    services.audit.record({.actor = u"cli"_s,
                           .action = u"token.revoke"_s,
                           .subject = id,
                           .surface = u"cli"_s,
                           .ip = u"local"_s,
                           .result = u"ok"_s,
                           .detail = token->kind + u" of "_s + token->userId});
    printLine(u"revoked %1 (%2)"_s.arg(id, token->kind));
    return 0;
}

} // namespace

int runTokenCommand(Services &services, const QStringList &args)
{
    const QString verb = args.value(0);
    if (verb == u"list")
        return list(services, args.mid(1));
    if (verb == u"revoke" && args.size() == 2)
        return revoke(services, args[1]);
    printError(kUsage);
    return 2;
}
