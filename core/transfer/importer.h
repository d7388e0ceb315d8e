// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"
#include "transfer/exportdata.h"

#include <QHash>

#include <functional>

class Database;

namespace Transfer {

struct Counts
{
    int created = 0;
    int updated = 0;
    int skipped = 0; // already the same here
};

struct ImportReport
{
    Counts namespaces;
    Counts pinRoles;
    Counts users;
    Counts identities;
    Counts wallets;
    Counts telegramBindings;
    QHash<QString, QString> userIds; // a user's id in the document -> their id here
};

struct Hooks
{
    // (users done, users in the document), after each user; on the applying thread.
    std::function<void(int done, int total)> progress;
    // Runs last inside the transaction (so a dry run rolls it back too); throwing
    // ImportConflict (userimport.h) fails the whole import with its message.
    std::function<void(const ImportReport &)> inTransaction;
};

// Applies `doc` in one write transaction: everything or nothing. Users are matched by
// id, then by username, then by email (so the default admin of a fresh instance becomes
// the exported admin); namespaces and roles by name; identities and wallets by their
// unique key; bindings by Telegram user id, stamped with this instance's
// `bindingFingerprint`. What is already equal is skipped, so a second run changes
// nothing. A conflict (a username that belongs to another user here, an unknown
// permission, a binding to a namespace that exists nowhere) fails the whole import with
// one sentence naming the place in the file. `dryRun` rolls back and reports.
Result<ImportReport> apply(const Database &db, const Document &doc,
                           const QString &bindingFingerprint, qint64 nowMs, bool dryRun = false,
                           const Hooks &hooks = {});

} // namespace Transfer
