// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/audit.h"

#include "clock.h"
#include "storage/database.h"
#include "storage/storageerror.h"
#include "storage/table.h"
#include "workerthread.h"

#include <QHash>
#include <QLoggingCategory>
#include <QThread>
#include <QTimer>
#include <limits>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcAudit, "gatehouse.audit")

namespace {
constexpr int kFlushIntervalMs = 200;
constexpr int kFlushSoonAt = 2000;
constexpr int kMaxPending = 200000; // beyond this a stuck database drops the oldest events

// Text is written '' when empty, never NULL: the columns are NOT NULL.
const Table<AuditEvent> kAuditLog{u"audit_log"_s,
                                  {
                                      {u"id"_s, &AuditEvent::id, Stored::ByDatabase},
                                      {u"at"_s, &AuditEvent::at},
                                      {u"actor"_s, &AuditEvent::actor},
                                      {u"action"_s, &AuditEvent::action},
                                      {u"subject"_s, &AuditEvent::subject},
                                      {u"surface"_s, &AuditEvent::surface},
                                      {u"ip"_s, &AuditEvent::ip},
                                      {u"result"_s, &AuditEvent::result},
                                      {u"detail"_s, &AuditEvent::detail},
                                      {u"repeats"_s, &AuditEvent::repeats},
                                  }};

// An event's seven text fields, compared and hashed in place (the batch outlives the
// hash, so no string is copied).
struct SameText
{
    const AuditEvent *e;

    friend bool operator==(SameText a, SameText b)
    {
        return a.e->actor == b.e->actor && a.e->action == b.e->action &&
               a.e->subject == b.e->subject && a.e->surface == b.e->surface && a.e->ip == b.e->ip &&
               a.e->result == b.e->result && a.e->detail == b.e->detail;
    }
    friend size_t qHash(SameText k, size_t seed = 0)
    {
        return qHashMulti(seed, k.e->actor, k.e->action, k.e->subject, k.e->surface, k.e->ip,
                          k.e->result, k.e->detail);
    }
};

// One event per distinct text, in the order each first occurs, with the first one's time
// and the sum of their repeats (a batch put back after a failed write merges again).
QList<AuditEvent> mergeRepeats(const QList<AuditEvent> &batch)
{
    QList<AuditEvent> merged;
    QHash<SameText, qsizetype> row; // 1 + its index in merged; 0: not seen yet
    row.reserve(batch.size());
    for (const AuditEvent &e : batch) {
        qsizetype &slot = row[SameText{&e}];
        if (slot != 0 && merged[slot - 1].repeats <= std::numeric_limits<int>::max() - e.repeats) {
            merged[slot - 1].repeats += e.repeats;
            continue;
        }
        merged.append(e); // new text, or a count that would overflow: a row of its own
        slot = merged.size();
    }
    return merged;
}
} // namespace

AuditLog::AuditLog(const Database &db, const Clock &clock)
    : m_db(db), m_clock(clock), m_thread(std::make_unique<WorkerThread>(u"audit-writer"_s)),
      m_timer(m_thread->adopt(new QTimer))
{
    m_timer->setInterval(kFlushIntervalMs);
    connect(m_timer, &QTimer::timeout, m_timer, [this] { flush(); });
    connect(m_thread->thread(), &QThread::started, m_timer, qOverload<>(&QTimer::start));
    m_thread->start();
}

AuditLog::~AuditLog()
{
    m_thread->stop(); // lets a flush in progress finish; the timer goes with the thread
    m_timer = nullptr;
    flush();
}

void AuditLog::record(AuditEvent event)
{
    if (event.at == 0)
        event.at = m_clock.nowMs();
    event.repeats = qMax(1, event.repeats);
    bool soon = false;
    {
        QMutexLocker lock(&m_mutex);
        if (m_pending.size() >= kMaxPending)
            m_pending.removeFirst();
        m_pending.append(std::move(event));
        soon = m_pending.size() == kFlushSoonAt;
    }
    if (soon)
        QMetaObject::invokeMethod(
            m_timer, [this] { flush(); }, Qt::QueuedConnection);
}

void AuditLog::flush()
{
    QMutexLocker flushing(&m_flushMutex);
    QList<AuditEvent> batch;
    {
        QMutexLocker lock(&m_mutex);
        batch.swap(m_pending);
    }
    if (batch.isEmpty())
        return;
    batch = mergeRepeats(batch); // here, not in record(): listener threads only append
    try {
        m_db.write([&] {
            Sql insert(m_db, kAuditLog.insert());
            for (const AuditEvent &e : std::as_const(batch)) {
                kAuditLog.bind(insert, e);
                insert.exec();
            }
        });
        Q_EMIT recorded(batch);
    } catch (const StorageError &error) {
        qCWarning(lcAudit) << "could not write" << batch.size() << "audit events:" << error.what();
        QMutexLocker lock(&m_mutex);
        m_pending = batch + m_pending; // try again on the next tick
    }
}

QList<AuditEvent> AuditLog::query(const AuditFilter &filter) const
{
    QString sql = kAuditLog.select(u"WHERE 1=1"_s);
    if (filter.beforeId > 0)
        sql += u" AND id < :before"_s;
    if (!filter.surface.isEmpty())
        sql += u" AND surface = :surface"_s;
    if (!filter.result.isEmpty())
        sql += u" AND result = :result"_s;
    if (!filter.text.isEmpty())
        sql += u" AND (actor LIKE :text OR action LIKE :text OR subject LIKE :text "
               u"OR detail LIKE :text OR ip LIKE :text)"_s;
    sql += u" ORDER BY id DESC LIMIT :limit"_s;
    Sql q(m_db, sql);
    if (filter.beforeId > 0)
        q.bind(u":before"_s, filter.beforeId);
    if (!filter.surface.isEmpty())
        q.bind(u":surface"_s, filter.surface);
    if (!filter.result.isEmpty())
        q.bind(u":result"_s, filter.result);
    if (!filter.text.isEmpty())
        q.bind(u":text"_s, u'%' + filter.text + u'%');
    q.bind(u":limit"_s, qBound(1, filter.limit, 10000)).exec();
    QList<AuditEvent> out;
    while (q.next())
        out.append(kAuditLog.read(q));
    return out;
}

qint64 AuditLog::pruneOlderThan(qint64 cutoffMs)
{
    qint64 removed = 0;
    m_db.write([&] {
        Sql q(m_db, u"DELETE FROM audit_log WHERE at < :cutoff"_s);
        removed = q.bind(u":cutoff"_s, cutoffMs).exec().rowsAffected();
    });
    return removed;
}
