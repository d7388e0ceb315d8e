// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include "adminaudit.h"
#include "crypto/passwordhasher.h"
#include "dialogs/firstrundialog.h"
#include "dialogs/signingkeysdialog.h"
#include "livefeed.h"
#include "pages/auditpage.h"
#include "pages/clientspage.h"
#include "pages/namespacespage.h"
#include "pages/outboxpage.h"
#include "pages/overviewpage.h"
#include "pages/rolespage.h"
#include "pages/settingspage.h"
#include "pages/tokenspage.h"
#include "pages/userspage.h"
#include "servercontrol.h"
#include "services.h"
#include "trayicon.h"
#include "widgets/tables.h"
#include "workers.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QStackedWidget>
#include <QStatusBar>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace {
struct PageInfo
{
    const char *name;  // file and object name
    const char *title; // sidebar
    const char *icon;
};
const PageInfo kPages[] = {
    {"overview", QT_TRANSLATE_NOOP("MainWindow", "Overview"), ":/icons/overview.svg"},
    {"users", QT_TRANSLATE_NOOP("MainWindow", "Users"), ":/icons/users.svg"},
    {"namespaces", QT_TRANSLATE_NOOP("MainWindow", "Namespaces"), ":/icons/namespaces.svg"},
    {"tokens", QT_TRANSLATE_NOOP("MainWindow", "Tokens & sessions"), ":/icons/tokens.svg"},
    {"roles", QT_TRANSLATE_NOOP("MainWindow", "PIN roles"), ":/icons/roles.svg"},
    {"clients", QT_TRANSLATE_NOOP("MainWindow", "Clients"), ":/icons/clients.svg"},
    {"outbox", QT_TRANSLATE_NOOP("MainWindow", "Outbox"), ":/icons/outbox.svg"},
    {"audit", QT_TRANSLATE_NOOP("MainWindow", "Audit log"), ":/icons/audit.svg"},
    {"settings", QT_TRANSLATE_NOOP("MainWindow", "Settings"), ":/icons/settings.svg"},
};
} // namespace

MainWindow::MainWindow(Services &services, ServerControl &server, SecretStore &secretStore,
                       QWidget *parent)
    : QMainWindow(parent), m_services(services), m_server(server),
      m_workers(std::make_unique<Workers>()),
      m_live(std::make_unique<LiveFeed>(services, *m_workers)), m_context{services, server,
                                                                          secretStore, *m_workers,
                                                                          *m_live},
      m_sidebar(new QListWidget), m_stack(new QStackedWidget), m_serverStatus(new QLabel)
{
    setWindowTitle(tr("Gatehouse"));
    setWindowIcon(QIcon(u":/icons/gatehouse.svg"_s));
    buildPages();
    buildUi();
    buildMenus();
    connectSignals();
    updateStatus();
    showPage(Overview);
    resize(1280, 800);
    m_live->start();
}

// One page per sidebar entry, in kPages' order.
void MainWindow::buildPages()
{
    m_overview = new OverviewPage(m_context);
    m_users = new UsersPage(m_context);
    m_namespaces = new NamespacesPage(m_context);
    m_tokens = new TokensPage(m_context);
    m_roles = new RolesPage(m_context);
    m_clients = new ClientsPage(m_context);
    m_outbox = new OutboxPage(m_context);
    m_audit = new AuditPage(m_context);
    m_settings = new SettingsPage(m_context);
    QWidget *pages[] = {m_overview, m_users,  m_namespaces, m_tokens,  m_roles,
                        m_clients,  m_outbox, m_audit,      m_settings};
    for (int i = 0; i < PageCount; ++i) {
        pages[i]->setObjectName(pageName(i));
        m_stack->addWidget(pages[i]);
        auto *item = new QListWidgetItem(QIcon(QString::fromLatin1(kPages[i].icon)),
                                         tr(kPages[i].title), m_sidebar);
        item->setToolTip(tr("%1 (Ctrl+%2)").arg(tr(kPages[i].title)).arg(i + 1));
    }
}

void MainWindow::buildUi()
{
    m_sidebar->setObjectName(u"sidebar"_s);
    m_sidebar->setAccessibleName(tr("Pages"));
    m_sidebar->setIconSize(QSize(22, 22));
    m_sidebar->setFixedWidth(200);
    m_sidebar->setFrameShape(QFrame::NoFrame);
    m_sidebar->setSpacing(2);
    m_sidebar->setStyleSheet(
        u"#sidebar { background: palette(window); padding-top: 8px; }"
        u"#sidebar::item { padding: 8px 10px; border-radius: 6px; margin: 0 8px; }"
        u"#sidebar::item:selected { background: palette(highlight); color: palette(highlighted-text); }"_s);
    auto *central = new QWidget;
    auto *layout = new QHBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    auto *line = new QFrame;
    line->setFrameShape(QFrame::VLine);
    line->setFrameShadow(QFrame::Plain);
    line->setForegroundRole(QPalette::Mid);
    layout->addWidget(m_sidebar);
    layout->addWidget(line);
    layout->addWidget(m_stack, 1);
    setCentralWidget(central);
    statusBar()->addWidget(m_serverStatus, 1);
    statusBar()->addPermanentWidget(new QLabel(tr("Data: %1").arg(m_services.settings.dataDir)));
}

void MainWindow::connectSignals()
{
    connect(m_sidebar, &QListWidget::currentRowChanged, m_stack, &QStackedWidget::setCurrentIndex);
    if (TrayIcon::available()) {
        m_tray = new TrayIcon(m_server, m_services.settings, this);
        connect(m_tray, &TrayIcon::openRequested, this, &MainWindow::raiseWindow);
        connect(m_tray, &TrayIcon::toggleServerRequested, this, &MainWindow::toggleServer);
        connect(m_tray, &TrayIcon::quitRequested, this, &MainWindow::quit);
    }
    connect(&m_server, &ServerControl::stateChanged, this, &MainWindow::updateStatus);
    connect(m_overview, &OverviewPage::changeAdminPasswordRequested, this,
            &MainWindow::offerPasswordChange);
    // The nag goes as soon as the password changes, here, over HTTP or by the CLI.
    connect(m_live.get(), &LiveFeed::usersChanged, this, [this] { checkDefaultAdmin(false); });
    connect(m_users, &UsersPage::actionDone, this, [this] { checkDefaultAdmin(false); });
}

MainWindow::~MainWindow()
{
    // Pages first (they hold results the workers deliver), then the feed, then the pool.
    delete m_stack;
    m_stack = nullptr;
    m_live.reset();
    m_workers.reset();
}

QString MainWindow::pageName(int page)
{
    return page >= 0 && page < PageCount ? QString::fromLatin1(kPages[page].name) : QString();
}

void MainWindow::showPage(int page)
{
    m_sidebar->setCurrentRow(page);
}

int MainWindow::currentPage() const
{
    return m_stack->currentIndex();
}

QWidget *MainWindow::page(int index) const
{
    return m_stack->widget(index);
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&Gatehouse"));
    QAction *toggle = file->addAction(tr("&Stop server"), this, &MainWindow::toggleServer);
    connect(&m_server, &ServerControl::stateChanged, toggle, [this, toggle] {
        toggle->setText(m_server.isRunning() ? tr("&Stop server") : tr("&Start server"));
    });
    toggle->setText(m_server.isRunning() ? tr("&Stop server") : tr("&Start server"));
    file->addAction(tr("Open &data folder"), this, [this] {
        QDesktopServices::openUrl(QUrl::fromLocalFile(m_services.settings.dataDir));
    });
    file->addAction(tr("Change the &admin password…"), this, &MainWindow::offerPasswordChange);
    file->addAction(tr("&Import from another server…"), this, [this] {
        showPage(Users);
        m_users->askImport();
    });
    file->addAction(tr("OpenID &signing keys…"), this, [this] {
        auto *dialog = new SigningKeysDialog(m_context, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });
    file->addSeparator();
    file->addAction(tr("&Close window"), QKeySequence::Close, this, &QWidget::close);
    file->addAction(tr("&Quit (stop serving)"), QKeySequence::Quit, this, &MainWindow::quit);

    QMenu *go = menuBar()->addMenu(tr("G&o"));
    for (int i = 0; i < PageCount; ++i)
        go->addAction(tr(kPages[i].title), QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)), this,
                      [this, i] { showPage(i); });
    go->addSeparator();
    go->addAction(tr("&Find user…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F), this, [this] {
        showPage(Users);
        m_users->focusSearch();
    });

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Gatehouse"), this, [this] {
        QMessageBox::about(this, tr("About Gatehouse"),
                           tr("<h3>Gatehouse %1</h3><p>A self-hosted auth server and its admin "
                              "console.</p><p>GPL-3.0-or-later.</p>")
                               .arg(QCoreApplication::applicationVersion()));
    });
}

void MainWindow::updateStatus()
{
    if (m_server.isRunning()) {
        m_serverStatus->setText(
            tr("Serving on %1").arg(m_services.settings.listenUrl(m_server.port())));
    } else {
        m_serverStatus->setText(tr("Server stopped"));
    }
}

void MainWindow::toggleServer()
{
    if (m_server.isRunning()) {
        m_server.stop();
        AdminAudit::record(m_services.audit, {.action = u"server.stop"_s,
                                              .subject = m_services.settings.listenAddress()});
        return;
    }
    startServer();
}

QMessageBox *MainWindow::startServer()
{
    const auto started = m_server.start();
    AdminAudit::record(m_services.audit, {.action = u"server.start"_s,
                                          .subject = m_services.settings.listenAddress(),
                                          .result = started ? u"ok"_s : u"error"_s,
                                          .detail = started ? QString() : started.error()});
    m_retryStart = !started;
    if (started)
        return nullptr;
    raiseWindow();
    return PageUi::showError(this, tr("The server did not start"),
                             started.error() +
                                 tr("\n\nChange the listen address under Settings (then restart), "
                                    "or start it again from the Overview page."));
}

void MainWindow::passwordChanged()
{
    checkDefaultAdmin(false);
    if (m_retryStart && !m_server.isRunning())
        startServer();
}

void MainWindow::raiseWindow()
{
    if (isMinimized())
        setWindowState(windowState() & ~Qt::WindowMinimized);
    show();
    raise();
    activateWindow();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_quitting) {
        event->accept();
        return;
    }
    if (m_tray && m_tray->isVisible()) {
        // Keep serving; the tray icon brings the window back.
        hide();
        event->ignore();
        if (!m_toldAboutTray) {
            m_toldAboutTray = true;
            m_tray->showMessage(tr("Gatehouse is still serving"),
                                tr("The server keeps running in the background. Use the tray "
                                   "icon to open the console or to quit."));
        }
        return;
    }
    QMessageBox box(QMessageBox::Question, tr("Close Gatehouse"),
                    tr("Keep serving in the background? There is no tray icon here: start "
                       "Gatehouse again to bring this window back."),
                    QMessageBox::NoButton, this);
    QPushButton *keep = box.addButton(tr("Keep serving"), QMessageBox::AcceptRole);
    QPushButton *stop = box.addButton(tr("Stop and quit"), QMessageBox::DestructiveRole);
    box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(keep);
    box.exec();
    if (box.clickedButton() == keep) {
        hide();
    } else if (box.clickedButton() == stop) {
        quit();
        return;
    }
    event->ignore();
}

void MainWindow::quit()
{
    m_quitting = true;
    m_server.stop();
    close();
    QCoreApplication::quit();
}

void MainWindow::checkDefaultAdmin(bool offerDialog)
{
    Services &s = m_services;
    m_workers->run(
        this,
        [&s]() -> std::optional<User> {
            const auto admin = s.users.byUsername(Accounts::kDefaultAdmin);
            if (!admin || admin->disabled || admin->passwordHash.isEmpty())
                return std::nullopt;
            if (s.accounts.defaultAdminPasswordUnchanged() ||
                PasswordHasher::verify(admin->passwordHash, "admin"))
                return admin;
            return std::nullopt;
        },
        [this, offerDialog](Result<std::optional<User>> admin) {
            const bool unchanged = admin && admin->has_value();
            m_overview->setDefaultPasswordWarning(unchanged);
            Q_EMIT defaultAdminChecked(unchanged);
            if (unchanged && offerDialog && !m_firstRunShown) {
                m_firstRunShown = true;
                auto *dialog = new FirstRunDialog(m_context, **admin, this);
                dialog->setAttribute(Qt::WA_DeleteOnClose);
                connect(dialog, &FirstRunDialog::passwordChanged, this,
                        &MainWindow::passwordChanged);
                dialog->open();
            }
        });
}

void MainWindow::offerPasswordChange()
{
    m_firstRunShown = false;
    Services &s = m_services;
    m_workers->run(
        this, [&s] { return s.users.byUsername(Accounts::kDefaultAdmin); },
        [this](Result<std::optional<User>> admin) {
            if (!admin || !admin->has_value()) {
                PageUi::showError(this, tr("Admin password"),
                                  tr("There is no account named “admin”."));
                return;
            }
            auto *dialog = new FirstRunDialog(m_context, **admin, this);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            connect(dialog, &FirstRunDialog::passwordChanged, this, &MainWindow::passwordChanged);
            dialog->open();
        });
}
