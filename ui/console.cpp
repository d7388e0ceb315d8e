// SPDX-License-Identifier: GPL-3.0-or-later
#include "console.h"

#include "config/secretstore.h"
#include "config/settings.h"
#include "mainwindow.h"
#include "servercontrol.h"
#include "services.h"
#include "singleinstance.h"
#include "widgets/tables.h"

#include <QApplication>
#include <QMessageBox>

using namespace Qt::StringLiterals;

void startConsole(Services &services, ServerControl &server)
{
    QApplication::setQuitOnLastWindowClosed(false); // the server outlives the window
    QApplication::setWindowIcon(QIcon(u":/icons/gatehouse.svg"_s));
    QApplication::setApplicationDisplayName(QObject::tr("Gatehouse"));
    QGuiApplication::setDesktopFileName(u"gatehouse"_s); // Wayland app id, the .desktop file

    // The console's own handle on the SecretStore (same keychain entries or file as the
    // one the secrets were loaded through).
    auto *secretStore =
        new SecretStore(services.settings.dataDir, services.settings.secretStore, qApp);
    auto *window = new MainWindow(services, server, *secretStore);
    auto *instance = new SingleInstance(services.settings.dataDir, window);
    instance->listen();
    QObject::connect(instance, &SingleInstance::raiseRequested, window, &MainWindow::raiseWindow);
    // The window and its workers go before the services they use.
    QObject::connect(qApp, &QCoreApplication::aboutToQuit, qApp, [window] { delete window; });

    window->show();
    QMessageBox *refused = window->startServer();
    if (!refused) {
        window->checkDefaultAdmin(true);
        return;
    }
    // Say why first; the first-run walk-through follows once that is read.
    QObject::connect(refused, &QDialog::finished, window,
                     [window] { window->checkDefaultAdmin(true); });
}

bool secondInstanceRaised(const Settings &settings)
{
    return SingleInstance::raiseRunning(settings.dataDir);
}
