// SPDX-License-Identifier: GPL-3.0-or-later
#include "usercommand.h"

#include "crypto/passwordhasher.h"
#include "pincommand.h"
#include "runtime.h"
#include "secretinput.h"
#include "services.h"

#include <QDateTime>
#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

const QString kUsage =
    u"usage: gatehouse user add USERNAME [--email EMAIL] [--name NAME] [--admin]\n"
    u"       gatehouse user list [SEARCH] [--admins] [--disabled] [--limit N]\n"
    u"       gatehouse user set-password|set-pin|disable|enable|delete USER"_s;

int usage()
{
    std::fprintf(stderr, "%s\n", qUtf8Printable(kUsage));
    return 2;
}

void audit(Services &services, const QString &action, const User &user, const QString &detail = {})
{
    services.audit.record(
        {0, 0, u"cli"_s, action, u"user:"_s + user.id, u"cli"_s, u"local"_s, u"ok"_s, detail});
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

// Splits "--flag VALUE" options from positional arguments; false on a bad option.
bool parseFlags(const QStringList &args, const QStringList &valued, const QStringList &bare,
                QHash<QString, QString> *flags, QStringList *positional)
{
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &arg = args[i];
        if (!arg.startsWith(u"--")) {
            positional->append(arg);
            continue;
        }
        const QString name = arg.section(u'=', 0, 0);
        if (bare.contains(name) && !arg.contains(u'=')) {
            flags->insert(name, u"1"_s);
        } else if (valued.contains(name)) {
            if (arg.contains(u'='))
                flags->insert(name, arg.section(u'=', 1));
            else if (i + 1 < args.size())
                flags->insert(name, args[++i]);
            else
                return false;
        } else {
            printError(u"unknown option %1"_s.arg(arg));
            return false;
        }
    }
    return true;
}

int addUser(Services &services, const QStringList &args)
{
    QHash<QString, QString> flags;
    QStringList positional;
    if (!parseFlags(args, {u"--email"_s, u"--name"_s}, {u"--admin"_s}, &flags, &positional) ||
        positional.size() != 1)
        return usage();
    User draft;
    draft.username = positional.first();
    draft.email = flags.value(u"--email"_s).trimmed();
    draft.displayName = flags.value(u"--name"_s).trimmed();
    draft.isAdmin = flags.contains(u"--admin"_s);
    draft.role = draft.isAdmin ? u"admin"_s : u"user"_s;
    if (!Users::isValidUsername(draft.username)) {
        printError(u"a username has 3 to 32 of the characters A-Z a-z 0-9 _ . -"_s);
        return 2;
    }
    if (!draft.email.isEmpty() && !Users::isValidEmail(draft.email)) {
        printError(u"%1 is not a valid email address"_s.arg(draft.email));
        return 2;
    }
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

int listUsers(Services &services, const QStringList &args)
{
    QHash<QString, QString> flags;
    QStringList positional;
    if (!parseFlags(args, {u"--limit"_s}, {u"--admins"_s, u"--disabled"_s}, &flags, &positional) ||
        positional.size() > 1)
        return usage();
    UserQuery query;
    query.search = positional.value(0);
    query.adminsOnly = flags.contains(u"--admins"_s);
    query.disabledOnly = flags.contains(u"--disabled"_s);
    query.limit = flags.value(u"--limit"_s, u"100"_s).toInt();
    if (query.limit <= 0)
        return usage();
    const auto row = [](const QString &a, const QString &b, const QString &c, const QString &d,
                        const QString &e, const QString &f) {
        printLine(u"%1  %2  %3  %4  %5  %6"_s.arg(a, -20)
                      .arg(b, -28)
                      .arg(c, -20)
                      .arg(d, -6)
                      .arg(e, -8)
                      .arg(f));
    };
    row(u"USERNAME"_s, u"EMAIL"_s, u"NAME"_s, u"ROLE"_s, u"STATE"_s, u"CREATED"_s);
    for (const User &u : services.users.list(query))
        row(u.username.isEmpty() ? u"-"_s : u.username, u.email.isEmpty() ? u"-"_s : u.email,
            u.displayName.isEmpty() ? u"-"_s : u.displayName, u.isAdmin ? u"admin"_s : u.role,
            u.disabled ? u"disabled"_s : u"active"_s,
            QDateTime::fromMSecsSinceEpoch(u.createdAt).toString(Qt::ISODate));
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

} // namespace

int runUserCommand(Services &services, const QStringList &args)
{
    const QString verb = args.value(0);
    if (verb == u"add")
        return addUser(services, args.mid(1));
    if (verb == u"list")
        return listUsers(services, args.mid(1));
    if (verb == u"set-pin")
        return runUserSetPin(services, args.mid(1));
    const bool known =
        verb == u"set-password" || verb == u"disable" || verb == u"enable" || verb == u"delete";
    if (!known || args.size() != 2)
        return usage();
    const auto user = findUser(services, args[1]);
    if (!user)
        return 1;
    if (verb == u"set-password")
        return setPassword(services, *user);
    if (verb == u"delete")
        return removeUser(services, *user);
    const bool disable = verb == u"disable";
    services.users.setDisabled(user->id, disable);
    if (disable)
        services.tokens.revokeAllForUser(user->id);
    audit(services, disable ? u"user.disable"_s : u"user.enable"_s, *user);
    printLine(u"user %1 %2"_s.arg(args[1], disable ? u"disabled"_s : u"enabled"_s));
    return 0;
}
