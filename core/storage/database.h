// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"
#include "storage/databaseurl.h"

#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <atomic>
#include <functional>
#include <memory>

class DatabaseUseLock;
class LatencyHistogram;
class QSqlQuery;

// The store of record. Each thread gets its own named connection on first use, so
// listener threads, pool threads and the GUI never share one. SQLite runs in WAL mode
// and writes start with BEGIN IMMEDIATE, so a read-then-write never fails with
// "database is locked"; PostgreSQL lets several instances share one database.
class Database
{
public:
    explicit Database(DatabaseUrl url);
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    // Connects on this thread and applies pending migrations.
    Result<Done> open();
    QSqlDatabase connection() const;
    // Closes this thread's connection (the next use reopens it): SQLite holds some 300 KiB
    // per connection (page cache, schema, lookaside), worth giving back on threads that use
    // the database once in minutes. Not inside write(); nothing for ":memory:", whose data
    // would go with it.
    void releaseConnection() const;
    Dialect dialect() const { return m_url.dialect; }
    const DatabaseUrl &url() const { return m_url; }
    bool ping() const;

    // Runs `work` in one write transaction; rolls back if it throws.
    void write(const std::function<void()> &work) const;
    // Runs `done` when this thread's outermost write transaction ends (committed or
    // rolled back), or at once outside one: caches forget a row only after its change
    // is visible to every other connection.
    static void whenWritten(std::function<void()> done);
    // True inside write() on this thread: reads may see changes not yet committed.
    static bool inWrite();
    // Where Sql::exec() records how long each statement took (/metrics); null: nowhere.
    void setQueryTimer(LatencyHistogram *timer) { m_queryTimer = timer; }
    LatencyHistogram *queryTimer() const { return m_queryTimer.load(std::memory_order_relaxed); }

private:
    QString connectionName() const;
    QSqlDatabase openConnection(const QString &name) const;

    DatabaseUrl m_url;
    QString m_prefix;
    std::unique_ptr<DatabaseUseLock> m_useLock; // SQLite: held while open (see uselock.h)
    std::atomic<LatencyHistogram *> m_queryTimer{nullptr};
};

// One statement with `:named` bindings. Every failure throws StorageError. Columns are
// read by name only (name them with AS where the SELECT computes them), so a column
// added to or moved in a SELECT cannot shift a value into the wrong variable.
class Sql
{
public:
    Sql(const Database &db, const QString &statement);
    ~Sql();
    Sql &bind(const QString &name, const QVariant &value);
    Sql &exec();
    bool next();
    // The named column of the current row; a name the SELECT lacks throws StorageError.
    QVariant value(const QString &column) const;
    int rowsAffected() const;
    QSqlQuery &query();

private:
    int indexOf(const QString &column) const;

    std::unique_ptr<QSqlQuery> m_query;
    QString m_statement;
    LatencyHistogram *m_timer;
    bool m_prepared = false;
    // The result's column names, looked up once per exec() (QSqlQuery::value(name) asks
    // the driver for a fresh record on every read: a PostgreSQL one is rebuilt each time).
    mutable QStringList m_columns;
    mutable qsizetype m_lastColumn = -1;
};
