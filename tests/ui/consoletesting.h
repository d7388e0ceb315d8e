// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "config/secretstore.h"
#include "mainwindow.h"
#include "servercontrol.h"
#include "testserver.h"
#include "workers.h"

#include <QtTest>
#include <memory>

using namespace Qt::StringLiterals;

// The console over a TestServer: the server already runs; this control reports it
// and pretends to stop and start it.
class TestServerControl : public ServerControl
{
public:
    explicit TestServerControl(quint16 port) : m_port(port) {}
    Result<quint16> start() override
    {
        if (!refusal.isEmpty())
            return Result<quint16>::failure(Refusal::Kind::Internal, refusal);
        m_running = true;
        Q_EMIT stateChanged();
        return m_port;
    }
    void stop() override
    {
        m_running = false;
        Q_EMIT stateChanged();
    }
    bool isRunning() const override { return m_running; }
    quint16 port() const override { return m_port; }

    QString refusal; // set: start() fails with it (as HttpServer's does for admin/admin)

private:
    quint16 m_port;
    bool m_running = true;
};

// A TestServer with the console on top, in file-mode SecretStore.
struct ConsoleFixture
{
    explicit ConsoleFixture(const std::function<void(Settings &)> &configure = {})
        : server(configure), control(server.port()), secretStore(server.dataDir(), u"file"_s)
    {
        window = std::make_unique<MainWindow>(server.services(), control, secretStore);
    }
    ~ConsoleFixture() { window.reset(); }

    // Waits until every worker result has been delivered.
    bool settle(int timeoutMs = 10000)
    {
        QElapsedTimer timer;
        timer.start();
        do {
            QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
            if (window->workers().pending() == 0) {
                QCoreApplication::processEvents();
                if (window->workers().pending() == 0)
                    return true;
            }
        } while (timer.elapsed() < timeoutMs);
        return false;
    }

    TestServer server;
    TestServerControl control;
    SecretStore secretStore;
    std::unique_ptr<MainWindow> window;
};
