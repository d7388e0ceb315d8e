// SPDX-License-Identifier: GPL-3.0-or-later
#include "namespacecommand.h"

#include "args.h"
#include "runtime.h"
#include "services.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace {

const QString kCommand = u"namespace"_s;

const QList<VerbSpec> &verbs()
{
    static const QList<VerbSpec> list = {
        {u"add"_s, u"NAME"_s, u"create a namespace and print its access token"_s, {}},
        {u"list"_s,
         QString(),
         u"list namespaces"_s,
         {{u"--json"_s, QString(), u"a JSON array instead of a table (no tokens)"_s}}},
        {u"token"_s, u"NAME"_s, u"print a namespace's access token"_s, {}},
        {u"disable"_s, u"NAME"_s, u"refuse logins to a namespace"_s, {}},
        {u"enable"_s, u"NAME"_s, u"allow logins to a disabled namespace again"_s, {}},
    };
    return list;
}

void audit(Services &services, const QString &action, const QString &name)
{
    services.audit.record({.actor = u"cli"_s,
                           .action = action,
                           .subject = u"ns:"_s + name,
                           .surface = u"cli"_s,
                           .ip = u"local"_s,
                           .result = u"ok"_s});
}

int list(Services &services, bool json)
{
    const QList<Namespace> all = services.namespaces.list();
    if (json) {
        QJsonArray rows;
        for (const Namespace &ns : all)
            rows.append(QJsonObject{{u"name"_s, ns.name},
                                    {u"disabled"_s, ns.disabled},
                                    {u"createdAt"_s, jsonTime(ns.createdAt)},
                                    {u"createdBy"_s, ns.createdBy}});
        printJson(rows);
        return 0;
    }
    printLine(u"%1  %2  %3"_s.arg(u"NAME"_s, -24).arg(u"STATE"_s, -8).arg(u"CREATED"_s));
    for (const Namespace &ns : all)
        printLine(u"%1  %2  %3"_s.arg(ns.name, -24)
                      .arg(ns.disabled ? u"disabled"_s : u"active"_s, -8)
                      .arg(jsonTime(ns.createdAt).toString()));
    return 0;
}

int add(Services &services, const QString &name)
{
    auto added = services.namespaces.add(name, u"cli"_s);
    if (!added) {
        printError(added.error());
        return 1;
    }
    audit(services, u"namespace.add"_s, name);
    printLine(services.namespaceAuth.accessTokenFor(name));
    return 0;
}

} // namespace

QString namespaceHelp()
{
    return commandHelp(kCommand,
                       u"Manage namespaces; their access tokens are CLI_API_TOKEN:<namespace>."_s,
                       verbs());
}

int runNamespaceCommand(Services &services, const QStringList &arguments)
{
    const VerbCall call = parseVerb(verbs(), arguments, kCommand);
    if (!call.verb)
        return call.exitCode;
    const VerbSpec *verb = call.verb;
    const ParsedArgs &args = call.args;
    if (verb->name == u"list") {
        if (!args.positional.isEmpty())
            return usageError(u"namespace list takes no arguments"_s, kCommand);
        return list(services, args.has(u"--json"_s));
    }
    if (args.positional.size() != 1)
        return usageError(u"namespace %1 takes one NAME"_s.arg(verb->name), kCommand);
    const QString name = args.positional.first();
    if (verb->name == u"add")
        return add(services, name);
    if (!services.namespaces.find(name)) {
        printError(u"no namespace named %1"_s.arg(name));
        return 1;
    }
    if (verb->name == u"token") {
        printLine(services.namespaceAuth.accessTokenFor(name));
        return 0;
    }
    const bool disable = verb->name == u"disable";
    services.namespaces.setDisabled(name, disable);
    audit(services, disable ? u"namespace.disable"_s : u"namespace.enable"_s, name);
    printLine(u"namespace %1 %2"_s.arg(name, disable ? u"disabled"_s : u"enabled"_s));
    return 0;
}
