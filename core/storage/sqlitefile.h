// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"

#include <QString>

// SQLite database files handled whole, through libsqlite3 itself (the library Qt's
// QSQLITE driver uses): no QSqlDatabase connection, no migrations.
namespace SqliteFile {

// Copies `from` to `to` with SQLite's online backup API in one step: one read
// transaction on `from`, so the copy is a consistent snapshot even while other
// processes keep writing (WAL lets them). The copy is written to a 0600 temporary file
// next to `to`, switched to a single self-contained file (journal_mode DELETE), then
// renamed over `to`.
Result<Done> copy(const QString &from, const QString &to);

// What a Gatehouse database file holds, after PRAGMA integrity_check said "ok".
struct Summary
{
    int schemaVersion = 0;
    qint64 users = 0;
    qint64 namespaces = 0;
};
// Fails with one sentence when `path` is not an intact Gatehouse database.
Result<Summary> inspect(const QString &path);

} // namespace SqliteFile
