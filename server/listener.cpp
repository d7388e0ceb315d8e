// SPDX-License-Identifier: GPL-3.0-or-later
#include "listener.h"

#include "connection.h"
#include "logging.h"
#include "metrics.h"
#include "peercounter.h"
#include "socketlink.h"

#include <QLoggingCategory>
#include <QSslSocket>
#include <QTcpSocket>
#include <atomic>
#include <chrono>

#ifdef Q_OS_LINUX
#include "fdlink.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcServer, "gatehouse.server")

namespace {

std::atomic<quint64> g_nextConnectionId{1};
constexpr int kSweepMs = 200;

#ifdef Q_OS_LINUX
// The client's address of an accepted socket, IPv4-mapped IPv6 shown as IPv4.
QHostAddress peerOf(int fd)
{
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getpeername(fd, reinterpret_cast<sockaddr *>(&address), &length) != 0)
        return {};
    return unmapped(QHostAddress(reinterpret_cast<const sockaddr *>(&address)));
}
#endif

} // namespace

GuardedTcpServer::GuardedTcpServer(ListenerContext &context, QObject *parent)
    : QTcpServer(parent), m_context(context)
{}

void GuardedTcpServer::incomingConnection(qintptr descriptor)
{
#ifdef Q_OS_LINUX
    if (!m_context.tls && m_context.poller && acceptPlain(int(descriptor)))
        return;
#endif
    QTcpSocket *socket = m_context.tls ? new QSslSocket(this) : new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    // Counted per client address from the start, TLS handshake included.
    if (m_context.peers) {
        const QByteArray peer = PeerCounter::keyOf(socket->peerAddress());
        if (!m_context.peers->acquire(peer)) {
            if (m_context.tls) { // no readable answer before a handshake
                m_context.metrics->countRejected(429);
                socket->abort();
                socket->deleteLater();
            } else {
                turnAway(socket, 429, "Too many connections from your address");
            }
            return;
        }
        connect(socket, &QObject::destroyed,
                [peers = m_context.peers, peer] { peers->release(peer); });
    }
    // Answers to pipelined requests leave in separate writes; with Nagle's algorithm each
    // one after the first waits for the client's (delayed, ~40 ms) ACK.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    if (m_context.tls)
        startTls(static_cast<QSslSocket *>(socket));
    else
        admit(socket);
}

#ifdef Q_OS_LINUX
// A plain socket goes straight into the listener's Poller: no Qt socket object.
bool GuardedTcpServer::acceptPlain(int fd)
{
    const QHostAddress peer = peerOf(fd);
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); // as LowDelayOption above
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    auto link = std::make_unique<FdLink>(fd, *m_context.poller,
                                         peer.isNull() ? QString() : peer.toString());
    if (!link->isWatched())
        return true; // closed with the link
    QByteArray refusal;
    int status = 0;
    if (m_context.peers) {
        const QByteArray key = PeerCounter::keyOf(peer);
        if (m_context.peers->acquire(key))
            link->holdSlot(m_context.peers, key);
        else
            status = 429, refusal = "Too many connections from your address";
    }
    if (status == 0 && m_context.metrics->openConnections() >= m_context.maxConnections)
        status = 503, refusal = "Server busy, try again";
    auto *connection =
        new Connection(std::move(link), m_context, g_nextConnectionId.fetch_add(1), status == 0);
    if (status != 0)
        connection->turnAway(status, refusal);
    watched(connection);
    return true;
}
#endif

void GuardedTcpServer::watched(Connection *)
{
    if (m_context.sweep && !m_context.sweep->isActive())
        m_context.sweep->start();
}

// An HTTPS port: the first byte tells a TLS ClientHello (0x16) from a plain HTTP request,
// which gets a readable 400 instead of a failed handshake.
void GuardedTcpServer::startTls(QSslSocket *socket)
{
    // Before the handshake there is no way to answer 503 readably: past the cap, close.
    if (m_context.metrics->openConnections() + m_context.handshakes >= m_context.maxConnections) {
        m_context.metrics->countRejected(503);
        socket->abort();
        socket->deleteLater();
        return;
    }
    socket->setSslConfiguration(*m_context.tls);
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    // A client that never says anything, or never finishes the handshake, is closed.
    auto *handshake = new QTimer(socket);
    handshake->setSingleShot(true);
    connect(handshake, &QTimer::timeout, socket, &QAbstractSocket::abort);
    handshake->start(m_context.requestTimeoutMs);
    ++m_context.handshakes; // until admitted or gone, with the timer
    connect(handshake, &QObject::destroyed, this, [this] { --m_context.handshakes; });
    auto first = std::make_shared<QMetaObject::Connection>();
    *first = connect(socket, &QTcpSocket::readyRead, this, [this, socket, first, handshake] {
        char byte = 0;
        if (socket->peek(&byte, 1) != 1)
            return;
        disconnect(*first);
        if (byte != 0x16) {
            handshake->deleteLater();
            disconnect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            return turnAway(socket, 400, "This port speaks HTTPS: use https://");
        }
        connect(socket, &QSslSocket::encrypted, this, [this, socket, handshake] {
            handshake->stop();
            handshake->deleteLater();
            disconnect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            admit(socket);
        });
        socket->startServerEncryption();
    });
}

void GuardedTcpServer::admit(QTcpSocket *socket)
{
    if (m_context.metrics->openConnections() >= m_context.maxConnections)
        return turnAway(socket, 503, "Server busy, try again");
    // Over TLS the request may have arrived with the handshake's last flight, before
    // the link was listening to the socket: let it look now.
    const bool waiting = socket->bytesAvailable() > 0;
    watched(new Connection(std::make_unique<SocketLink>(socket), m_context,
                           g_nextConnectionId.fetch_add(1)));
    if (waiting)
        QMetaObject::invokeMethod(socket, "readyRead", Qt::QueuedConnection);
}

// Answered, not counted as an open connection; its request may be arriving, so the
// close lingers (no reset over the answer).
void GuardedTcpServer::turnAway(QTcpSocket *socket, int status, const QByteArray &reason)
{
    auto *connection = new Connection(std::make_unique<SocketLink>(socket), m_context,
                                      g_nextConnectionId.fetch_add(1), false);
    connection->turnAway(status, reason);
    watched(connection);
}

Listener::Listener(ListenerContext context) : m_context(std::move(context))
{
    m_context.dispatch = [this](Connection &connection, quint64 sequence,
                                RequestFramer::RequestInfo &info) {
        dispatch(connection, sequence, info);
    };
    m_context.sweep = &m_sweep;
    m_sweep.setInterval(kSweepMs);
    connect(&m_sweep, &QTimer::timeout, this, &Listener::sweep);
}

Result<quint16> Listener::listen(const QHostAddress &address, quint16 port, bool shared)
{
    using R = Result<quint16>;
    m_tcp = new GuardedTcpServer(m_context, this);
    m_tcp->setMaxPendingConnections(1024);
#ifdef Q_OS_LINUX
    if (shared) {
        const bool v6 = address.protocol() == QAbstractSocket::IPv6Protocol;
        const int fd =
            ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        const int one = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
        int bound = -1;
        if (v6) {
            sockaddr_in6 sa{};
            sa.sin6_family = AF_INET6;
            sa.sin6_port = htons(port);
            const Q_IPV6ADDR raw = address.toIPv6Address();
            memcpy(&sa.sin6_addr, &raw, sizeof raw);
            bound = ::bind(fd, reinterpret_cast<sockaddr *>(&sa), sizeof sa);
        } else {
            sockaddr_in sa{};
            sa.sin_family = AF_INET;
            sa.sin_port = htons(port);
            sa.sin_addr.s_addr = htonl(address.toIPv4Address());
            bound = ::bind(fd, reinterpret_cast<sockaddr *>(&sa), sizeof sa);
        }
        if (fd < 0 || bound != 0 || ::listen(fd, 1024) != 0 || !m_tcp->setSocketDescriptor(fd)) {
            const QString why = QString::fromLocal8Bit(strerror(errno));
            if (fd >= 0)
                ::close(fd);
            return R::failure(
                Refusal::Kind::Internal,
                u"cannot listen on %1:%2: %3"_s.arg(address.toString()).arg(port).arg(why));
        }
    } else
#endif
        if (!m_tcp->listen(address, port)) {
        return R::failure(Refusal::Kind::Internal,
                          u"cannot listen on %1:%2: %3"_s.arg(address.toString())
                              .arg(port)
                              .arg(m_tcp->errorString()));
    }
    (void)shared;
#ifdef Q_OS_LINUX
    auto *poller = new Poller(this);
    if (poller->isValid())
        m_context.poller = poller;
    else
        delete poller; // Qt sockets then, as without epoll
#endif
    return m_tcp->serverPort();
}

Listener::~Listener()
{
    shutdown();
    // Before m_context goes: every connection uses it until it is destroyed, and the
    // plain ones are in the poller.
    closeConnections();
    delete m_tcp;
    delete m_context.poller;
    m_context.poller = nullptr;
}

// Deadlines of every connection: idle, request and lingering close.
void Listener::sweep()
{
    if (m_context.connections.isEmpty())
        return m_sweep.stop();
    const qint64 now = steadyMs();
    const QList<Connection *> all = m_context.connections.values();
    for (Connection *connection : all)
        connection->tick(now); // may close it, never another one
}

void Listener::closeConnections()
{
    const QList<Connection *> all = m_context.connections.values();
    for (Connection *connection : all)
        delete connection;
}

void Listener::reconfigure(const ListenerContext &fresh)
{
    m_context.corsOrigins = fresh.corsOrigins;
    m_context.maxHeaderBytes = fresh.maxHeaderBytes;
    m_context.maxBodyBytes = fresh.maxBodyBytes;
    m_context.maxConnections = fresh.maxConnections;
    m_context.idleTimeoutMs = fresh.idleTimeoutMs;
    m_context.requestTimeoutMs = fresh.requestTimeoutMs;
    m_context.trustedProxies = fresh.trustedProxies;
    m_context.maxPipelined = fresh.maxPipelined;
    m_context.maxOutputBytes = fresh.maxOutputBytes;
    m_context.maxBodyChunks = fresh.maxBodyChunks;
    if (fresh.tls) // each TLS socket copied the configuration when it was accepted
        m_context.tls = fresh.tls;
}

void Listener::shutdown()
{
    m_context.stopping = true;
    if (!m_tcp)
        return;
    // Work on the pool may still deliver here: the Listener stays until the thread ends,
    // and finds no connection.
    m_tcp->close();
    closeConnections();
    // TLS handshakes not admitted yet are children of m_tcp.
    const auto sockets = m_tcp->findChildren<QTcpSocket *>(Qt::FindDirectChildrenOnly);
    for (QTcpSocket *socket : sockets)
        socket->abort();
}
