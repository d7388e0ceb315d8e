// SPDX-License-Identifier: GPL-3.0-or-later
#include "commands.h"

#include "backupcommand.h"
#include "clientcommand.h"
#include "exportcommand.h"
#include "keyscommand.h"
#include "namespacecommand.h"
#include "options.h"
#include "outboxcommand.h"
#include "rolecommand.h"
#include "tokencommand.h"
#include "usercommand.h"

using namespace Qt::StringLiterals;

// One row per command; a new command adds its row here.
const QList<CommandEntry> &commands()
{
    static const QList<CommandEntry> table = {
        {u"serve"_s, u"run the server without the console"_s, serveHelp, nullptr},
        {u"namespace"_s, u"add|list|token|disable|enable namespaces"_s, namespaceHelp,
         runNamespaceCommand},
        {u"user"_s, u"add|list|set-pin|set-password|disable|enable|delete users"_s, userHelp,
         runUserCommand},
        {u"token"_s, u"list|revoke issued tokens and sessions"_s, tokenHelp, runTokenCommand},
        {u"role"_s, u"list|permissions|add|set-perms|remove PIN roles"_s, roleHelp, runRoleCommand},
        {u"keys"_s, u"list|rotate the OpenID provider's signing keys"_s, keysHelp, runKeysCommand},
        {u"client"_s, u"add|list|show|update|rotate-secret|remove OpenID Connect clients"_s,
         clientHelp, runClientCommand},
        {u"outbox"_s, u"list|show|resend queued or held emails and SMS"_s, outboxHelp,
         runOutboxCommand},
        {u"backup"_s, u"copy the SQLite database while serving"_s, backupHelp, nullptr, runBackup},
        {u"restore"_s, u"replace the SQLite database with a backup"_s, restoreHelp, nullptr,
         runRestore},
        {u"export"_s, u"write users, namespaces, bindings and roles as JSON"_s, exportHelp,
         runExport},
        {u"import"_s, u"read a file written by export"_s, importHelp, runImport},
    };
    return table;
}

const CommandEntry *findCommand(const QString &name)
{
    for (const CommandEntry &c : commands())
        if (c.name == name)
            return &c;
    return nullptr;
}
