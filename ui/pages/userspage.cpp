// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/userspage.h"

#include "consolecontext.h"
#include "dialogs/pinlockoutsdialog.h"
#include "dialogs/secretdialog.h"
#include "dialogs/userdetailsdialog.h"
#include "dialogs/userdialog.h"
#include "format.h"
#include "import/importdialog.h"
#include "livefeed.h"
#include "models/usertablemodel.h"
#include "pages/useractions.h"
#include "pages/userpanel.h"
#include "services.h"
#include "widgets/tables.h"
#include "workers.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {
QString nameOf(const User &u)
{
    return Format::userName(u);
}
} // namespace

UsersPage::UsersPage(ConsoleContext &context, QWidget *parent)
    : QWidget(parent), m_context(context),
      m_model(new UserTableModel(context.services.users, context.workers, this)),
      m_view(new QTableView), m_search(new QLineEdit), m_filter(new QComboBox), m_count(new QLabel),
      m_lockouts(new QPushButton(tr("PIN lockouts"))), m_panel(new UserPanel),
      m_actions(new UserActions(context, this)), m_create(new QPushButton(tr("&New user…"))),
      m_import(new QPushButton(tr("&Import…")))
{
    buildUi();
    connectSignals();
    addShortcuts();
    applyQuery();
    updateLockouts();
}

void UsersPage::buildUi()
{
    m_search->setPlaceholderText(tr("Search: start of a username, email or name  (Ctrl+F)"));
    m_search->setClearButtonEnabled(true);
    m_search->setAccessibleName(tr("Search users"));
    m_filter->addItems({tr("All users"), tr("Disabled"), tr("Administrators")});
    m_filter->setAccessibleName(tr("Filter users"));
    m_create->setShortcut(QKeySequence::New);
    m_create->setToolTip(tr("Create a user (Ctrl+N)"));
    m_lockouts->setToolTip(tr("Names and addresses locked after wrong PINs"));
    m_import->setToolTip(tr("Import users from lightnovel-crawler, Ambrosia POS or hapi"));

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_search, 1);
    bar->addWidget(m_filter);
    bar->addWidget(m_lockouts);
    bar->addWidget(m_create);
    bar->addWidget(m_import);

    m_view->setModel(m_model);
    Tables::setUp(m_view);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->setAccessibleName(tr("Users"));
    auto *header = m_view->horizontalHeader();
    const int widths[] = {120, 135, 195, 105, 65};
    for (int c = 0; c < UserTableModel::Created; ++c)
        header->resizeSection(c, widths[c]);

    auto *left = new QWidget;
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addLayout(bar);
    leftLayout->addWidget(m_view, 1);
    leftLayout->addWidget(m_count);

    auto *split = new QSplitter;
    split->addWidget(left);
    split->addWidget(m_panel);
    split->setStretchFactor(0, 1);
    split->setCollapsible(0, false);
    m_panel->setMinimumWidth(270);
    m_panel->setMaximumWidth(340);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(PageUi::title(tr("Users")));
    layout->addWidget(split, 1);
}

void UsersPage::connectSignals()
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(150);
    connect(&m_debounce, &QTimer::timeout, this, &UsersPage::applyQuery);
    connect(m_search, &QLineEdit::textChanged, this, [this] { m_debounce.start(); });
    connect(m_search, &QLineEdit::returnPressed, this, &UsersPage::applyQuery);
    connect(m_filter, &QComboBox::currentIndexChanged, this, &UsersPage::applyQuery);
    connect(m_create, &QPushButton::clicked, this, &UsersPage::askCreate);
    connect(m_lockouts, &QPushButton::clicked, this, &UsersPage::showLockouts);
    connect(m_import, &QPushButton::clicked, this, &UsersPage::askImport);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &UsersPage::selectionChanged);
    connect(m_view, &QTableView::doubleClicked, this, &UsersPage::askEdit);
    connect(m_view, &QTableView::customContextMenuRequested, this, &UsersPage::showContextMenu);
    connect(m_model, &UserTableModel::loaded, this, [this] {
        if (!m_model->isCounted())
            m_count->setText(tr("Counting…"));
        selectionChanged();
    });
    connect(m_model, &UserTableModel::counted, this, [this] {
        const qint64 n = m_model->totalCount();
        m_count->setText(Format::count(n) + (n == 1 ? tr(" user") : tr(" users")));
    });
    connect(m_model, &UserTableModel::pageLoaded, this, [this] { selectionChanged(); });
    connect(m_model, &UserTableModel::failed, this, [this](const QString &error) {
        m_count->setText(tr("Could not read users: %1").arg(error));
    });
    connect(m_panel->edit, &QPushButton::clicked, this, &UsersPage::askEdit);
    connect(m_panel->password, &QPushButton::clicked, this, &UsersPage::askPassword);
    connect(m_panel->pin, &QPushButton::clicked, this, &UsersPage::askPin);
    connect(m_panel->toggleDisabled, &QPushButton::clicked, this, &UsersPage::askToggleDisabled);
    connect(m_panel->signOut, &QPushButton::clicked, this, &UsersPage::askSignOut);
    connect(m_panel->details, &QPushButton::clicked, this, &UsersPage::showDetails);
    connect(m_panel->factors, &QPushButton::clicked, this, &UsersPage::showFactors);
    connect(m_panel->remove, &QPushButton::clicked, this, &UsersPage::askDelete);
    connect(&m_context.live, &LiveFeed::usersChanged, m_model, &UserTableModel::refresh);
    connect(m_actions, &UserActions::done, this, [this](const QString &action, bool ok) {
        m_model->refresh();
        Q_EMIT actionDone(action, ok);
    });
    connect(&m_context.live, &LiveFeed::auditChanged, this, &UsersPage::updateLockouts);
}

void UsersPage::addShortcuts()
{
    auto *find = new QShortcut(QKeySequence::Find, this);
    connect(find, &QShortcut::activated, this, &UsersPage::focusSearch);
    auto *del = new QShortcut(QKeySequence::Delete, m_view, nullptr, nullptr, Qt::WidgetShortcut);
    connect(del, &QShortcut::activated, this, &UsersPage::askDelete);
    auto *enter = new QShortcut(Qt::Key_Return, m_view, nullptr, nullptr, Qt::WidgetShortcut);
    connect(enter, &QShortcut::activated, this, &UsersPage::askEdit);
    // Down from the search field goes to the results.
    auto *down = new QShortcut(Qt::Key_Down, m_search, nullptr, nullptr, Qt::WidgetShortcut);
    connect(down, &QShortcut::activated, this, [this] {
        m_view->setFocus();
        if (m_model->rowCount() > 0 && Tables::currentRow(m_view) < 0)
            m_view->selectRow(0);
    });
}

void UsersPage::focusSearch()
{
    m_search->setFocus();
    m_search->selectAll();
}

void UsersPage::applyQuery()
{
    m_debounce.stop();
    UserQuery q;
    q.search = m_search->text().trimmed();
    q.disabledOnly = m_filter->currentIndex() == 1;
    q.adminsOnly = m_filter->currentIndex() == 2;
    if (q.search == m_model->query().search && q.disabledOnly == m_model->query().disabledOnly &&
        q.adminsOnly == m_model->query().adminsOnly && m_model->rowCount() > 0)
        return;
    m_count->setText(tr("Searching…"));
    m_model->setQuery(q);
}

std::optional<User> UsersPage::selectedUser() const
{
    const int row = Tables::currentRow(m_view);
    return row < 0 ? std::nullopt : m_model->userAt(row);
}

void UsersPage::selectionChanged()
{
    const auto user = selectedUser();
    m_selectedId = user ? user->id : QString();
    m_panel->show(user);
    if (user)
        loadFactorSummary(*user);
}

void UsersPage::showContextMenu(const QPoint &pos)
{
    const QModelIndex index = m_view->indexAt(pos);
    if (!index.isValid())
        return;
    m_view->selectRow(index.row());
    const auto user = selectedUser();
    if (!user)
        return;
    QMenu menu(this);
    menu.addAction(tr("Edit…"), this, &UsersPage::askEdit);
    menu.addAction(tr("Set password…"), this, &UsersPage::askPassword);
    menu.addAction(tr("Set PIN…"), this, &UsersPage::askPin)->setEnabled(!user->username.isEmpty());
    menu.addAction(user->disabled ? tr("Enable") : tr("Disable"), this,
                   &UsersPage::askToggleDisabled);
    menu.addAction(tr("Sign out everywhere"), this, &UsersPage::askSignOut);
    menu.addAction(tr("Sessions && tokens…"), this, &UsersPage::showDetails);
    menu.addSeparator();
    menu.addAction(tr("Delete…"), this, &UsersPage::askDelete);
    menu.exec(m_view->viewport()->mapToGlobal(pos));
}

// ---- dialogs ----------------------------------------------------------------------------

void UsersPage::askCreate()
{
    UserDialog dialog(std::nullopt, this);
    if (dialog.exec() == QDialog::Accepted)
        m_actions->create(dialog.user(), dialog.password());
}

void UsersPage::askEdit()
{
    const auto user = selectedUser();
    if (!user)
        return;
    UserDialog dialog(user, this);
    if (dialog.exec() == QDialog::Accepted)
        m_actions->update(*user, dialog.user());
}

void UsersPage::askToggleDisabled()
{
    if (const auto user = selectedUser())
        m_actions->setDisabled(*user, !user->disabled);
}

void UsersPage::askDelete()
{
    const auto user = selectedUser();
    if (!user)
        return;
    const auto answer = QMessageBox::question(
        this, tr("Delete user"),
        tr("Delete %1? Their sessions and tokens are revoked. This cannot be undone.")
            .arg(nameOf(*user)),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer == QMessageBox::Yes)
        m_actions->remove(*user);
}

void UsersPage::askPassword()
{
    const auto user = selectedUser();
    if (!user)
        return;
    const User u = *user;
    SecretDialog dialog(
        SecretDialog::Kind::Password, nameOf(u),
        [u](const QString &pw) {
            const QString p = Accounts::passwordProblem(u, pw);
            return p.isEmpty() ? p : tr("The password %1.").arg(p);
        },
        this);
    if (dialog.exec() == QDialog::Accepted)
        m_actions->setPassword(u, dialog.secret());
}

void UsersPage::askPin()
{
    const auto user = selectedUser();
    if (!user || user->username.isEmpty())
        return;
    SecretDialog dialog(
        SecretDialog::Kind::Pin, nameOf(*user),
        [](const QString &pin) {
            return PinAuth::isValidPin(pin) ? QString() : tr("A PIN is 4 to 12 digits.");
        },
        this);
    if (dialog.exec() == QDialog::Accepted)
        m_actions->setPin(*user, dialog.secret());
}

void UsersPage::askSignOut()
{
    const auto user = selectedUser();
    if (!user)
        return;
    const auto answer = QMessageBox::question(
        this, tr("Sign out everywhere"),
        tr("Sign %1 out on every device? Every session and token they hold stops working now.")
            .arg(nameOf(*user)),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Yes);
    if (answer == QMessageBox::Yes)
        m_actions->signOutEverywhere(*user);
}

void UsersPage::showDetails()
{
    if (const auto user = selectedUser()) {
        auto *dialog = new UserDetailsDialog(m_context, *user, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    }
}

void UsersPage::showLockouts()
{
    auto *dialog = new PinLockoutsDialog(m_context, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::finished, this, &UsersPage::updateLockouts);
    dialog->open();
}

void UsersPage::askImport()
{
    auto *dialog = new ImportDialog(m_context.services, m_context.workers, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ImportDialog::imported, this, [this](bool ok) {
        m_model->refresh();
        Q_EMIT actionDone(u"import"_s, ok);
    });
    dialog->open();
}

void UsersPage::updateLockouts()
{
    PinLockout &lockout = m_context.services.pinAuth.lockout();
    m_context.workers.run(
        this, [&lockout] { return int(lockout.entries(true).size()); },
        [this](Result<int> locked) {
            if (!locked)
                return;
            m_lockouts->setText(*locked > 0 ? tr("PIN lockouts (%1)").arg(*locked)
                                            : tr("PIN lockouts"));
        });
}
