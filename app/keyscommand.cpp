// SPDX-License-Identifier: GPL-3.0-or-later
#include "keyscommand.h"

#include "args.h"
#include "refusal.h"
#include "runtime.h"
#include "services.h"
#include "storage/storageerror.h"

#include <QDateTime>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace {

const QString kCommand = u"keys"_s;

const QList<VerbSpec> &verbs()
{
    const OptionSpec json{u"--json"_s, QString(), u"a JSON array instead of a table"_s};
    static const QList<VerbSpec> list = {
        {u"list"_s, QString(), u"signing keys: kid, algorithm, created, retired"_s, {json}},
        {u"rotate"_s,
         QString(),
         u"new current RS256 and ES256 keys; the old ones stay published for the overlap"_s,
         {json}},
    };
    return list;
}

QString when(qint64 ms)
{
    return ms == 0 ? u"-"_s
                   : QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(u"yyyy-MM-dd HH:mm"_s);
}

QJsonObject jsonKey(const SigningKeys::KeyInfo &key)
{
    return {{u"kid"_s, key.kid},
            {u"alg"_s, key.alg},
            {u"createdAt"_s, jsonTime(key.createdAt)},
            {u"retiredAt"_s, jsonTime(key.retiredAt)},
            {u"publishedUntil"_s, jsonTime(key.publishedUntil)}};
}

void printKeys(const QList<SigningKeys::KeyInfo> &keys, qint64 now, bool json)
{
    if (json) {
        QJsonArray rows;
        for (const SigningKeys::KeyInfo &key : keys)
            rows.append(jsonKey(key));
        printJson(rows);
        return;
    }
    printLine(u"%1  %2  %3  %4"_s.arg(u"KID"_s, -16)
                  .arg(u"ALG"_s, -5)
                  .arg(u"CREATED"_s, -16)
                  .arg(u"STATE"_s));
    for (const SigningKeys::KeyInfo &key : keys) {
        const QString state = key.retiredAt == 0 ? u"current"_s
                              : key.publishedUntil > now
                                  ? u"retired %1, published until %2"_s.arg(
                                        when(key.retiredAt), when(key.publishedUntil))
                                  : u"retired %1, no longer published"_s.arg(when(key.retiredAt));
        printLine(u"%1  %2  %3  %4"_s.arg(key.kid, -16)
                      .arg(key.alg, -5)
                      .arg(when(key.createdAt), -16)
                      .arg(state));
    }
}

int rotate(Services &services, bool json)
{
    const QList<SigningKeys::KeyInfo> fresh = services.oidc.keys.rotate();
    QStringList kids;
    for (const SigningKeys::KeyInfo &key : fresh)
        kids << key.alg + u' ' + key.kid;
    services.audit.record({.actor = u"cli"_s,
                           .action = u"oidc.keys.rotate"_s,
                           .subject = u"oidc-keys"_s,
                           .surface = u"cli"_s,
                           .ip = u"local"_s,
                           .result = u"ok"_s,
                           .detail = kids.join(u", "_s)});
    if (json) {
        printKeys(fresh, services.clock.nowMs(), true);
        return 0;
    }
    printLine(u"new current keys: %1"_s.arg(kids.join(u", "_s)));
    printLine(u"the previous keys stay in the JWKS for %1 hours"_s.arg(
        services.oidc.keys.overlapMs() / 3'600'000));
    return 0;
}

} // namespace

QString keysHelp()
{
    return commandHelp(kCommand, u"Manage the OpenID provider's signing keys."_s, verbs());
}

int runKeysCommand(Services &services, const QStringList &arguments)
{
    const VerbCall call = parseVerb(verbs(), arguments, kCommand);
    if (!call.verb)
        return call.exitCode;
    if (!call.args.positional.isEmpty())
        return usageError(u"keys %1 takes no arguments"_s.arg(call.verb->name), kCommand);
    const bool json = call.args.has(u"--json"_s);
    try {
        if (call.verb->name == u"rotate")
            return rotate(services, json);
        printKeys(services.oidc.keys.list(), services.clock.nowMs(), json);
        return 0;
    } catch (const Refusal &refusal) {
        printError(refusal.message);
    } catch (const StorageError &error) {
        printError(QString::fromStdString(error.what()));
    }
    return 1;
}
