// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/backup.h"

#include "storage/uselock.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

QString postgresRefusal(const QString &what)
{
    return u"%1 works on the embedded SQLite database only; on PostgreSQL use pg_dump and "
           u"pg_restore, or gatehouse export/import (see docs/operations.md)"_s.arg(what);
}

bool sameFile(const QString &a, const QString &b)
{
    return QFileInfo(a).absoluteFilePath() == QFileInfo(b).absoluteFilePath();
}

// Checks `file` in a staged copy next to the database, so the checks and the swap see
// the same bytes (and a WAL-mode backup is folded into one file first).
Result<SqliteFile::Summary> stage(const QString &file, const QString &staged, int knownVersion)
{
    using R = Result<SqliteFile::Summary>;
    if (auto copied = SqliteFile::copy(file, staged); !copied)
        return R::failure(Refusal::Kind::Internal, copied.error());
    auto summary = SqliteFile::inspect(staged);
    if (summary && summary->schemaVersion > knownVersion)
        summary = R::failure(Refusal::Kind::Internal,
                             u"%1 comes from a newer Gatehouse (schema version %2; this one "
                             u"knows up to %3): upgrade Gatehouse first, then restore"_s.arg(file)
                                 .arg(summary->schemaVersion)
                                 .arg(knownVersion));
    if (!summary) {
        QFile::remove(staged);
        return R::failure(Refusal::Kind::Internal, summary.error().replace(staged, file));
    }
    return summary;
}

// A database too damaged to copy page by page (often why one restores) is kept as it is:
// its files renamed, the WAL with it.
bool moveAside(const QString &path, const QString &kept)
{
    if (std::rename(QFile::encodeName(path).constData(), QFile::encodeName(kept).constData()) != 0)
        return false;
    const QString wal = path + u"-wal"_s;
    if (QFileInfo::exists(wal))
        std::rename(QFile::encodeName(wal).constData(),
                    QFile::encodeName(kept + u"-wal"_s).constData());
    return true;
}

} // namespace

namespace Backup {

Result<SqliteFile::Summary> create(const DatabaseUrl &url, const QString &file)
{
    using R = Result<SqliteFile::Summary>;
    if (url.dialect != Dialect::Sqlite)
        return R::failure(Refusal::Kind::Internal, postgresRefusal(u"backup"_s));
    if (sameFile(url.path, file))
        return R::failure(Refusal::Kind::Internal,
                          u"the backup file must not be the database itself"_s);
    if (auto copied = SqliteFile::copy(url.path, file); !copied)
        return R::failure(Refusal::Kind::Internal, copied.error());
    return SqliteFile::inspect(file);
}

Result<Restored> restore(const DatabaseUrl &url, const QString &file, int knownVersion,
                         qint64 nowMs)
{
    using R = Result<Restored>;
    if (url.dialect != Dialect::Sqlite)
        return R::failure(Refusal::Kind::Internal, postgresRefusal(u"restore"_s));
    if (sameFile(url.path, file))
        return R::failure(Refusal::Kind::Internal,
                          u"the backup file must not be the database itself"_s);
    if (!QDir().mkpath(QFileInfo(url.path).absolutePath()))
        return R::failure(Refusal::Kind::Internal,
                          u"cannot create the folder of %1"_s.arg(url.path));
    DatabaseUseLock lock; // held until the swap is done: no process opens it meanwhile
    if (!lock.acquire(url.path, DatabaseUseLock::Mode::Exclusive, 0))
        return R::failure(Refusal::Kind::Internal, u"refusing to restore: "_s + lock.error());

    const QString staged = url.path + u".restore"_s;
    auto summary = stage(file, staged, knownVersion);
    if (!summary)
        return R::failure(Refusal::Kind::Internal, summary.error());
    Restored restored{*summary, QString()};
    if (QFileInfo::exists(url.path)) {
        // Through the backup API too: it folds in whatever a crash left in the WAL.
        restored.keptPrevious =
            url.path + u".before-restore-"_s +
            QDateTime::fromMSecsSinceEpoch(nowMs, Qt::UTC).toString(u"yyyyMMdd-HHmmss"_s);
        if (!SqliteFile::copy(url.path, restored.keptPrevious) &&
            !moveAside(url.path, restored.keptPrevious)) {
            QFile::remove(staged);
            return R::failure(
                Refusal::Kind::Internal,
                u"cannot keep the current database as %1"_s.arg(restored.keptPrevious));
        }
    }
    // The old WAL must go before the new file arrives: SQLite would replay it onto it.
    QFile::remove(url.path + u"-wal"_s);
    QFile::remove(url.path + u"-shm"_s);
    if (std::rename(QFile::encodeName(staged).constData(),
                    QFile::encodeName(url.path).constData()) != 0) {
        QFile::remove(staged);
        return R::failure(Refusal::Kind::Internal,
                          u"cannot move the restored database into place at %1"_s.arg(url.path));
    }
    return restored;
}

} // namespace Backup
