// SPDX-License-Identifier: GPL-3.0-or-later
#include "namespacecommand.h"

#include "runtime.h"
#include "services.h"

#include <QDateTime>

namespace {

void audit(Services &services, const QString &action, const QString &name)
{
    services.audit.record(
        {0, 0, u"cli"_qs, action, u"ns:"_qs + name, u"cli"_qs, u"local"_qs, u"ok"_qs, QString()});
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
        printError(u"usage: gatehouse namespace add|list|token|disable|enable NAME"_qs);
        return 2;
    }
    if (verb == u"add") {
        auto added = services.namespaces.add(name, u"cli"_qs);
        if (!added) {
            printError(added.error());
            return 1;
        }
        audit(services, u"namespace.add"_qs, name);
        printLine(services.namespaceAuth.accessTokenFor(name));
        return 0;
    }
    if (verb == u"list") {
        const QList<Namespace> all = services.namespaces.list();
        printLine(QStringLiteral("%1  %2  %3")
                      .arg(u"NAME"_qs, -24)
                      .arg(u"STATE"_qs, -8)
                      .arg(u"CREATED"_qs));
        for (const Namespace &ns : all)
            printLine(QStringLiteral("%1  %2  %3")
                          .arg(ns.name, -24)
                          .arg(ns.disabled ? u"disabled"_qs : u"active"_qs, -8)
                          .arg(QDateTime::fromMSecsSinceEpoch(ns.createdAt).toString(Qt::ISODate)));
        return 0;
    }
    if (!services.namespaces.find(name)) {
        printError(QStringLiteral("no namespace named %1").arg(name));
        return 1;
    }
    if (verb == u"token") {
        printLine(services.namespaceAuth.accessTokenFor(name));
        return 0;
    }
    const bool disable = verb == u"disable";
    services.namespaces.setDisabled(name, disable);
    audit(services, disable ? u"namespace.disable"_qs : u"namespace.enable"_qs, name);
    printLine(
        QStringLiteral("namespace %1 %2").arg(name, disable ? u"disabled"_qs : u"enabled"_qs));
    return 0;
}
