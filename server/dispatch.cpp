// SPDX-License-Identifier: GPL-3.0-or-later
// Listener::dispatch and deliver: every parsed request goes through the router to its
// handler, inline or on the worker pool, and its answer back to its Connection.
#include "connection.h"
#include "listener.h"
#include "logging.h"
#include "metrics.h"
#include "router.h"
#include "storage/storageerror.h"

#include <QLoggingCategory>
#include <QPointer>
#include <QThreadPool>
#include <QUrl>
#include <chrono>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#endif

using namespace Qt::StringLiterals;

Q_DECLARE_LOGGING_CATEGORY(lcServer)
// One line per answered request; off unless asked for (QT_LOGGING_RULES="gatehouse.access=true").
Q_LOGGING_CATEGORY(lcAccess, "gatehouse.access", QtWarningMsg)

namespace {

// The path as handlers see it: percent-decoded, then UTF-8.
QString decodePath(QByteArrayView path)
{
    if (!path.contains('%'))
        return QString::fromUtf8(path);
    return QUrl::fromPercentEncoding(path.toByteArray());
}

Request toRequest(RequestFramer::RequestInfo &info, const QString &peerIp)
{
    Request r;
    r.method = std::move(info.method);
    QByteArrayView target = info.target;
    if (const qsizetype hash = target.indexOf('#'); hash >= 0)
        target = target.first(hash);
    const qsizetype q = target.indexOf('?');
    r.path = decodePath(q < 0 ? target : target.first(q));
    if (q >= 0 && q + 1 < target.size())
        r.query = QUrlQuery(QString::fromUtf8(target.sliced(q + 1)));
    r.headers = std::move(info.headers);
    r.body = std::move(info.body);
    r.ip = peerIp;
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

// 404, 405 and CORS preflights: no handler runs.
Response unmatched(const ListenerContext &context, const Request &request,
                   const Router::Match &match)
{
    const bool known = !match.allowed.isEmpty();
    if (known && request.method == "OPTIONS")
        return preflight(context, request, match.allowed);
    const ErrorShape shape = context.router->shapeFor(request.path);
    Response response = known ? errorResponse(shape, ApiError(405, u"Method not allowed"_s))
                              : errorResponse(shape, ApiError(404, u"Not found"_s));
    if (known)
        response.header("Allow", match.allowed.join(", "));
    addCors(context, request, response);
    return response;
}

} // namespace

void Listener::dispatch(Connection &connection, quint64 sequence, RequestFramer::RequestInfo &info)
{
    if (m_context.stopping)
        return;
    const qint64 startNs = steadyNs();
    Request request = toRequest(info, connection.peerIp());
    request.ip = clientAddress(request, m_context.trustedProxies);
    request.secure |= m_context.tls.has_value();
    request.requestId = Logging::requestIdFrom(request.header("x-request-id"));
    Router::Match match = m_context.router->match(request.method, request.path);
    Metrics &metrics = *m_context.metrics;

    if (!match.route) {
        Response response = unmatched(m_context, request, match);
        finish(metrics, metrics.unmatched(m_context.router->surfaceFor(request.path)), request,
               response, startNs);
        connection.complete(sequence, response);
        return;
    }

    request.params = std::move(match.params);
    const Route *route = match.route;
    Metrics::RouteStats *stats = route->stats ? route->stats : metrics.unmatched(route->surface);
    if (route->runs == Runs::Inline) {
        Response response = invoke(*route, request, metrics);
        addCors(m_context, request, response);
        finish(metrics, stats, request, response, startNs);
        connection.complete(sequence, response);
        return;
    }
    // Slow work: off the listener thread, then back here in order.
    QPointer<Listener> self(this);
    const quint64 connectionId = connection.id();
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
}

void Listener::deliver(quint64 connectionId, quint64 sequence, const Response &response)
{
    if (Connection *connection = m_context.connections.value(connectionId))
        connection->complete(sequence, response);
}
