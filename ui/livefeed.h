// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "identity/audit.h"
#include "identity/changefeed.h"

#include <QObject>
#include <QTimer>
#include <optional>

class Services;
class Workers;

// Tells the pages when what they show has changed, whoever changed it: this process
// (the audit log's recorded signal, the outbox's changed signal) or another one (the
// CLI, a second instance), noticed by polling ChangeFeed each second on a worker.
class LiveFeed : public QObject
{
    Q_OBJECT
public:
    LiveFeed(Services &services, Workers &workers, QObject *parent = nullptr);

    // 750 ms: a change made elsewhere shows in under a second, poll and reload included.
    void start(int intervalMs = 750);
    // Polls now (at most one poll runs at a time; a request during one queues another).
    void pollNow();

Q_SIGNALS:
    void usersChanged();
    void namespacesChanged();
    void bindingsChanged();
    void tokensChanged();
    void auditChanged();
    void outboxChanged();
    // Events written by this process, as they are flushed (about every 200 ms).
    void auditRecorded(const QList<AuditEvent> &events);

private:
    void finished(const ChangeStamp &stamp);

    Services &m_services;
    Workers &m_workers;
    QTimer m_timer;
    std::optional<ChangeStamp> m_last;
    bool m_polling = false;
    bool m_again = false;
};
