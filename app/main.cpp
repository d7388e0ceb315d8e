// SPDX-License-Identifier: GPL-3.0-or-later
#include "console.h"
#include "httpserver.h"
#include "logging.h"
#include "namespacecommand.h"
#include "options.h"
#include "outboxcommand.h"
#include "rolecommand.h"
#include "runtime.h"
#include "serve.h"
#include "servercontrol.h"
#include "shutdown.h"
#include "tokencommand.h"
#include "usercommand.h"

#include <QApplication>
#include <QCoreApplication>
#include <QProcessEnvironment>
#include <QTimer>
#include <memory>

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

int runCommand(const Options &options, Runtime &runtime, bool gui)
{
    Services &services = *runtime.services;
    if (options.command == u"namespace")
        return runNamespaceCommand(services, options.arguments);
    if (options.command == u"user")
        return runUserCommand(services, options.arguments);
    if (options.command == u"outbox")
        return runOutboxCommand(services, options.arguments);
    if (options.command == u"token")
        return runTokenCommand(services, options.arguments);
    if (options.command == u"role")
        return runRoleCommand(services, options.arguments);
    printError(u"unknown command '%1' (see gatehouse --help)"_s.arg(options.command));
    (void)gui;
    return 2;
}

} // namespace

int main(int argc, char *argv[])
{
    QStringList argv8;
    for (int i = 0; i < argc; ++i)
        argv8 << QString::fromLocal8Bit(argv[i]);
    const Options options = parseOptions(argv8);
    if (!options.error.isEmpty()) {
        printError(options.error);
        return 2;
    }
    if (options.help) {
        std::fputs(qUtf8Printable(usageText()), stdout);
        return 0;
    }
    if (options.version) {
        printLine(u"gatehouse %1"_s.arg(QString::fromUtf8(GATEHOUSE_VERSION)));
        return 0;
    }
    const bool gui = options.command.isEmpty() && hasDisplay();
    const bool serve = options.command == u"serve" || (options.command.isEmpty() && !gui);

    std::unique_ptr<QCoreApplication> app(gui ? new QApplication(argc, argv)
                                              : new QCoreApplication(argc, argv));
    QCoreApplication::setApplicationName(u"gatehouse"_s);
    QCoreApplication::setOrganizationName(u"gatehouse"_s);
    QCoreApplication::setApplicationVersion(QString::fromUtf8(GATEHOUSE_VERSION));

    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    if (options.secretsFile) // the command line wins over the environment
        environment.insert(u"GATEHOUSE_SECRETS_FILE"_s, *options.secretsFile);
    auto settings = loadSettings(options.overrides, environment);
    if (!settings) {
        printError(settings.error());
        return 1;
    }
    Logging::install(settings->logFormat == u"json" ? Logging::Format::Json
                                                    : Logging::Format::Text);
    if (gui && secondInstanceRaised(*settings))
        return 0;

    Runtime runtime;
    QTimer::singleShot(0, app.get(), [&] {
        startRuntime(runtime, *settings, [&](QString error) {
            if (!error.isEmpty()) {
                printError(error);
                QCoreApplication::exit(1);
                return;
            }
            if (serve)
                return startHeadless(
                    *runtime.services,
                    [overrides = options.overrides, environment] {
                        return loadSettings(overrides, environment);
                    },
                    *runtime.secretStore);
            if (gui) {
                auto *control = new HttpServerControl(*runtime.services, app.get());
                startConsole(*runtime.services, *control);
                // SIGTERM (logout, systemd) quits like the tray's Quit: stop, then flush.
                onShutdownRequest(qApp, [control] {
                    control->stop();
                    QCoreApplication::exit(0); // not quit(): that asks the window first
                });
                return;
            }
            QCoreApplication::exit(runCommand(options, runtime, gui));
        });
    });
    const int code = app->exec();
    return code;
}
