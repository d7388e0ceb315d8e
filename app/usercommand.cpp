// SPDX-License-Identifier: GPL-3.0-or-later
#include "usercommand.h"

#include "args.h"
#include "crypto/passwordhasher.h"
#include "pincommand.h"
#include "runtime.h"
#include "secretinput.h"
#include "services.h"

#include <QJsonObject>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

const QString kCommand = u"user"_s;

const QList<VerbSpec> &verbs()
{
    static const QList<VerbSpec> list = {
        {u"add"_s,
         u"USERNAME"_s,
         u"create a user; the password is read from standard input"_s,
         {{u"--email"_s, u"EMAIL"_s, u"email address"_s},
          {u"--name"_s, u"NAME"_s, u"display name"_s},
          {u"--admin"_s, QString(), u"an administrator (role admin)"_s}}},
        {u"list"_s,
         u"[SEARCH]"_s,
         u"list users whose username, email or name starts with SEARCH"_s,
         {{u"--admins"_s, QString(), u"administrators only"_s},
          {u"--disabled"_s, QString(), u"disabled users only"_s},
          {u"--limit"_s, u"N"_s, u"at most N users (1 to 100000, default 100)"_s},
          {u"--json"_s, QString(), u"a JSON array instead of a table"_s}}},
        {u"set-password"_s, u"USER"_s, u"set a password, read from standard input"_s, {}},
        pinVerb(),
        {u"disable"_s, u"USER"_s, u"refuse the user's logins and end their sessions"_s, {}},
        {u"enable"_s, u"USER"_s, u"allow a disabled user to log in again"_s, {}},
        {u"delete"_s, u"USER"_s, u"delete the user and revoke their tokens"_s, {}},
    };
    return list;
}

void audit(Services &services, const QString &action, const User &user, const QString &detail = {})
{
    services.audit.record({.actor = u"cli"_s,
                           .action = action,
                           .subject = u"user:"_s + user.id,
                           .surface = u"cli"_s,
                           .ip = u"local"_s,
                           .result = u"ok"_s,
                           .detail = detail});
}

std::optional<User> findUser(Services &services, const QString &key)
{
    if (auto user = services.users.byUsername(key))
        return user;
    if (key.contains(u'@'))
        if (auto user = services.users.byEmail(key))
            return user;
    if (auto user = services.users.byId(key))
        return user;
    printError(u"no user %1 (give a username, an email address or an id)"_s.arg(key));
    return std::nullopt;
}

int addUser(Services &services, const ParsedArgs &args)
{
    if (args.positional.size() != 1)
        return usageError(u"user add takes one USERNAME"_s, kCommand);
    User draft;
    draft.username = args.positional.first();
    draft.email = args.value(u"--email"_s).trimmed();
    draft.displayName = args.value(u"--name"_s).trimmed();
    draft.isAdmin = args.has(u"--admin"_s);
    draft.role = draft.isAdmin ? u"admin"_s : u"user"_s;
    if (!Users::isValidUsername(draft.username))
        return usageError(u"a username has 3 to 32 of the characters A-Z a-z 0-9 _ . -"_s,
                          kCommand);
    if (!draft.email.isEmpty() && !Users::isValidEmail(draft.email))
        return usageError(u"%1 is not a valid email address"_s.arg(draft.email), kCommand);
    if (services.users.byUsername(draft.username) ||
        (!draft.email.isEmpty() && services.users.byEmail(draft.email))) {
        printError(u"that username or email is already in use"_s);
        return 1;
    }
    const auto password = readSecret(u"password"_s);
    if (!password)
        return 1;
    if (const QString problem = Accounts::passwordProblem(draft, *password); !problem.isEmpty()) {
        printError(u"the password "_s + problem);
        return 1;
    }
    draft.passwordHash = PasswordHasher::hash(password->toUtf8());
    auto created = services.users.create(draft);
    if (!created) {
        printError(created.error());
        return 1;
    }
    audit(services, u"user.add"_s, *created, draft.isAdmin ? u"admin"_s : QString());
    printLine(u"user %1 added (id %2)"_s.arg(created->username, created->id));
    return 0;
}

QJsonObject userJson(const User &u)
{
    const auto orNull = [](const QString &s) { return s.isEmpty() ? QJsonValue() : QJsonValue(s); };
    return {{u"id"_s, u.id},
            {u"username"_s, orNull(u.username)},
            {u"email"_s, orNull(u.email)},
            {u"name"_s, orNull(u.displayName)},
            {u"role"_s, u.role},
            {u"isAdmin"_s, u.isAdmin},
            {u"disabled"_s, u.disabled},
            {u"emailVerified"_s, u.emailVerified},
            {u"hasPassword"_s, !u.passwordHash.isEmpty()},
            {u"hasPin"_s, !u.pinHash.isEmpty()},
            {u"createdAt"_s, jsonTime(u.createdAt)}};
}

int listUsers(Services &services, const ParsedArgs &args)
{
    if (args.positional.size() > 1)
        return usageError(u"user list takes at most one SEARCH word"_s, kCommand);
    UserQuery query;
    query.search = args.positional.value(0);
    query.adminsOnly = args.has(u"--admins"_s);
    query.disabledOnly = args.has(u"--disabled"_s);
    const auto limit = intOption(args, u"--limit"_s, 100, 1, 100000, kCommand);
    if (!limit)
        return 2;
    query.limit = *limit;
    const QList<User> users = services.users.list(query);
    if (args.has(u"--json"_s)) {
        QJsonArray rows;
        for (const User &u : users)
            rows.append(userJson(u));
        printJson(rows);
        return 0;
    }
    // ROLE is the role the PIN login answers; ADMIN is its separate isAdmin flag.
    const QString row = u"%1  %2  %3  %4  %5  %6  %7"_s;
    printLine(row.arg(u"USERNAME"_s, -20)
                  .arg(u"EMAIL"_s, -28)
                  .arg(u"NAME"_s, -20)
                  .arg(u"ROLE"_s, -10)
                  .arg(u"ADMIN"_s, -5)
                  .arg(u"STATE"_s, -8)
                  .arg(u"CREATED"_s));
    const auto dash = [](const QString &s) { return s.isEmpty() ? u"-"_s : s; };
    for (const User &u : users)
        printLine(row.arg(dash(u.username), -20)
                      .arg(dash(u.email), -28)
                      .arg(dash(u.displayName), -20)
                      .arg(u.role, -10)
                      .arg(u.isAdmin ? u"yes"_s : u"no"_s, -5)
                      .arg(u.disabled ? u"disabled"_s : u"active"_s, -8)
                      .arg(jsonTime(u.createdAt).toString()));
    return 0;
}

int setPassword(Services &services, const User &user)
{
    const auto password = readSecret(u"password"_s);
    if (!password)
        return 1;
    try {
        services.accounts.setPassword(user, *password, u"cli"_s, u"cli"_s, u"local"_s);
    } catch (const Refusal &error) {
        printError(error.message);
        return 1;
    }
    const QString name = user.username.isEmpty() ? user.email : user.username;
    printLine(u"password of %1 changed"_s.arg(name));
    return 0;
}

int removeUser(Services &services, const User &user)
{
    const QList<User> admins = services.users.list({QString(), 0, 10000, false, true});
    const bool anotherAdmin = std::any_of(admins.begin(), admins.end(), [&](const User &u) {
        return u.id != user.id && !u.disabled;
    });
    if (user.isAdmin && !anotherAdmin) {
        printError(u"refusing to delete the last active admin account"_s);
        return 1;
    }
    services.tokens.revokeAllForUser(user.id);
    services.users.remove(user.id);
    audit(services, u"user.delete"_s, user);
    printLine(u"user %1 deleted"_s.arg(user.username.isEmpty() ? user.id : user.username));
    return 0;
}

int setDisabled(Services &services, const User &user, const QString &given, bool disable)
{
    services.users.setDisabled(user.id, disable);
    if (disable)
        services.tokens.revokeAllForUser(user.id);
    audit(services, disable ? u"user.disable"_s : u"user.enable"_s, user);
    printLine(u"user %1 %2"_s.arg(given, disable ? u"disabled"_s : u"enabled"_s));
    return 0;
}

} // namespace

QString userHelp()
{
    return commandHelp(
        kCommand, u"Manage users. USER is a username, an email address or a user id."_s, verbs());
}

int runUserCommand(Services &services, const QStringList &arguments)
{
    const VerbSpec *verb = findVerb(verbs(), arguments.value(0));
    if (!verb)
        return usageError(arguments.isEmpty() ? u"user needs a verb"_s
                                              : u"unknown verb user %1"_s.arg(arguments.first()),
                          kCommand);
    const ParsedArgs args = parseArgs(arguments.mid(1), verb->options);
    if (verb->name == u"set-pin" && args.error.startsWith(u"unknown option --pin"))
        return usageError(u"the PIN is read from standard input, never from the command line"_s,
                          kCommand);
    if (!args.error.isEmpty())
        return usageError(args.error, kCommand);
    if (verb->name == u"add")
        return addUser(services, args);
    if (verb->name == u"list")
        return listUsers(services, args);
    if (verb->name == u"set-pin")
        return runUserSetPin(services, args);
    if (args.positional.size() != 1)
        return usageError(u"user %1 takes one USER"_s.arg(verb->name), kCommand);
    const auto user = findUser(services, args.positional.first());
    if (!user)
        return 1;
    if (verb->name == u"set-password")
        return setPassword(services, *user);
    if (verb->name == u"delete")
        return removeUser(services, *user);
    return setDisabled(services, *user, args.positional.first(), verb->name == u"disable");
}
