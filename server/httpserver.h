// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

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
    bool isRunning() const { return !m_threads.empty(); }
    quint16 port() const { return m_port; }
    const Router &router() const { return m_router; }

Q_SIGNALS:
    void started(quint16 port);
    void stopped();

private:
    void buildRoutes();

    Services &m_services;
    Router m_router;
    std::vector<std::unique_ptr<Surface>> m_surfaces;
    QThreadPool m_pool;
    std::vector<std::unique_ptr<WorkerThread>> m_threads;
    std::vector<Listener *> m_listeners;
    quint16 m_port = 0;
};
