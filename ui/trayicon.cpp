// SPDX-License-Identifier: GPL-3.0-or-later
#include "trayicon.h"

#include "config/settings.h"
#include "servercontrol.h"

#include <QIcon>
#include <QMenu>
#include <QSystemTrayIcon>

using namespace Qt::StringLiterals;

TrayIcon::TrayIcon(ServerControl &server, const Settings &settings, QObject *parent)
    : QObject(parent), m_server(server), m_settings(settings), m_menu(new QMenu),
      m_icon(new QSystemTrayIcon(QIcon(u":/icons/gatehouse.svg"_s), this))
{
    m_menu->addAction(tr("Open console"), this, &TrayIcon::openRequested);
    m_toggle = m_menu->addAction(QString(), this, &TrayIcon::toggleServerRequested);
    m_menu->addSeparator();
    m_menu->addAction(tr("Quit Gatehouse"), this, &TrayIcon::quitRequested);
    m_icon->setContextMenu(m_menu);
    connect(m_icon, &QSystemTrayIcon::activated, this,
            [this](QSystemTrayIcon::ActivationReason why) {
                if (why == QSystemTrayIcon::Trigger || why == QSystemTrayIcon::DoubleClick)
                    Q_EMIT openRequested();
            });
    connect(&server, &ServerControl::stateChanged, this, &TrayIcon::update);
    update();
    if (available())
        m_icon->show();
}

TrayIcon::~TrayIcon()
{
    delete m_menu;
}

bool TrayIcon::available()
{
    return QSystemTrayIcon::isSystemTrayAvailable();
}

bool TrayIcon::isVisible() const
{
    return m_icon->isVisible();
}

void TrayIcon::showMessage(const QString &title, const QString &text)
{
    if (m_icon->isVisible() && QSystemTrayIcon::supportsMessages())
        m_icon->showMessage(title, text, QSystemTrayIcon::Information, 5000);
}

QString TrayIcon::toolTip() const
{
    return m_icon->toolTip();
}

void TrayIcon::update()
{
    const bool running = m_server.isRunning();
    m_icon->setToolTip(
        running ? tr("Gatehouse — serving on %1").arg(m_settings.listenUrl(m_server.port()))
                : tr("Gatehouse — server stopped"));
    m_toggle->setText(running ? tr("Stop server") : tr("Start server"));
}
