// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

class QAction;
class QMenu;
class QSystemTrayIcon;
class ServerControl;
struct Settings;

// The tray icon: its tooltip says whether the server is up and where; its menu opens
// the console, starts or stops the server, and quits.
class TrayIcon : public QObject
{
    Q_OBJECT
public:
    TrayIcon(ServerControl &server, const Settings &settings, QObject *parent = nullptr);
    ~TrayIcon() override;

    static bool available();
    bool isVisible() const;
    void showMessage(const QString &title, const QString &text);
    QString toolTip() const;

Q_SIGNALS:
    void openRequested();
    void toggleServerRequested();
    void quitRequested();

private:
    void update();

    ServerControl &m_server;
    const Settings &m_settings;
    QMenu *m_menu;
    QAction *m_toggle;
    QSystemTrayIcon *m_icon;
};
