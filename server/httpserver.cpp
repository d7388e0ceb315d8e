// SPDX-License-Identifier: GPL-3.0-or-later
#include "httpserver.h"

#include "config/settingschanges.h"
#include "config/tlsidentity.h"
#include "listener.h"
#include "peercounter.h"
#include "services.h"
#include "surfaces/accountapi.h"
#include "surfaces/authloginapi.h"
#include "surfaces/healthapi.h"
#include "surfaces/namespaceapi.h"
#include "surfaces/oidcapi.h"
#include "surfaces/walletapi.h"
#include "workerthread.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QLoggingCategory>
#include <QTcpServer>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcReload, "gatehouse.reload")

HttpServer::HttpServer(Services &services, QObject *parent)
    : QObject(parent), m_services(services), m_live(services.settings)
{
    m_pool.setMaxThreadCount(services.settings.workerThreads);
    m_pool.setObjectName(u"workers"_s);
    buildRoutes();
    // Whatever ends the event loop, the listeners and workers stop while the services
    // they use still exist (they are destroyed after exec() returns).
    if (QCoreApplication *app = QCoreApplication::instance())
        connect(app, &QCoreApplication::aboutToQuit, this, &HttpServer::stop);
}

HttpServer::~HttpServer()
{
    stop();
}

void HttpServer::buildRoutes()
{
    const Settings &s = m_services.settings;
    m_surfaces.push_back(std::make_unique<HealthApi>(m_services));
    if (s.namespaceSurface)
        m_surfaces.push_back(std::make_unique<NamespaceApi>(m_services));
    if (s.accountSurface)
        m_surfaces.push_back(std::make_unique<AccountApi>(m_services));
    if (s.pinSurface || s.deviceSurface) // pin + device, sharing POST /auth/login
        m_surfaces.push_back(std::make_unique<AuthLoginApi>(m_services));
    if (s.walletSurface)
        m_surfaces.push_back(std::make_unique<WalletApi>(m_services));
    if (s.oidcSurface)
        m_surfaces.push_back(std::make_unique<OidcApi>(m_services));
    for (const auto &surface : m_surfaces)
        surface->addRoutes(m_router);
    m_router.attachMetrics(m_services.metrics);
}

Result<quint16> HttpServer::start()
{
    using R = Result<quint16>;
    if (isRunning())
        return m_port;
    const Settings &s = m_live;
    // The default admin/admin account never faces a network.
    if (!s.listensOnLoopbackOnly() && m_services.accounts.defaultAdminPasswordUnchanged())
        return R::failure(Refusal::Kind::Internal,
                          u"refusing to listen on %1: the admin account still has the default "
                          u"password 'admin'; change it first (`gatehouse user set-password "
                          u"admin`, or “Change it now…” on the console's Overview page)"_s.arg(
                              s.listenAddress()));
    const QHostAddress address = s.listenHost == u"localhost"
                                     ? QHostAddress(QHostAddress::LocalHost)
                                     : QHostAddress(s.listenHost);
#ifdef Q_OS_LINUX
    const int count = qMax(1, s.listenerThreads);
#else
    const int count = 1; // no SO_REUSEPORT: one listener thread
#endif
    ListenerContext context = contextFor(m_live);
    if (s.maxConnectionsPerIp > 0)
        context.peers = std::make_shared<PeerCounter>(s.maxConnectionsPerIp);
    if (s.servesTls()) {
        auto tls = loadTlsIdentity(m_live.tlsCertificateFile, m_live.tlsKeyFile);
        if (!tls)
            return R::failure(tls.refusal());
        if (tls->expires < QDateTime::currentDateTimeUtc())
            qWarning("the TLS certificate for %s expired on %s", qUtf8Printable(tls->subject),
                     qUtf8Printable(tls->expires.toString(Qt::ISODate)));
        context.tls = tls->configuration;
    }

    quint16 port = s.listenPort;
    if (count > 1 && port != 0) {
        // SO_REUSEPORT would let us share a port another Gatehouse of this user already
        // listens on; an exclusive bind first makes that a clear error instead.
        QTcpServer probe;
        if (!probe.listen(address, port))
            return R::failure(Refusal::Kind::Internal,
                              u"cannot listen on %1:%2: %3"_s.arg(address.toString())
                                  .arg(port)
                                  .arg(probe.errorString()));
        probe.close();
    }
    for (int i = 0; i < count; ++i) {
        auto &thread =
            m_threads.emplace_back(std::make_unique<WorkerThread>(u"listener-%1"_s.arg(i)));
        Listener *listener = thread->adopt(new Listener(context));
        thread->start();
        m_listeners.push_back(listener);
        Result<quint16> bound = R::failure(Refusal::Kind::Internal, QString());
        QMetaObject::invokeMethod(
            listener, [&] { bound = listener->listen(address, port, count > 1); },
            Qt::BlockingQueuedConnection);
        if (!bound) {
            stop();
            return bound;
        }
        port = *bound; // later listeners share the port the first one got
    }
    m_port = port;
    Q_EMIT started(m_port);
    return m_port;
}

void HttpServer::reload(const Settings &fresh)
{
    const QStringList restart = settingsAReloadCannotApply(m_live, fresh);
    if (!restart.isEmpty())
        qCWarning(lcReload, "reload: changed, but only a restart applies them: %s",
                  qUtf8Printable(restart.join(u", "_s)));
    ListenerContext context = contextFor(fresh);
    if (m_live.servesTls()) {
        context.tls = std::nullopt;
        if (fresh.servesTls()) {
            auto tls = loadTlsIdentity(fresh.tlsCertificateFile, fresh.tlsKeyFile);
            if (!tls) {
                qCWarning(lcReload, "reload: keeping the current TLS certificate: %s",
                          qUtf8Printable(tls.error()));
            } else {
                context.tls = tls->configuration;
                m_live.tlsCertificateFile = fresh.tlsCertificateFile;
                m_live.tlsKeyFile = fresh.tlsKeyFile;
                qCInfo(lcReload,
                       "reload: TLS certificate for %s, valid until %s, for new "
                       "connections",
                       qUtf8Printable(tls->subject),
                       qUtf8Printable(tls->expires.toString(Qt::ISODate)));
            }
        }
    }
    for (Listener *listener : m_listeners)
        QMetaObject::invokeMethod(
            listener, [listener, context] { listener->reconfigure(context); },
            Qt::BlockingQueuedConnection);
    m_services.limits.setOptions({fresh.anonymousWritesPerMinute, fresh.messagesPerTargetPerHour});
    // What was applied is what runs now; what needs a restart stays as it runs.
    m_live.corsOrigins = fresh.corsOrigins;
    m_live.maxHeaderBytes = fresh.maxHeaderBytes;
    m_live.maxBodyBytes = fresh.maxBodyBytes;
    m_live.maxConnections = fresh.maxConnections;
    m_live.idleTimeoutSecs = fresh.idleTimeoutSecs;
    m_live.requestTimeoutSecs = fresh.requestTimeoutSecs;
    m_live.trustedProxies = fresh.trustedProxies;
    m_live.maxPipelined = fresh.maxPipelined;
    m_live.maxOutputBytes = fresh.maxOutputBytes;
    m_live.maxBodyChunks = fresh.maxBodyChunks;
    m_live.anonymousWritesPerMinute = fresh.anonymousWritesPerMinute;
    m_live.messagesPerTargetPerHour = fresh.messagesPerTargetPerHour;
    qCInfo(lcReload, "reload: done");
}

ListenerContext HttpServer::contextFor(const Settings &s)
{
    ListenerContext context;
    context.router = &m_router;
    context.metrics = &m_services.metrics;
    context.pool = &m_pool;
    context.corsOrigins = s.corsOrigins;
    context.maxHeaderBytes = s.maxHeaderBytes;
    context.maxBodyBytes = s.maxBodyBytes;
    context.maxConnections = s.maxConnections;
    context.idleTimeoutMs = s.idleTimeoutSecs * 1000;
    context.requestTimeoutMs = s.requestTimeoutSecs * 1000;
    context.trustedProxies = TrustedProxies(s.trustedProxies);
    context.maxPipelined = s.maxPipelined;
    context.maxOutputBytes = s.maxOutputBytes;
    context.maxBodyChunks = s.maxBodyChunks;
    return context;
}

void HttpServer::stop()
{
    if (m_threads.empty())
        return;
    // In this order, so nothing is used after its owner is gone: (1) each listener stops
    // accepting and closes its connections, so no new work reaches the pool; (2) work
    // already running finishes (it uses its listener's context and the services), work
    // still queued is dropped; (3) the threads end, and each listener with its sockets
    // and connections is destroyed on its own thread.
    for (Listener *listener : m_listeners)
        QMetaObject::invokeMethod(
            listener, [listener] { listener->shutdown(); }, Qt::BlockingQueuedConnection);
    m_pool.clear();
    m_pool.waitForDone();
    for (auto &thread : m_threads)
        thread->stop(); // in start order, as before
    m_threads.clear();
    m_listeners.clear();
    m_port = 0;
    Q_EMIT stopped();
}
