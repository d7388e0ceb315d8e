// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "latencyhistogram.h"

#include <QByteArray>
#include <QString>
#include <array>
#include <atomic>
#include <deque>
#include <functional>
#include <mutex>

// Counters for /metrics and the console's charts; lock-free on every hot path (a request,
// a login, an SQL statement), callable from any thread. Only registering a route (at
// start) and rendering a scrape take a lock.
class Metrics
{
public:
    enum Surface { Namespace, Wallet, Pin, Device, Account, Oidc, Other, SurfaceCount };
    static const char *surfaceName(Surface s);
    enum class LoginOutcome { Success, Refused, RateLimited };
    // Status classes of gatehouse_http_requests_total: 429 apart from the other 4xx.
    static constexpr int kCodeClasses = 6; // 1xx 2xx 3xx 4xx 429 5xx

    // One route pattern's counters, labelled by pattern (never by the raw path).
    struct RouteStats
    {
        Surface surface = Other;
        QByteArray method;
        QByteArray route;
        std::array<std::atomic<quint64>, kCodeClasses> codes{};
        LatencyHistogram latency;
    };
    // What the Outbox reports at scrape time.
    struct OutboxStats
    {
        qint64 queued = 0;         // waiting or being sent (all instances: from the database)
        quint64 sendFailures = 0;  // failed attempts (this instance)
        quint64 failedForGood = 0; // messages given up on (this instance)
    };

    Metrics();
    // Stable for the life of Metrics; registering the same (method, pattern) again
    // returns the same entry (a server stopped and started again).
    RouteStats *registerRoute(Surface surface, const QByteArray &method, const QString &pattern);
    // Requests no route took (404, 405, CORS preflight), per surface.
    RouteStats *unmatched(Surface surface) { return m_unmatched[surface]; }

    void countRequest(RouteStats *route, int status, qint64 nanos);
    // A handler says a login was tried; the outcome is settled by settleLogin() where the
    // final status is known, so a 429 from any limiter on the way counts as rate_limited.
    void countLogin(Surface surface, bool success);
    void settleLogin(int status); // after the handler, on the same thread; 0: forget
    void connectionOpened() { ++m_openConnections; }
    void connectionClosed() { --m_openConnections; }
    void countRejected(int status); // refused by the guard: 400, 408, 413, 429, 431, 503
    LatencyHistogram &databaseLatency() { return m_database; }
    void setOutboxSource(std::function<OutboxStats()> source);

    quint64 requestsTotal() const;
    quint64 loginFailuresTotal() const;
    qint64 openConnections() const { return m_openConnections.load(); }
    QByteArray prometheusText(qint64 uptimeSecs) const;

    static int codeClass(int status);
    static QByteArray escapeLabel(const QByteArray &value);

private:
    void renderRoutes(QByteArray &out) const;
    void renderLogins(QByteArray &out) const;
    void renderOutbox(QByteArray &out) const;

    static int statusClass(int status) { return qBound(1, status / 100, 5) - 1; }
    std::array<std::array<std::atomic<quint64>, 5>, SurfaceCount> m_requests{};
    std::array<std::atomic<quint64>, SurfaceCount> m_micros{};
    std::array<std::atomic<quint64>, SurfaceCount> m_loginOk{};
    std::array<std::atomic<quint64>, SurfaceCount> m_loginFailed{};
    std::array<std::array<std::atomic<quint64>, 3>, SurfaceCount> m_loginOutcomes{};
    std::array<std::atomic<quint64>, 7> m_rejected{};
    std::atomic<qint64> m_openConnections{0};
    LatencyHistogram m_database;

    mutable std::mutex m_mutex; // registration and rendering only
    std::deque<RouteStats> m_routes;
    std::array<RouteStats *, SurfaceCount> m_unmatched{};
    std::function<OutboxStats()> m_outbox;
};
