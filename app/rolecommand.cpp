// SPDX-License-Identifier: GPL-3.0-or-later
#include "rolecommand.h"

#include "args.h"
#include "runtime.h"
#include "services.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace {

const QString kCommand = u"role"_s;

const QList<VerbSpec> &verbs()
{
    const OptionSpec json{u"--json"_s, QString(), u"a JSON array instead of a table"_s};
    static const QList<VerbSpec> list = {
        {u"list"_s, QString(), u"roles, how many users hold each, their permissions"_s, {json}},
        {u"permissions"_s, QString(), u"the permission catalog: name and description"_s, {json}},
        {u"add"_s,
         u"NAME [PERM...]"_s,
         u"add a role (PERM: a catalog name; commas work too)"_s,
         {}},
        {u"set-perms"_s, u"NAME [PERM...]"_s, u"replace a role's permissions"_s, {}},
        {u"remove"_s, u"NAME"_s, u"remove a role no user holds"_s, {}},
    };
    return list;
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

int listRoles(const PinRoles &roles, bool json)
{
    if (json) {
        QJsonArray rows;
        for (const PinRole &role : roles.list())
            rows.append(QJsonObject{{u"name"_s, role.name},
                                    {u"users"_s, role.holders},
                                    {u"permissions"_s, QJsonArray::fromStringList(namesOf(role))},
                                    {u"createdAt"_s, jsonTime(role.createdAt)}});
        printJson(rows);
        return 0;
    }
    printLine(u"%1  %2  %3"_s.arg(u"ROLE"_s, -16).arg(u"USERS"_s).arg(u"PERMISSIONS"_s));
    for (const PinRole &role : roles.list())
        printRole(role);
    return 0;
}

int listCatalog(const PinRoles &roles, bool json)
{
    QJsonArray rows;
    for (const PinPermission &p : roles.catalog()) {
        if (json)
            rows.append(QJsonObject{{u"name"_s, p.name}, {u"description"_s, p.description}});
        else
            printLine(u"%1  %2"_s.arg(p.name, -20).arg(p.description));
    }
    if (json)
        printJson(rows);
    return 0;
}

int change(PinRoles &roles, const QString &verb, const QStringList &positional)
{
    const QString name = positional.first();
    if (verb == u"remove") {
        if (positional.size() != 1)
            return usageError(u"role remove takes one NAME"_s, kCommand);
        const auto done = roles.remove(name, u"cli"_s, u"cli"_s);
        if (!done) {
            printError(done.error());
            return 1;
        }
        printLine(u"role %1 removed"_s.arg(name.trimmed().toLower()));
        return 0;
    }
    const QStringList permissions = permissionArgs(positional.mid(1));
    const auto role = verb == u"add" ? roles.add(name, permissions, u"cli"_s, u"cli"_s)
                                     : roles.setPermissions(name, permissions, u"cli"_s, u"cli"_s);
    if (!role) {
        printError(role.error());
        return 1;
    }
    printRole(*role);
    return 0;
}

} // namespace

QString roleHelp()
{
    return commandHelp(kCommand, u"Manage PIN roles and their permissions."_s, verbs());
}

int runRoleCommand(Services &services, const QStringList &arguments)
{
    const VerbCall call = parseVerb(verbs(), arguments, kCommand);
    if (!call.verb)
        return call.exitCode;
    const VerbSpec *verb = call.verb;
    const ParsedArgs &args = call.args;
    const bool lists = verb->name == u"list" || verb->name == u"permissions";
    if (lists && !args.positional.isEmpty())
        return usageError(u"role %1 takes no arguments"_s.arg(verb->name), kCommand);
    if (verb->name == u"list")
        return listRoles(services.pinRoles, args.has(u"--json"_s));
    if (verb->name == u"permissions")
        return listCatalog(services.pinRoles, args.has(u"--json"_s));
    if (args.positional.isEmpty())
        return usageError(u"role %1 needs a NAME"_s.arg(verb->name), kCommand);
    return change(services.pinRoles, verb->name, args.positional);
}
