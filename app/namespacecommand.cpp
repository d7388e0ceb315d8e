// SPDX-License-Identifier: GPL-3.0-or-later
#include "namespacecommand.h"

#include "runtime.h"
#include "services.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace {

void audit(Services &services, const QString &action, const QString &name)
{
    services.audit.record({.actor = u"cli"_s,
                           .action = action,
                           .subject = u"ns:"_s + name,
                           .surface = u"cli"_s,
                           .ip = u"local"_s,
                           .result = u"ok"_s});
}

} // namespace

int runNamespaceCommand(Services &services, const QStringList &args)
{
    const QString verb = args.value(0);
    const QString name = args.value(1);
    const bool needsName =
        verb == u"add" || verb == u"token" || verb == u"disable" || verb == u"enable";
    if (verb.isEmpty() || (needsName && (name.isEmpty() || args.size() != 2)) ||
        (!needsName && verb != u"list")) {
        printError(u"usage: gatehouse namespace add|list|token|disable|enable NAME"_s);
        return 2;
    }
    if (verb == u"add") {
        auto added = services.namespaces.add(name, u"cli"_s);
        if (!added) {
            printError(added.error());
            return 1;
        }
        audit(services, u"namespace.add"_s, name);
        printLine(services.namespaceAuth.accessTokenFor(name));
        return 0;
    }
    if (verb == u"list") {
        const QList<Namespace> all = services.namespaces.list();
        printLine(u"%1  %2  %3"_s.arg(u"NAME"_s, -24).arg(u"STATE"_s, -8).arg(u"CREATED"_s));
        for (const Namespace &ns : all)
            printLine(u"%1  %2  %3"_s.arg(ns.name, -24)
                          .arg(ns.disabled ? u"disabled"_s : u"active"_s, -8)
                          .arg(QDateTime::fromMSecsSinceEpoch(ns.createdAt).toString(Qt::ISODate)));
        return 0;
    }
    if (!services.namespaces.find(name)) {
        printError(u"no namespace named %1"_s.arg(name));
        return 1;
    }
    if (verb == u"token") {
        printLine(services.namespaceAuth.accessTokenFor(name));
        return 0;
    }
    const bool disable = verb == u"disable";
    services.namespaces.setDisabled(name, disable);
    audit(services, disable ? u"namespace.disable"_s : u"namespace.enable"_s, name);
    printLine(u"namespace %1 %2"_s.arg(name, disable ? u"disabled"_s : u"enabled"_s));
    return 0;
}
