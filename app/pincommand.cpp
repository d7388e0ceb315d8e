// SPDX-License-Identifier: GPL-3.0-or-later
#include "pincommand.h"

#include "runtime.h"
#include "secretinput.h"
#include "services.h"

using namespace Qt::StringLiterals;

int runUserSetPin(Services &services, const QStringList &arguments)
{
    QStringList args = arguments;
    if (args.value(0) == u"set-pin")
        args.removeFirst();
    QString name;
    std::optional<QString> role;
    std::optional<bool> admin;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &a = args[i];
        if (a == u"--role" && i + 1 < args.size()) {
            role = args[++i];
        } else if (a == u"--admin" || a == u"--no-admin") {
            admin = a == u"--admin";
        } else if (a.startsWith(u"--pin")) {
            printError(u"the PIN is read from standard input, never from the command line"_s);
            return 2;
        } else if (name.isEmpty() && !a.startsWith(u'-')) {
            name = a;
        } else {
            name.clear();
            break;
        }
    }
    if (name.isEmpty()) {
        printError(u"usage: gatehouse user set-pin NAME [--role ROLE] [--admin|--no-admin]  "
                   u"(the PIN is read from standard input)"_s);
        return 2;
    }
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
        services.users.setRole(user->id, role ? role->trimmed().toLower() : user->role,
                               admin.value_or(user->isAdmin));
    printLine(existed ? u"PIN set for %1 (%2)"_s.arg(user->username, user->id)
                      : u"created PIN user %1 (%2)"_s.arg(user->username, user->id));
    return 0;
}
