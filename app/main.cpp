// SPDX-License-Identifier: GPL-3.0-or-later
// gatehouse: the desktop binary. The command line of gatehouse-server, plus the admin
// console when no command is given and a display is there.
#include "cli.h"
#include "console.h"
#include "httpserver.h"
#include "servercontrol.h"
#include "services.h"
#include "shutdown.h"

#include <QApplication>
#include <QProcessEnvironment>

using namespace Qt::StringLiterals;

namespace {

bool hasDisplay()
{
#ifdef Q_OS_LINUX
    const auto env = QProcessEnvironment::systemEnvironment();
    return !env.value(u"DISPLAY"_s).isEmpty() || !env.value(u"WAYLAND_DISPLAY"_s).isEmpty() ||
           !env.value(u"QT_QPA_PLATFORM"_s).isEmpty();
#else
    return true;
#endif
}

// HttpServer as the console sees it.
class HttpServerControl : public ServerControl
{
public:
    HttpServerControl(Services &services, QObject *parent)
        : ServerControl(parent), m_server(services, this)
    {
        connect(&m_server, &HttpServer::started, this, &ServerControl::stateChanged);
        connect(&m_server, &HttpServer::stopped, this, &ServerControl::stateChanged);
    }
    Result<quint16> start() override { return m_server.start(); }
    void stop() override { m_server.stop(); }
    bool isRunning() const override { return m_server.isRunning(); }
    quint16 port() const override { return m_server.port(); }

private:
    HttpServer m_server;
};

void startDesktop(Services &services)
{
    auto *control = new HttpServerControl(services, qApp);
    startConsole(services, *control);
    // SIGTERM (logout, systemd) quits like the tray's Quit: stop, then flush.
    onShutdownRequest(qApp, [control] {
        control->stop();
        QCoreApplication::exit(0); // not quit(): that asks the window first
    });
}

} // namespace

int main(int argc, char *argv[])
{
    ConsoleFrontEnd console;
    console.available = hasDisplay;
    console.createApplication = [](int &count, char **values) -> QCoreApplication * {
        return new QApplication(count, values);
    };
    console.raisedOtherInstance = secondInstanceRaised;
    console.start = startDesktop;
    return runGatehouse(argc, argv, u"gatehouse"_s, &console);
}
