// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"
#include "storage/databaseurl.h"
#include "storage/sqlitefile.h"

#include <QString>

// `gatehouse backup` and `gatehouse restore` on the embedded SQLite database. On
// PostgreSQL both refuse with a pointer to pg_dump / pg_restore (docs/operations.md):
// the server's own tools do it better than a copy through Qt could.
namespace Backup {

// Copies the database to `file` while it serves (SqliteFile::copy) and checks the copy.
Result<SqliteFile::Summary> create(const DatabaseUrl &url, const QString &file);

struct Restored
{
    SqliteFile::Summary summary;
    QString keptPrevious; // where the replaced database was copied; empty when there was none
};

// Replaces the database with `file`. Refused while any process has the database open
// (DatabaseUseLock), when `file` is not an intact Gatehouse database, or when it comes
// from a newer schema than `knownVersion`. The replaced database is kept as
// "<db>.before-restore-<UTC time>". `nowMs` names that copy.
Result<Restored> restore(const DatabaseUrl &url, const QString &file, int knownVersion,
                         qint64 nowMs);

} // namespace Backup
