// SPDX-License-Identifier: GPL-3.0-or-later
#include "metrics.h"

namespace {
constexpr int kRejectedCodes[] = {400, 408, 413, 431, 503, 0};

int rejectedIndex(int status)
{
    for (int i = 0; i < 5; ++i)
        if (kRejectedCodes[i] == status)
            return i;
    return 5;
}
} // namespace

const char *Metrics::surfaceName(Surface s)
{
    static const char *names[] = {"namespace", "wallet", "pin", "device", "account", "other"};
    return names[s];
}

void Metrics::countRequest(Surface surface, int status, qint64 micros)
{
    m_requests[surface][statusClass(status)].fetch_add(1, std::memory_order_relaxed);
    m_micros[surface].fetch_add(quint64(qMax<qint64>(0, micros)), std::memory_order_relaxed);
}

void Metrics::countLogin(Surface surface, bool success)
{
    (success ? m_loginOk : m_loginFailed)[surface].fetch_add(1, std::memory_order_relaxed);
}

void Metrics::countRejected(int status)
{
    m_rejected[rejectedIndex(status)].fetch_add(1, std::memory_order_relaxed);
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

QByteArray Metrics::prometheusText(qint64 uptimeSecs) const
{
    QByteArray out;
    out += "# HELP gatehouse_requests_total HTTP requests answered, by surface and status class.\n"
           "# TYPE gatehouse_requests_total counter\n";
    for (int s = 0; s < SurfaceCount; ++s)
        for (int c = 0; c < 5; ++c)
            out += "gatehouse_requests_total{surface=\"" + QByteArray(surfaceName(Surface(s))) +
                   "\",code=\"" + QByteArray::number(c + 1) + "xx\"} " +
                   QByteArray::number(m_requests[s][c].load()) + '\n';
    out += "# HELP gatehouse_request_seconds_total Time spent answering requests.\n"
           "# TYPE gatehouse_request_seconds_total counter\n";
    for (int s = 0; s < SurfaceCount; ++s)
        out += "gatehouse_request_seconds_total{surface=\"" + QByteArray(surfaceName(Surface(s))) +
               "\"} " + QByteArray::number(double(m_micros[s].load()) / 1e6, 'f', 6) + '\n';
    out += "# HELP gatehouse_logins_total Login attempts, by surface and result.\n"
           "# TYPE gatehouse_logins_total counter\n";
    for (int s = 0; s < SurfaceCount; ++s) {
        const QByteArray name(surfaceName(Surface(s)));
        out += "gatehouse_logins_total{surface=\"" + name + "\",result=\"ok\"} " +
               QByteArray::number(m_loginOk[s].load()) + '\n';
        out += "gatehouse_logins_total{surface=\"" + name + "\",result=\"failed\"} " +
               QByteArray::number(m_loginFailed[s].load()) + '\n';
    }
    out += "# HELP gatehouse_rejected_total Requests refused by the connection guard.\n"
           "# TYPE gatehouse_rejected_total counter\n";
    for (int i = 0; i < 6; ++i)
        out += "gatehouse_rejected_total{code=\"" +
               (kRejectedCodes[i] ? QByteArray::number(kRejectedCodes[i]) : QByteArray("other")) +
               "\"} " + QByteArray::number(m_rejected[i].load()) + '\n';
    out += "# TYPE gatehouse_open_connections gauge\ngatehouse_open_connections " +
           QByteArray::number(m_openConnections.load()) + '\n';
    out += "# TYPE gatehouse_uptime_seconds gauge\ngatehouse_uptime_seconds " +
           QByteArray::number(uptimeSecs) + '\n';
    return out;
}
