// SPDX-License-Identifier: GPL-3.0-or-later
#include "clientcommand.h"

#include "args.h"
#include "runtime.h"
#include "services.h"

#include <QJsonObject>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace {

const QString kCommand = u"client"_s;

QList<OptionSpec> settingOptions()
{
    return {
        {u"--redirect-uri"_s, u"URI"_s, u"where codes are sent (repeat for more)"_s},
        {u"--post-logout-uri"_s, u"URI"_s, u"where logout may return (repeat for more)"_s},
        {u"--scopes"_s, u"\"SCOPE…\""_s, u"allowed scopes (default \"openid profile email\")"_s},
        {u"--id-token-alg"_s, u"ALG"_s, u"RS256 (default) or ES256"_s},
    };
}

const QList<VerbSpec> &verbs()
{
    const OptionSpec json{u"--json"_s, QString(), u"JSON instead of text"_s};
    static const QList<VerbSpec> list = [json] {
        QList<OptionSpec> add = settingOptions();
        add << OptionSpec{u"--first-party"_s, QString(), u"skip the consent page"_s}
            << OptionSpec{u"--public"_s, QString(), u"no secret (native and browser apps)"_s}
            << OptionSpec{u"--no-pkce"_s, QString(),
                          u"confidential apps that cannot send PKCE (Gitea)"_s}
            << json;
        QList<OptionSpec> update = settingOptions();
        update << OptionSpec{u"--name"_s, u"NAME"_s, u"rename"_s}
               << OptionSpec{u"--first-party"_s, QString(), u"skip the consent page"_s}
               << OptionSpec{u"--no-first-party"_s, QString(), u"ask for consent"_s}
               << OptionSpec{u"--no-pkce"_s, QString(), u"PKCE optional (confidential only)"_s}
               << OptionSpec{u"--require-pkce"_s, QString(), u"PKCE required (the default)"_s}
               << OptionSpec{u"--no-post-logout-uris"_s, QString(), u"remove them all"_s} << json;
        return QList<VerbSpec>{
            {u"add"_s, u"NAME"_s, u"register a client; prints its id and secret (once)"_s, add},
            {u"list"_s, QString(), u"clients by name"_s, {json}},
            {u"show"_s, u"ID"_s, u"one client (never its secret)"_s, {json}},
            {u"update"_s, u"ID"_s, u"change a client; a URI option replaces that list"_s, update},
            {u"rotate-secret"_s, u"ID"_s, u"a new secret, printed once; the old one stops"_s, {}},
            {u"remove"_s, u"ID"_s, u"remove a client with its codes and tokens"_s, {}},
        };
    }();
    return list;
}

void audit(Services &services, const QString &action, const QString &id, const QString &detail)
{
    services.audit.record({.actor = u"cli"_s,
                           .action = action,
                           .subject = u"client:"_s + id,
                           .surface = u"cli"_s,
                           .ip = u"local"_s,
                           .result = u"ok"_s,
                           .detail = detail});
}

QString typeOf(const OidcClient &c)
{
    return c.isPublic ? u"public"_s : u"confidential"_s;
}

QJsonObject toJson(const OidcClient &c)
{
    return {{u"clientId"_s, c.id},
            {u"name"_s, c.name},
            {u"type"_s, typeOf(c)},
            {u"firstParty"_s, c.firstParty},
            {u"redirectUris"_s, QJsonArray::fromStringList(c.redirectUris)},
            {u"postLogoutRedirectUris"_s, QJsonArray::fromStringList(c.postLogoutRedirectUris)},
            {u"scopes"_s, QJsonArray::fromStringList(c.scopes)},
            {u"idTokenAlg"_s, c.idTokenAlg},
            {u"requirePkce"_s, c.requirePkce},
            {u"createdAt"_s, jsonTime(c.createdAt)},
            {u"updatedAt"_s, jsonTime(c.updatedAt)},
            {u"secretRotatedAt"_s, jsonTime(c.secretRotatedAt)}};
}

void printField(const QString &name, const QString &value)
{
    printLine(u"%1  %2"_s.arg(name, -24).arg(value));
}

void printList(const QString &name, const QStringList &values)
{
    if (values.isEmpty())
        printField(name, u"-"_s);
    for (qsizetype i = 0; i < values.size(); ++i)
        printField(i == 0 ? name : QString(), values[i]);
}

void printClient(const OidcClient &c)
{
    printField(u"client_id"_s, c.id);
    printField(u"name"_s, c.name);
    printField(u"type"_s, c.isPublic ? u"public (no secret; PKCE)"_s : u"confidential"_s);
    printField(u"first_party"_s, c.firstParty ? u"yes (no consent page)"_s : u"no"_s);
    printList(u"redirect_uris"_s, c.redirectUris);
    printList(u"post_logout_redirect_uris"_s, c.postLogoutRedirectUris);
    printField(u"scopes"_s, c.scopes.join(u' '));
    printField(u"id_token_alg"_s, c.idTokenAlg);
    printField(u"pkce"_s, c.requirePkce ? u"required (S256)"_s
                                        : u"optional (S256 when sent; plain refused)"_s);
    printField(u"created"_s, jsonTime(c.createdAt).toString());
    printField(u"updated"_s, jsonTime(c.updatedAt).toString());
    if (!c.isPublic)
        printField(u"secret_rotated"_s, jsonTime(c.secretRotatedAt).toString());
}

int list(Services &services, bool json)
{
    const QList<OidcClient> all = services.oidc.clients.list();
    if (json) {
        QJsonArray rows;
        for (const OidcClient &c : all)
            rows.append(toJson(c));
        printJson(rows);
        return 0;
    }
    printLine(u"%1  %2  %3  %4  %5"_s.arg(u"CLIENT_ID"_s, -27)
                  .arg(u"NAME"_s, -20)
                  .arg(u"TYPE"_s, -12)
                  .arg(u"FIRST_PARTY"_s, -11)
                  .arg(u"REDIRECT_URIS"_s));
    for (const OidcClient &c : all)
        printLine(u"%1  %2  %3  %4  %5"_s.arg(c.id, -27)
                      .arg(c.name, -20)
                      .arg(typeOf(c), -12)
                      .arg(c.firstParty ? u"yes"_s : u"no"_s, -11)
                      .arg(c.redirectUris.join(u' ')));
    return 0;
}

// The options add and update share, applied over `c`.
void applyOptions(OidcClient &c, const ParsedArgs &args)
{
    if (args.has(u"--redirect-uri"_s))
        c.redirectUris = args.all(u"--redirect-uri"_s);
    if (args.has(u"--post-logout-uri"_s))
        c.postLogoutRedirectUris = args.all(u"--post-logout-uri"_s);
    if (args.has(u"--no-post-logout-uris"_s))
        c.postLogoutRedirectUris.clear();
    if (args.has(u"--scopes"_s))
        c.scopes =
            args.value(u"--scopes"_s).split(QRegularExpression(u"[\\s,]+"_s), Qt::SkipEmptyParts);
    if (args.has(u"--id-token-alg"_s))
        c.idTokenAlg = args.value(u"--id-token-alg"_s).toUpper();
    if (args.has(u"--first-party"_s))
        c.firstParty = true;
    if (args.has(u"--no-first-party"_s))
        c.firstParty = false;
    if (args.has(u"--no-pkce"_s))
        c.requirePkce = false;
    if (args.has(u"--require-pkce"_s))
        c.requirePkce = true;
    if (args.has(u"--name"_s))
        c.name = args.value(u"--name"_s);
}

int add(Services &services, const QString &name, const ParsedArgs &args)
{
    OidcClient draft;
    draft.name = name;
    draft.scopes = {u"openid"_s, u"profile"_s, u"email"_s};
    draft.isPublic = args.has(u"--public"_s);
    applyOptions(draft, args);
    const auto created = services.oidc.clients.add(draft);
    if (!created) {
        printError(u"client add: %1"_s.arg(created.error()));
        return 1;
    }
    const OidcClient &c = created->client;
    audit(services, u"oidc.client.add"_s, c.id, c.name);
    const QString secret = QString::fromLatin1(created->secret);
    if (args.has(u"--json"_s)) {
        QJsonObject out = toJson(c);
        out.insert(u"clientSecret"_s, c.isPublic ? QJsonValue() : QJsonValue(secret));
        printJson(out);
        return 0;
    }
    printLine(u"client_id      %1"_s.arg(c.id));
    if (c.isPublic) {
        printLine(u"(a public client: no secret; it must use PKCE)"_s);
        return 0;
    }
    printLine(u"client_secret  %1"_s.arg(secret));
    printLine(
        u"(the secret is shown only now; `client rotate-secret %1` makes a new one)"_s.arg(c.id));
    return 0;
}

int update(Services &services, const OidcClient &current, const ParsedArgs &args)
{
    if (args.has(u"--first-party"_s) && args.has(u"--no-first-party"_s))
        return usageError(u"--first-party and --no-first-party together"_s, kCommand);
    if (args.has(u"--no-pkce"_s) && args.has(u"--require-pkce"_s))
        return usageError(u"--no-pkce and --require-pkce together"_s, kCommand);
    if (args.has(u"--post-logout-uri"_s) && args.has(u"--no-post-logout-uris"_s))
        return usageError(u"--post-logout-uri and --no-post-logout-uris together"_s, kCommand);
    OidcClient changed = current;
    applyOptions(changed, args);
    const auto updated = services.oidc.clients.update(changed);
    if (!updated) {
        printError(u"client update: %1"_s.arg(updated.error()));
        return 1;
    }
    audit(services, u"oidc.client.update"_s, updated->id, updated->name);
    if (args.has(u"--json"_s))
        printJson(toJson(*updated));
    else
        printClient(*updated);
    return 0;
}

int onExisting(Services &services, const VerbSpec &verb, const QString &id, const ParsedArgs &args)
{
    const std::optional<OidcClient> client = services.oidc.clients.byId(id);
    if (!client) {
        printError(u"no client with id %1 (see client list)"_s.arg(id));
        return 1;
    }
    if (verb.name == u"show") {
        if (args.has(u"--json"_s))
            printJson(toJson(*client));
        else
            printClient(*client);
        return 0;
    }
    if (verb.name == u"update")
        return update(services, *client, args);
    if (verb.name == u"rotate-secret") {
        const auto secret = services.oidc.clients.rotateSecret(id);
        if (!secret) {
            printError(u"client %1 is public: it has no secret to rotate"_s.arg(id));
            return 1;
        }
        audit(services, u"oidc.client.rotate"_s, id, client->name);
        printLine(u"client_secret  %1"_s.arg(QString::fromLatin1(*secret)));
        return 0;
    }
    if (!services.oidc.clients.remove(id)) {
        printError(u"no client with id %1"_s.arg(id));
        return 1;
    }
    audit(services, u"oidc.client.remove"_s, id, client->name);
    printLine(u"client %1 (%2) removed with its codes and tokens"_s.arg(id, client->name));
    return 0;
}

} // namespace

QString clientHelp()
{
    return commandHelp(kCommand,
                       u"Manage the OpenID Connect clients: the apps that sign people in "
                       u"with Gatehouse (docs/oidc.md)."_s,
                       verbs());
}

int runClientCommand(Services &services, const QStringList &arguments)
{
    const VerbCall call = parseVerb(verbs(), arguments, kCommand);
    if (!call.verb)
        return call.exitCode;
    const VerbSpec &verb = *call.verb;
    const ParsedArgs &args = call.args;
    if (verb.name == u"list") {
        if (!args.positional.isEmpty())
            return usageError(u"client list takes no arguments"_s, kCommand);
        return list(services, args.has(u"--json"_s));
    }
    const QString what = verb.name == u"add" ? u"NAME"_s : u"ID"_s;
    if (args.positional.size() != 1)
        return usageError(u"client %1 takes one %2"_s.arg(verb.name, what), kCommand);
    if (verb.name == u"add") {
        if (!args.has(u"--redirect-uri"_s))
            return usageError(u"client add needs at least one --redirect-uri URI"_s, kCommand);
        return add(services, args.positional.first(), args);
    }
    return onExisting(services, verb, args.positional.first(), args);
}
