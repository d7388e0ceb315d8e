// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "consolecontext.h"

#include <QMainWindow>
#include <memory>

class AuditPage;
class ClientsPage;
class LiveFeed;
class NamespacesPage;
class OutboxPage;
class RolesPage;
class OverviewPage;
class QLabel;
class QMessageBox;
class QListWidget;
class QStackedWidget;
class SecretStore;
class ServerControl;
class Services;
class SettingsPage;
class TokensPage;
class TrayIcon;
class UsersPage;
class Workers;

// The console: a sidebar of pages. Closing it hides it while the server keeps
// serving (the tray icon brings it back or quits).
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    enum Page {
        Overview,
        Users,
        Namespaces,
        Tokens,
        Roles,
        Clients,
        Outbox,
        Audit,
        SettingsPage_,
        PageCount
    };

    MainWindow(Services &services, ServerControl &server, SecretStore &secretStore,
               QWidget *parent = nullptr);
    ~MainWindow() override;

    void showPage(int page);
    int currentPage() const;
    QWidget *page(int index) const;
    static QString pageName(int page); // "overview", "users"… (screenshots, tests)
    void raiseWindow();
    // Starts the server and records it; on failure shows why in a dialog (returned, so the
    // caller can follow up) and tries again once the default admin password is changed.
    QMessageBox *startServer();
    // Checks (on a worker) whether "admin" still has the password "admin".
    void checkDefaultAdmin(bool offerDialog);

    OverviewPage *overview() const { return m_overview; }
    UsersPage *users() const { return m_users; }
    NamespacesPage *namespaces() const { return m_namespaces; }
    TokensPage *tokens() const { return m_tokens; }
    RolesPage *roles() const { return m_roles; }
    ClientsPage *clients() const { return m_clients; }
    OutboxPage *outbox() const { return m_outbox; }
    AuditPage *audit() const { return m_audit; }
    SettingsPage *settings() const { return m_settings; }
    Workers &workers() const { return *m_workers; }
    LiveFeed &live() const { return *m_live; }
    TrayIcon *tray() const { return m_tray; }

Q_SIGNALS:
    void defaultAdminChecked(bool unchanged);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildPages();
    void buildUi();
    void buildMenus();
    void connectSignals();
    void updateStatus();
    void toggleServer();
    void quit();
    void offerPasswordChange();
    void passwordChanged();

    Services &m_services;
    ServerControl &m_server;
    std::unique_ptr<Workers> m_workers;
    std::unique_ptr<LiveFeed> m_live;
    ConsoleContext m_context;
    QListWidget *m_sidebar;
    QStackedWidget *m_stack;
    OverviewPage *m_overview;
    UsersPage *m_users;
    NamespacesPage *m_namespaces;
    TokensPage *m_tokens;
    RolesPage *m_roles;
    ClientsPage *m_clients;
    OutboxPage *m_outbox;
    AuditPage *m_audit;
    SettingsPage *m_settings;
    TrayIcon *m_tray = nullptr;
    QLabel *m_serverStatus;
    bool m_toldAboutTray = false;
    bool m_quitting = false;
    bool m_firstRunShown = false;
    bool m_retryStart = false; // the last start failed; try again after a password change
};
