// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "config/settings.h"
#include "listenercontext.h"
#include "result.h"
#include "router.h"

#include <QObject>
#include <QThreadPool>
#include <memory>
#include <vector>

class Listener;
class Services;
class Surface;
class WorkerThread;

// The HTTP face: several listener threads (never the GUI thread) sharing one port,
// a bounded worker pool for slow work, and the route tables of every surface that
// is switched on.
class HttpServer : public QObject
{
    Q_OBJECT
public:
    explicit HttpServer(Services &services, QObject *parent = nullptr);
    ~HttpServer() override;

    // Binds and starts serving; fails with one clear sentence.
    Result<quint16> start();
    void stop();
    // Applies what can change while serving (SIGHUP): the TLS certificate and key (new
    // handshakes only; open connections keep theirs), the guard's limits, CORS origins,
    // trusted proxies and the anonymous-write rate limits. What needs a restart is named
    // in one log line. A certificate that does not load is refused and the old one kept.
    void reload(const Settings &fresh);
    bool isRunning() const { return !m_threads.empty(); }
    quint16 port() const { return m_port; }
    const Router &router() const { return m_router; }

Q_SIGNALS:
    void started(quint16 port);
    void stopped();

private:
    void buildRoutes();
    ListenerContext contextFor(const Settings &s);

    Services &m_services;
    Router m_router;
    std::vector<std::unique_ptr<Surface>> m_surfaces;
    QThreadPool m_pool;
    std::vector<std::unique_ptr<WorkerThread>> m_threads;
    std::vector<Listener *> m_listeners;
    quint16 m_port = 0;
    Settings m_live; // the settings the running server applies (the start's, then reloads')
};
