// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Raw POSIX-socket clients for tst_hostile: several client addresses on loopback,
// non-blocking sends, the process's RSS, and /healthz latency probes during an attack.
#include <QElapsedTimer>
#include <QFile>
#include <QString>
#include <QThread>
#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace HostileTesting {

#if defined(__SANITIZE_ADDRESS__)
constexpr int kSlowdown = 3; // ASan's shadow memory, quarantine and slower code
#else
constexpr int kSlowdown = 1;
#endif
// Under ASan, freed memory waits in a quarantine of up to 256 MiB before reuse: RSS says
// little there, the release build's run holds the 150 MiB line.
constexpr qint64 kMaxGrowthMiB = kSlowdown == 1 ? 150 : 600;

inline qint64 rssMiB()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong() / 1024;
    return -1;
}

// A blocking TCP connection to the server from `source` (any 127.x.y.z: Linux routes
// the whole 127/8 to loopback, so tests can play several client addresses).
inline int connectFrom(quint16 port, const char *source = "127.0.0.1")
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in from{};
    from.sin_family = AF_INET;
    ::inet_pton(AF_INET, source, &from.sin_addr);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd, reinterpret_cast<sockaddr *>(&from), sizeof from) != 0 ||
        ::connect(fd, reinterpret_cast<sockaddr *>(&to), sizeof to) != 0) {
        ::close(fd);
        return -1;
    }
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

inline void setNonBlocking(int fd)
{
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
}

// Sends what the socket takes now; returns bytes sent, -1 once the server has closed.
inline qint64 sendSome(int fd, const char *data, qint64 size)
{
    const ssize_t n = ::send(fd, data, size_t(size), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n >= 0)
        return n;
    return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
}

// Reads whatever arrives within `timeoutMs`; false on EOF or error.
inline bool readFor(int fd, QByteArray &into, int timeoutMs)
{
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, timeoutMs) <= 0)
        return true;
    char buf[65536];
    const ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n <= 0)
        return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    into.append(buf, n);
    return true;
}

// True when the server has ended the connection (FIN or reset), unread data or not.
inline bool serverClosed(int fd)
{
    tcp_info info{};
    socklen_t size = sizeof info;
    if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &size) != 0)
        return true;
    return info.tcpi_state != TCP_ESTABLISHED;
}

struct Probe
{
    int failures = 0;
    std::vector<qint64> latenciesMs;
};

// GET /healthz on a fresh connection from 127.0.0.1; the time to the whole answer.
inline void probeHealth(quint16 port, Probe &probe)
{
    QElapsedTimer timer;
    timer.start();
    const int fd = connectFrom(port);
    bool ok = fd >= 0;
    if (ok) {
        const QByteArray request = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        ok =
            ::send(fd, request.constData(), size_t(request.size()), MSG_NOSIGNAL) == request.size();
        QByteArray reply;
        while (ok && !reply.contains("\r\n\r\n") && timer.elapsed() < 5000)
            ok = readFor(fd, reply, 100) || reply.contains("\r\n\r\n");
        ok = reply.startsWith("HTTP/1.1 200 ");
        ::close(fd);
    }
    if (!ok)
        ++probe.failures;
    probe.latenciesMs.push_back(timer.elapsed());
}

// Every probe answered 200; nine in ten within 100 ms and none slower than 500 ms (the
// box runs other work too: one scheduling hiccup is not the server stalling).
inline QString judge(Probe probe)
{
    if (probe.latenciesMs.empty())
        return u"no probe ran"_s;
    std::sort(probe.latenciesMs.begin(), probe.latenciesMs.end());
    const qint64 p90 = probe.latenciesMs[probe.latenciesMs.size() * 9 / 10];
    const qint64 max = probe.latenciesMs.back();
    const QString summary =
        u"%1 probes, %2 failed, p90 %3 ms, max %4 ms"_s.arg(probe.latenciesMs.size())
            .arg(probe.failures)
            .arg(p90)
            .arg(max);
    qInfo("/healthz during the attack: %s", qUtf8Printable(summary));
    if (probe.failures > 0 || p90 >= 100 * kSlowdown || max >= 500 * kSlowdown)
        return summary;
    return {};
}

// Runs `attack` on a thread while the test probes /healthz every 100 ms and samples RSS;
// returns the largest RSS growth seen.
template <typename Attack> qint64 underAttack(quint16 port, Probe &probe, Attack attack)
{
    const qint64 before = rssMiB();
    qint64 peak = before;
    std::atomic<bool> done{false};
    std::thread attacker([&] {
        attack();
        done = true;
    });
    while (!done) {
        probeHealth(port, probe);
        peak = qMax(peak, rssMiB());
        QThread::msleep(100);
    }
    attacker.join();
    peak = qMax(peak, rssMiB());
    qInfo("RSS %lld MiB before, %lld MiB at most under attack", before, peak);
    return peak - before;
}

inline QByteArray repeat(const QByteArray &request, int times)
{
    QByteArray out;
    out.reserve(request.size() * times);
    for (int i = 0; i < times; ++i)
        out += request;
    return out;
}

} // namespace HostileTesting
