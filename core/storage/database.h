// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"
#include "storage/databaseurl.h"

#include <QSqlDatabase>
#include <QString>
#include <QVariant>
#include <atomic>
#include <functional>

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
    Dialect dialect() const { return m_url.dialect; }
    const DatabaseUrl &url() const { return m_url; }
    bool ping() const;

    // Runs `work` in one write transaction; rolls back if it throws.
    void write(const std::function<void()> &work) const;
    // Where Sql::exec() records how long each statement took (/metrics); null: nowhere.
    void setQueryTimer(LatencyHistogram *timer) { m_queryTimer = timer; }
    LatencyHistogram *queryTimer() const { return m_queryTimer.load(std::memory_order_relaxed); }

private:
    QString connectionName() const;
    QSqlDatabase openConnection(const QString &name) const;

    DatabaseUrl m_url;
    QString m_prefix;
    std::atomic<LatencyHistogram *> m_queryTimer{nullptr};
};

// One statement with `:named` bindings. Every failure throws StorageError.
class Sql
{
public:
    Sql(const Database &db, const QString &statement);
    ~Sql();
    Sql &bind(const QString &name, const QVariant &value);
    Sql &exec();
    bool next();
    QVariant value(int column) const;
    QVariant value(const QString &column) const;
    int rowsAffected() const;
    QSqlQuery &query();

private:
    std::unique_ptr<QSqlQuery> m_query;
    QString m_statement;
    LatencyHistogram *m_timer;
    bool m_prepared = false;
};
