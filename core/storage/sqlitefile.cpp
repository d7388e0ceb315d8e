// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/sqlitefile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryFile>
#include <cstdio>
#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace {

// One sqlite3 connection, closed on every path out.
struct Connection
{
    sqlite3 *db = nullptr;
    ~Connection() { sqlite3_close_v2(db); }
    QString error() const { return QString::fromUtf8(sqlite3_errmsg(db)); }
};

Result<Done> openFile(Connection &c, const QString &path)
{
    if (!QFileInfo(path).isFile())
        return Result<Done>::failure(Refusal::Kind::Internal,
                                     u"%1 does not exist or is not a file"_s.arg(path));
    // No SQLITE_OPEN_CREATE: a missing file is an error, not a new empty database.
    const int rc =
        sqlite3_open_v2(QFile::encodeName(path).constData(), &c.db, SQLITE_OPEN_READWRITE, nullptr);
    if (rc != SQLITE_OK)
        return Result<Done>::failure(Refusal::Kind::Internal,
                                     u"cannot open %1: %2"_s.arg(path, c.error()));
    sqlite3_busy_timeout(c.db, 10000);
    return Done{};
}

// The first column of the first row of `sql` as text; fails on any SQLite error.
Result<QString> scalar(Connection &c, const char *sql)
{
    sqlite3_stmt *statement = nullptr;
    int rc = sqlite3_prepare_v2(c.db, sql, -1, &statement, nullptr);
    QString value;
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(statement);
        if (rc == SQLITE_ROW) {
            const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(statement, 0));
            value = QString::fromUtf8(text ? text : "");
            rc = SQLITE_OK;
        } else if (rc == SQLITE_DONE) {
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(statement);
    if (rc != SQLITE_OK)
        return Result<QString>::failure(Refusal::Kind::Internal, c.error());
    return value;
}

Result<Done> backupInto(Connection &source, Connection &target)
{
    sqlite3_backup *backup = sqlite3_backup_init(target.db, "main", source.db, "main");
    if (!backup)
        return Result<Done>::failure(Refusal::Kind::Internal, target.error());
    int rc = SQLITE_OK;
    // -1: every page in one step, inside one read transaction: a consistent snapshot.
    for (int attempt = 0; attempt < 200; ++attempt) {
        rc = sqlite3_backup_step(backup, -1);
        if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
            break;
        sqlite3_sleep(50);
    }
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE)
        return Result<Done>::failure(Refusal::Kind::Internal,
                                     QString::fromUtf8(sqlite3_errstr(rc)));
    return Done{};
}

} // namespace

namespace SqliteFile {

Result<Done> copy(const QString &from, const QString &to)
{
    using R = Result<Done>;
    const QFileInfo target(to);
    QTemporaryFile temp(target.absolutePath() + u"/."_s + target.fileName() + u".XXXXXX"_s);
    if (!temp.open()) // QTemporaryFile creates the file 0600: no moment readable by others
        return R::failure(Refusal::Kind::Internal, u"cannot create a file in %1: %2"_s.arg(
                                                       target.absolutePath(), temp.errorString()));
    temp.close();
    {
        Connection source;
        if (auto opened = openFile(source, from); !opened)
            return opened;
        Connection copy;
        if (sqlite3_open_v2(QFile::encodeName(temp.fileName()).constData(), &copy.db,
                            SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
            return R::failure(Refusal::Kind::Internal,
                              u"cannot open %1: %2"_s.arg(temp.fileName(), copy.error()));
        if (auto copied = backupInto(source, copy); !copied)
            return R::failure(Refusal::Kind::Internal,
                              u"cannot copy %1: %2"_s.arg(from, copied.error()));
        if (auto single = scalar(copy, "PRAGMA journal_mode=DELETE"); !single)
            return R::failure(Refusal::Kind::Internal,
                              u"cannot finish %1: %2"_s.arg(temp.fileName(), single.error()));
    }
    QFile::setPermissions(temp.fileName(), QFile::ReadOwner | QFile::WriteOwner);
    // rename(2) replaces `to` atomically; QFile::rename would refuse an existing file.
    if (std::rename(QFile::encodeName(temp.fileName()).constData(),
                    QFile::encodeName(to).constData()) != 0)
        return R::failure(Refusal::Kind::Internal,
                          u"cannot rename %1 to %2"_s.arg(temp.fileName(), to));
    temp.setAutoRemove(false);
    return Done{};
}

Result<Summary> inspect(const QString &path)
{
    using R = Result<Summary>;
    Connection c;
    if (auto opened = openFile(c, path); !opened)
        return R::failure(Refusal::Kind::Internal, opened.error());
    const auto integrity = scalar(c, "PRAGMA integrity_check");
    if (!integrity)
        return R::failure(Refusal::Kind::Internal,
                          u"%1 is not a SQLite database (%2)"_s.arg(path, integrity.error()));
    if (*integrity != u"ok")
        return R::failure(Refusal::Kind::Internal,
                          u"%1 fails SQLite's integrity check: %2"_s.arg(path, *integrity));
    const auto tables = scalar(c, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND "
                                  "name IN ('schema_migrations', 'meta', 'users', 'namespaces')");
    if (!tables || tables->toInt() != 4)
        return R::failure(Refusal::Kind::Internal,
                          u"%1 is not a Gatehouse database (no schema_migrations, meta, users "
                          u"and namespaces tables)"_s.arg(path));
    Summary summary;
    const auto version = scalar(c, "SELECT MAX(version) FROM schema_migrations");
    const auto users = scalar(c, "SELECT COUNT(*) FROM users");
    const auto namespaces = scalar(c, "SELECT COUNT(*) FROM namespaces");
    if (!version || !users || !namespaces || version->toInt() < 1)
        return R::failure(Refusal::Kind::Internal,
                          u"%1 is not a Gatehouse database (no schema version)"_s.arg(path));
    summary.schemaVersion = version->toInt();
    summary.users = users->toLongLong();
    summary.namespaces = namespaces->toLongLong();
    return summary;
}

} // namespace SqliteFile
