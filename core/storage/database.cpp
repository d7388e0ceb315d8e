// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/database.h"

#include "latencyhistogram.h"
#include "storage/migrations.h"
#include "storage/storageerror.h"
#include "storage/uselock.h"

#include <QAtomicInteger>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QThread>
#include <QUuid>
#include <chrono>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

// Connections opened by this thread, removed when the thread ends.
struct ThreadConnections
{
    QStringList names;
    bool watching = false;
    ~ThreadConnections() { release(); }
    void release()
    {
        for (const QString &name : std::as_const(names)) {
            {
                QSqlDatabase db = QSqlDatabase::database(name, false);
                db.close();
            }
            QSqlDatabase::removeDatabase(name);
        }
        names.clear();
    }
};
thread_local ThreadConnections t_connections;

// A QThread's thread_local objects are destroyed after QThread::wait() has returned, so
// when a worker pool is joined just before the process exits, the destructor above can
// race the exit handlers that tear down QtSql (free(): invalid pointer). QThread's
// finished signal comes from the ending thread before wait() returns: release there.
void releaseWhenThreadFinishes()
{
    QThread *thread = QThread::currentThread();
    if (t_connections.watching || !thread)
        return;
    t_connections.watching = true;
    QObject::connect(
        thread, &QThread::finished, thread, [] { t_connections.release(); }, Qt::DirectConnection);
}
thread_local int t_writeDepth = 0;
thread_local std::vector<std::function<void()>> t_whenWritten;

// Runs what whenWritten() queued for the transaction that just ended on this thread.
void runWhenWritten()
{
    std::vector<std::function<void()>> queued;
    queued.swap(t_whenWritten);
    for (const auto &done : queued)
        done();
}

void execOrThrow(QSqlDatabase &db, const QString &statement)
{
    QSqlQuery query(db);
    if (!query.exec(statement))
        throw StorageError(statement, query.lastError());
}

// Turning a fresh file to WAL needs an exclusive lock, and SQLite answers "database is
// locked" without waiting in some states (another process creating the file or recovering
// its WAL), so several instances or CLI commands opening one new file at once wait here.
void enableWal(QSqlDatabase &db)
{
    QElapsedTimer waited;
    waited.start();
    for (;;) {
        QSqlQuery query(db);
        if (query.exec(u"PRAGMA journal_mode=WAL"_s))
            return;
        const QString code = query.lastError().nativeErrorCode();
        const bool busy = code == u"5" || code == u"6"; // SQLITE_BUSY, SQLITE_LOCKED
        if (!busy || waited.elapsed() > 10000)
            throw StorageError(u"PRAGMA journal_mode=WAL"_s, query.lastError());
        QThread::msleep(20);
    }
}

void closeConnection(const QString &name)
{
    if (t_connections.names.removeAll(name) > 0) {
        {
            QSqlDatabase db = QSqlDatabase::database(name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(name);
    }
}

} // namespace

Database::Database(DatabaseUrl url)
    : m_url(std::move(url)), m_prefix(QUuid::createUuid().toString(QUuid::Id128).left(12))
{}

Database::~Database()
{
    closeConnection(connectionName());
}

void Database::releaseConnection() const
{
    if (t_writeDepth > 0 || m_url.path == u":memory:")
        return;
    closeConnection(connectionName());
}

QString Database::connectionName() const
{
    return u"gh-%1-%2"_s.arg(m_prefix).arg(quintptr(QThread::currentThreadId()));
}

QSqlDatabase Database::openConnection(const QString &name) const
{
    const bool sqlite = m_url.dialect == Dialect::Sqlite;
    QSqlDatabase db = QSqlDatabase::addDatabase(sqlite ? u"QSQLITE"_s : u"QPSQL"_s, name);
    t_connections.names << name;
    releaseWhenThreadFinishes();
    if (sqlite) {
        db.setDatabaseName(m_url.path);
        db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=10000"_s);
    } else {
        db.setHostName(m_url.host);
        db.setPort(m_url.port);
        db.setDatabaseName(m_url.name);
        db.setUserName(m_url.user);
        db.setPassword(m_url.password);
        db.setConnectOptions(m_url.options);
    }
    if (!db.open())
        throw StorageError(u"cannot open %1"_s.arg(m_url.redacted()), db.lastError());
    if (!sqlite) // no "relation … already exists, skipping" notices on stderr at each start
        execOrThrow(db, u"SET client_min_messages TO warning"_s);
    if (sqlite) {
        enableWal(db);
        execOrThrow(db, u"PRAGMA synchronous=NORMAL"_s);
        execOrThrow(db, u"PRAGMA foreign_keys=ON"_s);
    }
    return db;
}

QSqlDatabase Database::connection() const
{
    const QString name = connectionName();
    QSqlDatabase db = QSqlDatabase::database(name, false);
    if (db.isValid() && db.isOpen())
        return db;
    if (db.isValid()) {
        if (!db.open())
            throw StorageError(u"cannot reopen %1"_s.arg(m_url.redacted()), db.lastError());
        return db;
    }
    return openConnection(name);
}

Result<Done> Database::open()
{
    try {
        if (m_url.dialect == Dialect::Sqlite) {
            const QFileInfo file(m_url.path);
            if (!QFileInfo(file.absolutePath()).isWritable())
                return Result<Done>::failure(
                    Refusal::Kind::Internal,
                    u"database folder %1 is not writable"_s.arg(file.absolutePath()));
            m_useLock = std::make_unique<DatabaseUseLock>();
            if (m_url.path != u":memory:" &&
                !m_useLock->acquire(m_url.path, DatabaseUseLock::Mode::Shared, 10000))
                return Result<Done>::failure(Refusal::Kind::Internal, m_useLock->error());
        }
        (void)connection();
        return applyMigrations(*this);
    } catch (const StorageError &error) {
        return Result<Done>::failure(Refusal::Kind::Internal, QString::fromStdString(error.what()));
    }
}

bool Database::ping() const
{
    try {
        QSqlDatabase db = connection();
        QSqlQuery query(db);
        return query.exec(u"SELECT 1"_s) && query.next();
    } catch (const StorageError &) {
        return false;
    }
}

void Database::write(const std::function<void()> &work) const
{
    if (t_writeDepth > 0) { // already inside a transaction on this thread
        work();
        return;
    }
    QSqlDatabase db = connection();
    execOrThrow(db, m_url.dialect == Dialect::Sqlite ? u"BEGIN IMMEDIATE"_s : u"BEGIN"_s);
    ++t_writeDepth;
    try {
        work();
        --t_writeDepth;
        execOrThrow(db, u"COMMIT"_s);
    } catch (...) {
        t_writeDepth = 0;
        QSqlQuery rollback(db);
        rollback.exec(u"ROLLBACK"_s);
        runWhenWritten();
        throw;
    }
    runWhenWritten();
}

void Database::whenWritten(std::function<void()> done)
{
    if (t_writeDepth > 0)
        t_whenWritten.push_back(std::move(done));
    else
        done();
}

bool Database::inWrite()
{
    return t_writeDepth > 0;
}

Sql::Sql(const Database &db, const QString &statement)
    : m_query(std::make_unique<QSqlQuery>(db.connection())), m_statement(statement),
      m_timer(db.queryTimer())
{}

Sql::~Sql() = default;

Sql &Sql::bind(const QString &name, const QVariant &value)
{
    // Prepared on first use: PostgreSQL cannot PREPARE DDL, which never binds.
    if (!m_prepared) {
        if (!m_query->prepare(m_statement))
            throw StorageError(m_statement, m_query->lastError());
        m_prepared = true;
    }
    m_query->bindValue(name, value);
    return *this;
}

Sql &Sql::exec()
{
    // Two clock reads and a few relaxed atomic adds: cheap enough for every statement.
    const auto start = std::chrono::steady_clock::now();
    const bool ok = m_prepared ? m_query->exec() : m_query->exec(m_statement);
    if (m_timer)
        m_timer->observe(std::chrono::duration_cast<std::chrono::nanoseconds>(
                             std::chrono::steady_clock::now() - start)
                             .count());
    if (!ok)
        throw StorageError(m_statement, m_query->lastError());
    m_columns.clear();
    m_lastColumn = -1;
    return *this;
}

bool Sql::next()
{
    return m_query->next();
}

int Sql::indexOf(const QString &column) const
{
    if (m_columns.isEmpty()) {
        const QSqlRecord record = m_query->record();
        for (int i = 0; i < record.count(); ++i)
            m_columns << record.fieldName(i);
    }
    // Rows are mostly read in SELECT order: the column after the last one read comes first.
    const qsizetype next = m_lastColumn + 1;
    if (next < m_columns.size() && m_columns.at(next) == column)
        return int(m_lastColumn = next);
    const qsizetype at = m_columns.indexOf(column);
    if (at < 0)
        throw StorageError(u"no column \"%1\" in: %2"_s.arg(column, m_statement));
    return int(m_lastColumn = at);
}

QVariant Sql::value(const QString &column) const
{
    return m_query->value(indexOf(column));
}

int Sql::rowsAffected() const
{
    return m_query->numRowsAffected();
}

QSqlQuery &Sql::query()
{
    return *m_query;
}
