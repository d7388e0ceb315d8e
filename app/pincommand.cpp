// SPDX-License-Identifier: GPL-3.0-or-later
#include "pincommand.h"

#include "runtime.h"
#include "secretinput.h"
#include "services.h"

using namespace Qt::StringLiterals;

VerbSpec pinVerb()
{
    return {u"set-pin"_s,
            u"NAME"_s,
            u"set a PIN user's PIN (created when missing), read from standard input"_s,
            {{u"--role"_s, u"ROLE"_s, u"the PIN role (see gatehouse role list; default user)"_s},
             {u"--admin"_s, QString(), u"set the isAdmin flag the PIN login reports"_s},
             {u"--no-admin"_s, QString(), u"clear that flag"_s}}};
}

int runUserSetPin(Services &services, const ParsedArgs &args)
{
    if (args.positional.size() != 1)
        return usageError(u"user set-pin takes one NAME (the PIN is read from standard input)"_s,
                          u"user"_s);
    if (args.has(u"--admin"_s) && args.has(u"--no-admin"_s))
        return usageError(u"give --admin or --no-admin, not both"_s, u"user"_s);
    const QString name = args.positional.first();
    std::optional<QString> role;
    if (args.has(u"--role"_s))
        role = args.value(u"--role"_s).trimmed().toLower();
    std::optional<bool> admin;
    if (args.has(u"--admin"_s) || args.has(u"--no-admin"_s))
        admin = args.has(u"--admin"_s);
    if (role && !services.pinRoles.byName(*role)) {
        printError(u"no role named %1 (see gatehouse role list; add one with "
                   u"gatehouse role add)"_s.arg(*role));
        return 1;
    }
    const auto pin = readSecret(u"PIN"_s); // says why when there is none
    if (!pin)
        return 1;
    const bool existed = services.users.byUsername(name).has_value();
    auto user = services.pinAuth.setPin(name, *pin, true, u"cli"_s);
    if (!user) {
        printError(user.error());
        return 1;
    }
    if (role || admin)
        services.users.setRole(user->id, role.value_or(user->role), admin.value_or(user->isAdmin));
    printLine(existed ? u"PIN set for %1 (%2)"_s.arg(user->username, user->id)
                      : u"created PIN user %1 (%2)"_s.arg(user->username, user->id));
    return 0;
}
