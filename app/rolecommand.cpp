// SPDX-License-Identifier: GPL-3.0-or-later
#include "rolecommand.h"

#include "runtime.h"
#include "services.h"

using namespace Qt::StringLiterals;

namespace {

int usage()
{
    printError(u"usage: gatehouse role list | permissions | add NAME [PERM...] | "
               u"set-perms NAME [PERM...] | remove NAME  (PERM: a catalog name; commas work "
               u"too)"_s);
    return 2;
}

QStringList permissionArgs(const QStringList &args)
{
    QStringList out;
    for (const QString &arg : args)
        for (const QString &name : arg.split(u',', Qt::SkipEmptyParts))
            out << name.trimmed();
    return out;
}

QStringList namesOf(const PinRole &role)
{
    QStringList out;
    for (const PinPermission &p : role.permissions)
        out << p.name;
    return out;
}

void printRole(const PinRole &role)
{
    const QStringList names = namesOf(role);
    printLine(u"%1  %2  %3"_s.arg(role.name, -16)
                  .arg(role.holders, 5)
                  .arg(names.isEmpty() ? u"(none: its users cannot log in)"_s : names.join(u' ')));
}

} // namespace

int runRoleCommand(Services &services, const QStringList &args)
{
    const QString verb = args.value(0);
    PinRoles &roles = services.pinRoles;
    if (verb == u"list" && args.size() == 1) {
        printLine(u"%1  %2  %3"_s.arg(u"ROLE"_s, -16).arg(u"USERS"_s).arg(u"PERMISSIONS"_s));
        for (const PinRole &role : roles.list())
            printRole(role);
        return 0;
    }
    if (verb == u"permissions" && args.size() == 1) {
        for (const PinPermission &p : roles.catalog())
            printLine(u"%1  %2"_s.arg(p.name, -20).arg(p.description));
        return 0;
    }
    if (args.size() < 2 || args[1].startsWith(u'-'))
        return usage();
    const QString name = args[1];
    const QStringList permissions = permissionArgs(args.mid(2));
    if (verb == u"add" || verb == u"set-perms") {
        const auto role = verb == u"add"
                              ? roles.add(name, permissions, u"cli"_s, u"cli"_s)
                              : roles.setPermissions(name, permissions, u"cli"_s, u"cli"_s);
        if (!role) {
            printError(role.error());
            return 1;
        }
        printRole(*role);
        return 0;
    }
    if (verb == u"remove" && args.size() == 2) {
        const auto done = roles.remove(name, u"cli"_s, u"cli"_s);
        if (!done) {
            printError(done.error());
            return 1;
        }
        printLine(u"role %1 removed"_s.arg(name.trimmed().toLower()));
        return 0;
    }
    return usage();
}
