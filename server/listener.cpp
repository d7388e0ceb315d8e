// SPDX-License-Identifier: GPL-3.0-or-later
#include "listener.h"

#include "connection.h"
#include "logging.h"
#include "metrics.h"
#include "peercounter.h"
#include "router.h"
#include "storage/storageerror.h"

#include <QElapsedTimer>
#include <QHttpServerRequest>
#include <QLoggingCategory>
#include <QPointer>
#include <QSslSocket>
#include <QTcpSocket>
#include <QThreadPool>
#include <QTimer>
#include <atomic>
#include <chrono>

#ifdef Q_OS_LINUX
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
#endif

Q_LOGGING_CATEGORY(lcServer, "gatehouse.server")
// One line per answered request; off unless asked for (QT_LOGGING_RULES="gatehouse.access=true").
Q_LOGGING_CATEGORY(lcAccess, "gatehouse.access", QtWarningMsg)

namespace {

std::atomic<quint64> g_nextConnectionId{1};

const char *methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Head:
        return "HEAD";
    case QHttpServerRequest::Method::Options:
        return "OPTIONS";
    case QHttpServerRequest::Method::Patch:
        return "PATCH";
    case QHttpServerRequest::Method::Connect:
        return "CONNECT";
    case QHttpServerRequest::Method::Trace:
        return "TRACE";
    default:
        return "UNKNOWN";
    }
}

Request toRequest(const QHttpServerRequest &in)
{
    Request r;
    r.method = methodName(in.method());
    const QUrl url = in.url();
    r.path = url.path(QUrl::FullyDecoded);
    r.query = QUrlQuery(url);
    const auto headers = in.headers();
    r.headers.reserve(headers.size());
    for (const auto &[name, value] : headers)
        r.headers.append({name.toLower(), value});
    r.body = in.body();
    QHostAddress peer = in.remoteAddress();
    if (peer.protocol() == QAbstractSocket::IPv6Protocol) {
        bool mapped = false;
        const QHostAddress v4(peer.toIPv4Address(&mapped));
        if (mapped)
            peer = v4;
    }
    r.ip = peer.toString();
    r.secure = r.header("x-forwarded-proto").trimmed().compare("https", Qt::CaseInsensitive) == 0;
    return r;
}

qint64 steadyNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// Runs a handler; every failure becomes a response in the route's error shape. Whatever
// it logs carries the request's id and client address.
Response invoke(const Route &route, const Request &request, Metrics &metrics)
{
    const Logging::RequestLogScope scope(request.requestId, request.ip);
    metrics.settleLogin(0); // nothing noted on this thread belongs to this request
    Response response;
    try {
        response = route.handler(request);
    } catch (const ApiError &error) {
        response = errorResponse(route.shape, error);
    } catch (const StorageError &error) {
        qCWarning(lcServer) << "storage error on" << route.pattern << ":" << error.what();
        response = errorResponse(route.shape, ApiError(500, u"Internal server error"_s));
    } catch (const std::exception &error) {
        qCWarning(lcServer) << "error on" << route.pattern << ":" << error.what();
        response = errorResponse(route.shape, ApiError(500, u"Internal server error"_s));
    }
    metrics.settleLogin(response.status);
    return response;
}

// Every answer: its request id, its counters and latency, and the access log line (which
// names the route pattern, never the raw path: paths may carry codes and ids).
void finish(Metrics &metrics, Metrics::RouteStats *stats, const Request &request,
            Response &response, qint64 startNs)
{
    response.header("X-Request-Id", request.requestId);
    const qint64 elapsed = steadyNs() - startNs;
    metrics.countRequest(stats, response.status, elapsed);
    if (lcAccess().isInfoEnabled()) {
        const Logging::RequestLogScope scope(request.requestId, request.ip);
        qCInfo(lcAccess, "%s %s %d %.2f ms", request.method.constData(), stats->route.constData(),
               response.status, double(elapsed) / 1e6);
    }
}

// Workers run argon2id and other slow work: give listener threads the CPU first so a
// login storm does not raise the latency of token checks (nice 10, once per thread).
void lowerWorkerPriority()
{
#ifdef Q_OS_LINUX
    thread_local bool lowered = false;
    if (!lowered) {
        lowered = true;
        setpriority(PRIO_PROCESS, 0 /* this thread */, 10);
    }
#endif
}

void addCors(const ListenerContext &context, const Request &request, Response &response)
{
    const QByteArray origin = request.header("origin");
    if (origin.isEmpty() || !context.corsOrigins.contains(QString::fromUtf8(origin)))
        return;
    for (const auto &[name, value] : response.headers) // public answers say `*` themselves
        if (name.compare("Access-Control-Allow-Origin", Qt::CaseInsensitive) == 0)
            return;
    response.header("Access-Control-Allow-Origin", origin);
    response.header("Access-Control-Allow-Credentials", "true");
    response.header("Vary", "Origin");
}

Response preflight(const ListenerContext &context, const Request &request,
                   const QList<QByteArray> &allowed)
{
    Response response = Response::empty(204);
    const QByteArray origin = request.header("origin");
    if (origin.isEmpty() || !context.corsOrigins.contains(QString::fromUtf8(origin)))
        return response;
    addCors(context, request, response);
    response.header("Access-Control-Allow-Methods", allowed.join(", "));
    QByteArray wanted = request.header("access-control-request-headers");
    wanted.replace(' ', "");
    response.header("Access-Control-Allow-Headers",
                    wanted.isEmpty() ? QByteArray("Content-Type, Authorization") : wanted);
    response.header("Access-Control-Max-Age", "600");
    return response;
}

} // namespace

GuardedTcpServer::GuardedTcpServer(ListenerContext &context, QObject *parent)
    : QTcpServer(parent), m_context(context)
{}

void GuardedTcpServer::incomingConnection(qintptr descriptor)
{
    QTcpSocket *socket = m_context.tls ? new QSslSocket(this) : new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    // Counted per client address from the start, TLS handshake included.
    if (m_context.peers) {
        const QByteArray peer = PeerCounter::keyOf(socket->peerAddress());
        if (!m_context.peers->acquire(peer)) {
            m_context.metrics->countRejected(429);
            if (m_context.tls) { // no readable answer before a handshake
                socket->abort();
                socket->deleteLater();
            } else {
                turnAway(socket, ApiError(429, u"Too many connections from your address"_s));
            }
            return;
        }
        connect(socket, &QObject::destroyed,
                [peers = m_context.peers, peer] { peers->release(peer); });
    }
    // Responses to pipelined requests leave in separate writes; with Nagle's algorithm each
    // one after the first waits for the client's (delayed, ~40 ms) ACK.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    if (m_context.tls)
        startTls(static_cast<QSslSocket *>(socket));
    else
        admit(socket);
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
            m_context.metrics->countRejected(400);
            Response refusal = errorResponse(
                ErrorShape::Error, ApiError(400, u"This port speaks HTTPS: use https://"_s));
            refusal.header("X-Request-Id", Logging::newRequestId());
            socket->write(serializeResponse(refusal, false, true, {}));
            closeLingering(socket, 1000);
            return;
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
    if (m_context.metrics->openConnections() >= m_context.maxConnections) {
        m_context.metrics->countRejected(503);
        turnAway(socket, ApiError(503, u"Server busy, try again"_s));
        return;
    }
    new Connection(socket, m_context, g_nextConnectionId.fetch_add(1));
    addPendingConnection(socket);
    // Over TLS the request may have arrived with the handshake's last flight, before
    // QtHttpServer was listening to the socket: let both look at it now.
    if (socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(socket, "readyRead", Qt::QueuedConnection);
}

void GuardedTcpServer::turnAway(QTcpSocket *socket, const ApiError &error)
{
    Response response = errorResponse(ErrorShape::Error, error);
    response.header("X-Request-Id", Logging::newRequestId());
    socket->write(serializeResponse(response, false, true, {}));
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    closeLingering(socket, 1000); // its request may be arriving: no reset over the answer
}

HttpEndpoint::HttpEndpoint(ListenerContext &context, QObject *parent)
    : QAbstractHttpServer(parent), m_context(context)
{}

bool HttpEndpoint::handleRequest(const QHttpServerRequest &in, QTcpSocket *socket)
{
    auto *connection = socket->findChild<Connection *>(QString(), Qt::FindDirectChildrenOnly);
    if (!connection || m_context.stopping)
        return true; // refused by the guard already, or the server is going away
    const qint64 startNs = steadyNs();
    Request request = toRequest(in);
    request.ip = clientAddress(request, m_context.trustedProxies);
    request.secure |= m_context.tls.has_value();
    request.requestId = Logging::requestIdFrom(request.header("x-request-id"));
    const quint64 sequence = connection->beginRequest(request.method == "HEAD");
    Router::Match match = m_context.router->match(request.method, request.path);
    Metrics &metrics = *m_context.metrics;

    if (!match.route) {
        const bool known = !match.allowed.isEmpty();
        Response response;
        if (known && request.method == "OPTIONS") {
            response = preflight(m_context, request, match.allowed);
        } else {
            const ErrorShape shape = m_context.router->shapeFor(request.path);
            response = known ? errorResponse(shape, ApiError(405, u"Method not allowed"_s))
                             : errorResponse(shape, ApiError(404, u"Not found"_s));
            if (known)
                response.header("Allow", match.allowed.join(", "));
            addCors(m_context, request, response);
        }
        finish(metrics, metrics.unmatched(m_context.router->surfaceFor(request.path)), request,
               response, startNs);
        connection->complete(sequence, response);
        return true;
    }

    request.params = std::move(match.params);
    const Route *route = match.route;
    Metrics::RouteStats *stats = route->stats ? route->stats : metrics.unmatched(route->surface);
    if (route->runs == Runs::Inline) {
        Response response = invoke(*route, request, metrics);
        addCors(m_context, request, response);
        finish(metrics, stats, request, response, startNs);
        connection->complete(sequence, response);
        return true;
    }
    // Slow work: off the listener thread, then back here in order.
    QPointer<HttpEndpoint> self(this);
    const quint64 connectionId = connection->id();
    ListenerContext *context = &m_context;
    m_context.pool->start([self, context, route, stats, startNs, connectionId, sequence,
                           request = std::move(request)]() mutable {
        lowerWorkerPriority();
        Response response = invoke(*route, request, *context->metrics);
        addCors(*context, request, response);
        finish(*context->metrics, stats, request, response, startNs);
        QMetaObject::invokeMethod(
            self.data(),
            [self, connectionId, sequence, response = std::move(response)] {
                if (self)
                    self->deliver(connectionId, sequence, response);
            },
            Qt::QueuedConnection);
    });
    return true;
}

void HttpEndpoint::deliver(quint64 connectionId, quint64 sequence, const Response &response)
{
    if (Connection *connection = m_context.connections.value(connectionId))
        connection->complete(sequence, response);
}

void HttpEndpoint::missingHandler(const QHttpServerRequest &, QTcpSocket *socket)
{
    if (auto *connection = socket->findChild<Connection *>(QString(), Qt::FindDirectChildrenOnly)) {
        Response response = errorResponse(ErrorShape::Error, ApiError(404, u"Not found"_s));
        response.header("X-Request-Id", Logging::newRequestId());
        connection->complete(connection->beginRequest(false), response);
    }
}

Listener::Listener(ListenerContext context) : m_context(std::move(context)) {}

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
    m_http = new HttpEndpoint(m_context, this);
    m_http->bind(m_tcp);
    return m_tcp->serverPort();
}

Listener::~Listener()
{
    shutdown();
    // Before m_context goes: every connection (a descendant, through its socket) uses it
    // until it is destroyed. bind() made m_tcp a child of m_http.
    const QPointer<GuardedTcpServer> tcp = m_tcp;
    delete m_http;
    delete tcp.data();
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
    // Work on the pool may still deliver to m_http: it stays until the thread ends.
    m_tcp->close();
    // Every socket is a child of m_tcp: connections, TLS handshakes, lingering closes.
    const auto sockets = m_tcp->findChildren<QTcpSocket *>(Qt::FindDirectChildrenOnly);
    for (QTcpSocket *socket : sockets) {
        // A readyRead QtHttpServer queued for it would only find a closed device.
        disconnect(socket, &QIODevice::readyRead, nullptr, nullptr);
        socket->abort();
    }
}
