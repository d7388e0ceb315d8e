// SPDX-License-Identifier: GPL-3.0-or-later
#include "metrics.h"

#include <utility>

namespace {

constexpr int kRejectedCodes[] = {400, 408, 413, 429, 431, 503, 0};
constexpr const char *kCodeClassNames[] = {"1xx", "2xx", "3xx", "4xx", "429", "5xx"};
constexpr const char *kOutcomeNames[] = {"success", "refused", "rate_limited"};

int rejectedIndex(int status)
{
    for (int i = 0; i < 6; ++i)
        if (kRejectedCodes[i] == status)
            return i;
    return 6;
}

// The login a handler noted on this thread, until the listener settles it.
struct PendingLogin
{
    int surface = -1;
    bool success = false;
};
thread_local PendingLogin t_login;

void header(QByteArray &out, const char *name, const char *type, const char *help)
{
    out += QByteArray("# HELP ") + name + ' ' + help + "\n# TYPE " + name + ' ' + type + '\n';
}

QByteArray label(const char *name, const QByteArray &value)
{
    return QByteArray(name) + "=\"" + Metrics::escapeLabel(value) + '"';
}

} // namespace

const char *Metrics::surfaceName(Surface s)
{
    static const char *names[] = {"namespace", "wallet", "pin",  "device",
                                  "account",   "oidc",   "other"};
    return names[s];
}

Metrics::Metrics()
{
    for (int s = 0; s < SurfaceCount; ++s) {
        RouteStats &stats = m_routes.emplace_back();
        stats.surface = Surface(s);
        stats.method = "any";
        stats.route = "unmatched";
        m_unmatched[s] = &stats;
    }
}

Metrics::RouteStats *Metrics::registerRoute(Surface surface, const QByteArray &method,
                                            const QString &pattern)
{
    const QByteArray route = pattern.toUtf8();
    std::lock_guard lock(m_mutex);
    for (RouteStats &stats : m_routes)
        if (stats.surface == surface && stats.method == method && stats.route == route)
            return &stats;
    RouteStats &stats = m_routes.emplace_back();
    stats.surface = surface;
    stats.method = method;
    stats.route = route;
    return &stats;
}

int Metrics::codeClass(int status)
{
    if (status == 429)
        return 4;
    const int c = qBound(1, status / 100, 5);
    return c == 5 ? 5 : c - 1;
}

QByteArray Metrics::escapeLabel(const QByteArray &value)
{
    QByteArray out;
    out.reserve(value.size());
    for (const char c : value) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

void Metrics::countRequest(RouteStats *route, int status, qint64 nanos)
{
    const Surface surface = route->surface;
    m_requests[surface][statusClass(status)].fetch_add(1, std::memory_order_relaxed);
    m_micros[surface].fetch_add(quint64(qMax<qint64>(0, nanos / 1000)), std::memory_order_relaxed);
    route->codes[codeClass(status)].fetch_add(1, std::memory_order_relaxed);
    route->latency.observe(nanos);
}

void Metrics::countLogin(Surface surface, bool success)
{
    (success ? m_loginOk : m_loginFailed)[surface].fetch_add(1, std::memory_order_relaxed);
    t_login = {int(surface), success};
}

void Metrics::settleLogin(int status)
{
    const PendingLogin login = std::exchange(t_login, PendingLogin{});
    if (login.surface < 0 || status == 0)
        return;
    LoginOutcome outcome = LoginOutcome::Refused;
    if (status == 429)
        outcome = LoginOutcome::RateLimited;
    else if (login.success && status < 400)
        outcome = LoginOutcome::Success;
    m_loginOutcomes[login.surface][int(outcome)].fetch_add(1, std::memory_order_relaxed);
}

void Metrics::countRejected(int status)
{
    m_rejected[rejectedIndex(status)].fetch_add(1, std::memory_order_relaxed);
}

void Metrics::setOutboxSource(std::function<OutboxStats()> source)
{
    std::lock_guard lock(m_mutex);
    m_outbox = std::move(source);
}

quint64 Metrics::requestsTotal() const
{
    quint64 total = 0;
    for (const auto &perClass : m_requests)
        for (const auto &n : perClass)
            total += n.load(std::memory_order_relaxed);
    return total;
}

quint64 Metrics::loginFailuresTotal() const
{
    quint64 total = 0;
    for (const auto &n : m_loginFailed)
        total += n.load(std::memory_order_relaxed);
    return total;
}

void Metrics::renderRoutes(QByteArray &out) const
{
    header(out, "gatehouse_http_requests_total", "counter",
           "HTTP requests answered, by surface, method, route pattern and status class "
           "(429 apart from the other 4xx).");
    for (const RouteStats &r : m_routes) {
        const QByteArray labels = label("surface", surfaceName(r.surface)) + ',' +
                                  label("method", r.method) + ',' + label("route", r.route);
        for (int c = 0; c < kCodeClasses; ++c)
            out += "gatehouse_http_requests_total{" + labels + ',' +
                   label("code", kCodeClassNames[c]) + "} " +
                   QByteArray::number(r.codes[c].load(std::memory_order_relaxed)) + '\n';
    }
    header(out, "gatehouse_http_request_duration_seconds", "histogram",
           "Time from a parsed request to its answer, queueing for the worker pool included, "
           "by surface, method and route pattern.");
    for (const RouteStats &r : m_routes)
        r.latency.render(out, "gatehouse_http_request_duration_seconds",
                         label("surface", surfaceName(r.surface)) + ',' +
                             label("method", r.method) + ',' + label("route", r.route));
}

void Metrics::renderLogins(QByteArray &out) const
{
    header(out, "gatehouse_logins_total", "counter",
           "Login attempts, by surface and result (ok or failed).");
    for (int s = 0; s < SurfaceCount; ++s) {
        const QByteArray name(surfaceName(Surface(s)));
        out += "gatehouse_logins_total{surface=\"" + name + "\",result=\"ok\"} " +
               QByteArray::number(m_loginOk[s].load()) + '\n';
        out += "gatehouse_logins_total{surface=\"" + name + "\",result=\"failed\"} " +
               QByteArray::number(m_loginFailed[s].load()) + '\n';
    }
    header(out, "gatehouse_login_outcomes_total", "counter",
           "Login attempts by surface and outcome: success, refused, or rate_limited (429).");
    for (int s = 0; s < SurfaceCount; ++s)
        for (int o = 0; o < 3; ++o)
            out += QByteArray("gatehouse_login_outcomes_total{surface=\"") +
                   surfaceName(Surface(s)) + "\",outcome=\"" + kOutcomeNames[o] + "\"} " +
                   QByteArray::number(m_loginOutcomes[s][o].load()) + '\n';
}

void Metrics::renderOutbox(QByteArray &out) const
{
    const OutboxStats stats = m_outbox ? m_outbox() : OutboxStats{};
    header(out, "gatehouse_outbox_queued", "gauge",
           "Emails and SMS waiting to be sent or being sent (every instance's).");
    out += "gatehouse_outbox_queued " + QByteArray::number(stats.queued) + '\n';
    header(out, "gatehouse_outbox_send_failures_total", "counter",
           "Delivery attempts that failed (each is retried with backoff).");
    out += "gatehouse_outbox_send_failures_total " + QByteArray::number(stats.sendFailures) + '\n';
    header(out, "gatehouse_outbox_failed_total", "counter",
           "Messages given up on after the last attempt.");
    out += "gatehouse_outbox_failed_total " + QByteArray::number(stats.failedForGood) + '\n';
}

QByteArray Metrics::prometheusText(qint64 uptimeSecs) const
{
    std::lock_guard lock(m_mutex);
    QByteArray out;
    out.reserve(int(m_routes.size()) * 2400 + 4096);
    header(out, "gatehouse_requests_total", "counter",
           "HTTP requests answered, by surface and status class.");
    for (int s = 0; s < SurfaceCount; ++s)
        for (int c = 0; c < 5; ++c)
            out += "gatehouse_requests_total{surface=\"" + QByteArray(surfaceName(Surface(s))) +
                   "\",code=\"" + QByteArray::number(c + 1) + "xx\"} " +
                   QByteArray::number(m_requests[s][c].load()) + '\n';
    header(out, "gatehouse_request_seconds_total", "counter", "Time spent answering requests.");
    for (int s = 0; s < SurfaceCount; ++s)
        out += "gatehouse_request_seconds_total{surface=\"" + QByteArray(surfaceName(Surface(s))) +
               "\"} " + QByteArray::number(double(m_micros[s].load()) / 1e6, 'f', 6) + '\n';
    renderRoutes(out);
    renderLogins(out);
    header(out, "gatehouse_rejected_total", "counter", "Requests refused by the connection guard.");
    for (int i = 0; i < 7; ++i)
        out += "gatehouse_rejected_total{code=\"" +
               (kRejectedCodes[i] ? QByteArray::number(kRejectedCodes[i]) : QByteArray("other")) +
               "\"} " + QByteArray::number(m_rejected[i].load()) + '\n';
    header(out, "gatehouse_db_query_duration_seconds", "histogram",
           "Time spent executing SQL statements.");
    m_database.render(out, "gatehouse_db_query_duration_seconds", QByteArray());
    renderOutbox(out);
    header(out, "gatehouse_open_connections", "gauge", "Client connections open now.");
    out += "gatehouse_open_connections " + QByteArray::number(m_openConnections.load()) + '\n';
    header(out, "gatehouse_uptime_seconds", "gauge", "Seconds since the services started.");
    out += "gatehouse_uptime_seconds " + QByteArray::number(uptimeSecs) + '\n';
    return out;
}
