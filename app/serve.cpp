// SPDX-License-Identifier: GPL-3.0-or-later
#include "serve.h"

#include "httpserver.h"
#include "runtime.h"
#include "services.h"
#include "shutdown.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

void startHeadless(Services &services)
{
    auto *server = new HttpServer(services, qApp);
    const auto started = server->start();
    if (!started) {
        printError(started.error());
        QCoreApplication::exit(1);
        return;
    }
    const Settings &s = services.settings;
    printLine(u"Gatehouse %1 listening on %2"_s.arg(QString::fromUtf8(GATEHOUSE_VERSION),
                                                    s.listenUrl(*started)));
    printLine(u"data folder %1, database %2"_s.arg(s.dataDir, services.db->url().redacted()));
    // Warned once listening, so a failed start stays a single line on stderr.
    if (services.accounts.defaultAdminPasswordUnchanged())
        qWarning("the admin account still has the default password 'admin': change it with "
                 "`gatehouse user set-password admin` (until then Gatehouse listens on "
                 "loopback only)");
    onShutdownRequest(qApp, [server] {
        server->stop();
        QCoreApplication::exit(0);
    });
}
