// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <array>
#include <atomic>

// Counters for /metrics and the console's charts; lock-free, callable from any thread.
class Metrics
{
public:
    enum Surface { Namespace, Wallet, Pin, Device, Account, Other, SurfaceCount };
    static const char *surfaceName(Surface s);

    void countRequest(Surface surface, int status, qint64 micros);
    void countLogin(Surface surface, bool success);
    void connectionOpened() { ++m_openConnections; }
    void connectionClosed() { --m_openConnections; }
    void countRejected(int status); // refused by the guard: 400, 408, 413, 431, 503

    quint64 requestsTotal() const;
    quint64 loginFailuresTotal() const;
    qint64 openConnections() const { return m_openConnections.load(); }
    QByteArray prometheusText(qint64 uptimeSecs) const;

private:
    static int statusClass(int status) { return qBound(1, status / 100, 5) - 1; }
    std::array<std::array<std::atomic<quint64>, 5>, SurfaceCount> m_requests{};
    std::array<std::atomic<quint64>, SurfaceCount> m_micros{};
    std::array<std::atomic<quint64>, SurfaceCount> m_loginOk{};
    std::array<std::atomic<quint64>, SurfaceCount> m_loginFailed{};
    std::array<std::atomic<quint64>, 6> m_rejected{};
    std::atomic<qint64> m_openConnections{0};
};
