// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QMutex>
#include <QObject>
#include <QString>
#include <memory>

class Clock;
class Database;
class WorkerThread;
class QTimer;

// One auth event or admin action: who, what, when, from where, result. Build it with
// named fields, `{.actor = id, .action = u"user.login"_s, .result = u"ok"_s}`, never by
// position: seven strings in a row swap without a compiler noticing. (`= {}` lets a
// field be left out without a -Wmissing-field-initializers warning.)
struct AuditEvent
{
    qint64 id = 0;
    qint64 at = 0;        // ms since epoch; filled in by record() when zero
    QString actor = {};   // "admin", a user id, "cli", "anonymous"…
    QString action = {};  // "namespace.auth", "namespace.add", "user.login"…
    QString subject = {}; // what it acted on
    QString surface = {}; // "namespace", "account", "console", "cli"…
    QString ip = {};
    QString result = {}; // "ok", "denied", "error"
    QString detail = {};
    // How many times it happened. flush() stores the events of one batch that are equal in
    // all seven text fields as one row: `at` is the first one's, `repeats` their sum.
    int repeats = 1;
};

struct AuditFilter
{
    QString text; // matched against actor, action, subject, detail
    QString surface;
    QString result;
    int limit = 200;
    qint64 beforeId = 0; // paging: only events older than this id
};

// The audit log. record() is cheap and callable from any thread: events are queued in
// memory and written in batches by the log's own thread every 200 ms (or sooner when
// many are waiting), so auth requests never wait on a log write. flush() writes
// everything now; it runs at shutdown. A flood of identical events (the same token
// checked 90,000 times a second) becomes one row per batch with a count, not a row each.
class AuditLog : public QObject
{
    Q_OBJECT
public:
    AuditLog(const Database &db, const Clock &clock);
    ~AuditLog() override;

    void record(AuditEvent event);
    void flush();
    QList<AuditEvent> query(const AuditFilter &filter) const;
    qint64 pruneOlderThan(qint64 cutoffMs);

Q_SIGNALS:
    // The events as written: repeats merged, in the order they first happened.
    void recorded(const QList<AuditEvent> &events);

private:
    const Database &m_db;
    const Clock &m_clock;
    QMutex m_mutex;
    QList<AuditEvent> m_pending;
    QMutex m_flushMutex;
    std::unique_ptr<WorkerThread> m_thread;
    QTimer *m_timer;
};
