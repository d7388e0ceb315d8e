// SPDX-License-Identifier: GPL-3.0-or-later
#include "tokencommand.h"

#include "args.h"
#include "runtime.h"
#include "services.h"

#include <QDateTime>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace {

const QString kCommand = u"token"_s;

const QStringList &kinds()
{
    static const QStringList all = {TokenKind::refresh, TokenKind::device, TokenKind::apiToken,
                                    TokenKind::wallet};
    return all;
}

const QList<VerbSpec> &verbs()
{
    static const QList<VerbSpec> list = {
        {u"list"_s,
         QString(),
         u"list live tokens and sessions (never the tokens themselves)"_s,
         {{u"--kind"_s, u"KIND"_s, u"only this kind: "_s + kinds().join(u", "_s)},
          {u"--user"_s, u"NAME|ID"_s, u"only this user's"_s},
          {u"--all"_s, QString(), u"revoked and expired ones too"_s},
          {u"--limit"_s, u"N"_s, u"at most N (1 to 100000, default 1000)"_s},
          {u"--json"_s, QString(), u"a JSON array instead of a table"_s}}},
        {u"revoke"_s, u"ID"_s, u"revoke one token or session by its id"_s, {}},
    };
    return list;
}

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

QJsonObject tokenJson(const IssuedToken &t, const QString &user, qint64 now)
{
    return {{u"id"_s, t.id},
            {u"kind"_s, t.kind},
            {u"userId"_s, t.userId},
            {u"user"_s, user},
            {u"label"_s, t.label},
            {u"state"_s, stateOf(t, now)},
            {u"createdAt"_s, jsonTime(t.createdAt)},
            {u"lastUsedAt"_s, jsonTime(t.lastUsedAt)},
            {u"expiresAt"_s, jsonTime(t.expiresAt)},
            {u"revokedAt"_s, jsonTime(t.revokedAt)}};
}

void printTable(const QList<IssuedToken> &tokens, const QHash<QString, QString> &names, qint64 now)
{
    const QString row = u"%1  %2  %3  %4  %5  %6  %7  %8"_s;
    printLine(row.arg(u"ID"_s, -36)
                  .arg(u"KIND"_s, -14)
                  .arg(u"USER"_s, -20)
                  .arg(u"LABEL"_s, -20)
                  .arg(u"CREATED"_s, -16)
                  .arg(u"LAST USED"_s, -16)
                  .arg(u"EXPIRES"_s, -16)
                  .arg(u"STATE"_s));
    for (const IssuedToken &t : tokens)
        printLine(row.arg(t.id, -36)
                      .arg(t.kind, -14)
                      .arg(names.value(t.userId).left(20), -20)
                      .arg(t.label.left(20), -20)
                      .arg(when(t.createdAt), -16)
                      .arg(when(t.lastUsedAt), -16)
                      .arg(when(t.expiresAt), -16)
                      .arg(stateOf(t, now)));
}

int list(Services &services, const ParsedArgs &args)
{
    if (!args.positional.isEmpty())
        return usageError(u"token list takes no arguments"_s, kCommand);
    TokenFilter filter;
    filter.kind = args.value(u"--kind"_s);
    if (args.has(u"--kind"_s) && !kinds().contains(filter.kind))
        return usageError(
            u"--kind must be one of %1, not '%2'"_s.arg(kinds().join(u", "_s), filter.kind),
            kCommand);
    filter.liveOnly = !args.has(u"--all"_s);
    const auto limit = intOption(args, u"--limit"_s, 1000, 1, 100000, kCommand);
    if (!limit)
        return 2;
    filter.limit = *limit;
    if (args.has(u"--user"_s)) {
        const QString who = args.value(u"--user"_s);
        const auto user =
            services.users.byId(who) ? services.users.byId(who) : services.users.byLogin(who);
        if (!user) {
            printError(u"no user %1"_s.arg(who));
            return 1;
        }
        filter.userId = user->id;
    }
    const qint64 now = services.clock.nowMs();
    const QList<IssuedToken> tokens = services.tokens.list(filter);
    QHash<QString, QString> names;
    for (const IssuedToken &t : tokens) {
        if (names.contains(t.userId))
            continue;
        const auto user = services.users.byId(t.userId);
        names.insert(t.userId, user ? (user->username.isEmpty() ? user->email : user->username)
                                    : t.userId.left(8));
    }
    if (!args.has(u"--json"_s)) {
        printTable(tokens, names, now);
        return 0;
    }
    QJsonArray rows;
    for (const IssuedToken &t : tokens)
        rows.append(tokenJson(t, names.value(t.userId), now));
    printJson(rows);
    return 0;
}

int revoke(Services &services, const ParsedArgs &args)
{
    if (args.positional.size() != 1)
        return usageError(u"token revoke takes one ID"_s, kCommand);
    const QString id = args.positional.first();
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

QString tokenHelp()
{
    return commandHelp(kCommand, u"List and revoke the tokens and sessions every surface issued."_s,
                       verbs());
}

int runTokenCommand(Services &services, const QStringList &arguments)
{
    const VerbCall call = parseVerb(verbs(), arguments, kCommand);
    if (!call.verb)
        return call.exitCode;
    const VerbSpec *verb = call.verb;
    const ParsedArgs &args = call.args;
    return verb->name == u"list" ? list(services, args) : revoke(services, args);
}
