// SPDX-License-Identifier: GPL-3.0-or-later
#include "livefeed.h"

#include "services.h"
#include "workers.h"

LiveFeed::LiveFeed(Services &services, Workers &workers, QObject *parent)
    : QObject(parent), m_services(services), m_workers(workers)
{
    connect(&m_timer, &QTimer::timeout, this, &LiveFeed::pollNow);
    // Emitted on the audit writer's thread: queued to ours. A change made here (an
    // HTTP request, a console action) shows without waiting for the next tick.
    connect(&services.audit, &AuditLog::recorded, this, [this](const QList<AuditEvent> &events) {
        Q_EMIT auditRecorded(events);
        pollNow();
    });
    connect(&services.outbox, &Outbox::changed, this, [this] { pollNow(); });
}

void LiveFeed::start(int intervalMs)
{
    m_timer.start(intervalMs);
    pollNow();
}

void LiveFeed::pollNow()
{
    if (m_polling) {
        m_again = true;
        return;
    }
    m_polling = true;
    ChangeFeed &feed = m_services.changes;
    m_workers.run(
        this, [&feed] { return feed.current(); },
        [this](Result<ChangeStamp> stamp) {
            m_polling = false;
            if (stamp)
                finished(*stamp);
            if (m_again) {
                m_again = false;
                pollNow();
            }
        });
}

void LiveFeed::finished(const ChangeStamp &stamp)
{
    // The first poll sets the baseline. Pages loaded while it ran may have missed a
    // change made just before it, so everything counts as changed once.
    const ChangeStamp last = std::exchange(m_last, stamp).value_or(ChangeStamp{});
    if (last.users != stamp.users)
        Q_EMIT usersChanged();
    if (last.namespaces != stamp.namespaces)
        Q_EMIT namespacesChanged();
    if (last.bindings != stamp.bindings)
        Q_EMIT bindingsChanged();
    if (last.tokens != stamp.tokens)
        Q_EMIT tokensChanged();
    if (last.audit != stamp.audit)
        Q_EMIT auditChanged();
    if (last.outbox != stamp.outbox)
        Q_EMIT outboxChanged();
}
