// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/namespacespage.h"

#include "adminaudit.h"
#include "consolecontext.h"
#include "format.h"
#include "livefeed.h"
#include "services.h"
#include "widgets/tables.h"
#include "workers.h"

#include <QApplication>
#include <QClipboard>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

QVariant namespaceCell(const Namespace &ns, int column, int role)
{
    if (role == Qt::ForegroundRole && ns.disabled)
        return QPalette().brush(QPalette::Disabled, QPalette::Text);
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case 0:
        return ns.name;
    case 1:
        return ns.disabled ? QObject::tr("Disabled") : QObject::tr("Active");
    case 2:
        return Format::dateTime(ns.createdAt);
    case 3:
        return ns.createdBy;
    }
    return {};
}

QVariant bindingCell(const TelegramBinding &b, int column, int role)
{
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case 0:
        return b.telegramUserId;
    case 1:
        return b.username.isEmpty() ? QString() : u'@' + b.username;
    case 2:
        return QStringList{b.firstName, b.lastName}.join(u' ').trimmed();
    case 3:
        return Format::dateTime(b.boundAt);
    }
    return {};
}

} // namespace

NamespacesPage::NamespacesPage(ConsoleContext &context, QWidget *parent)
    : QWidget(parent), m_context(context),
      m_model(new ListTableModel<Namespace>(
          {tr("Name"), tr("State"), tr("Created"), tr("Created by")}, namespaceCell, this)),
      m_bindings(new ListTableModel<TelegramBinding>(
          {tr("Telegram user id"), tr("Username"), tr("Name"), tr("Bound")}, bindingCell, this)),
      m_view(new QTableView), m_bindingView(new QTableView), m_newName(new QLineEdit),
      m_heading(new QLabel), m_state(new QLabel), m_token(new QLineEdit),
      m_show(new QPushButton(tr("Show"))), m_copy(new QPushButton(tr("&Copy access token"))),
      m_toggle(new QPushButton(tr("&Disable"))),
      m_signOut(new QPushButton(tr("Sign everyone &out"))),
      m_unbind(new QPushButton(tr("&Unbind selected"))), m_bindingsTitle(new QLabel),
      m_create(new QPushButton(tr("C&reate")))
{
    buildUi();
    connectSignals();
    reload();
    selectionChanged();
}

void NamespacesPage::buildUi()
{
    auto *top = new QSplitter;
    top->addWidget(listPane());
    top->addWidget(detailPane());
    top->setStretchFactor(0, 1);

    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(top);
    split->addWidget(bindingPane());
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(PageUi::title(tr("Namespaces")));
    layout->addWidget(split, 1);
}

QWidget *NamespacesPage::listPane()
{
    m_newName->setPlaceholderText(tr("New namespace name (A-Z a-z 0-9 . _ -)"));
    m_newName->setValidator(
        new QRegularExpressionValidator(QRegularExpression(u"[A-Za-z0-9._-]{0,64}"_s), m_newName));
    m_newName->setAccessibleName(tr("New namespace name"));
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_newName, 1);
    bar->addWidget(m_create);

    m_view->setModel(m_model);
    Tables::setUp(m_view);
    m_view->horizontalHeader()->resizeSection(0, 220);
    m_view->horizontalHeader()->resizeSection(2, 160);
    auto *left = new QWidget;
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addLayout(bar);
    leftLayout->addWidget(m_view, 1);
    return left;
}

// The selected namespace.
QWidget *NamespacesPage::detailPane()
{
    QFont big = m_heading->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setWeight(QFont::DemiBold);
    m_heading->setFont(big);
    m_token->setReadOnly(true);
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setAccessibleName(tr("Access token"));
    m_show->setCheckable(true);
    auto *tokenRow = new QHBoxLayout;
    tokenRow->addWidget(m_token, 1);
    tokenRow->addWidget(m_show);
    auto *panel = new QWidget;
    auto *panelLayout = new QVBoxLayout(panel);
    panelLayout->addWidget(m_heading);
    panelLayout->addWidget(m_state);
    panelLayout->addWidget(new QLabel(tr("Access token (CLI_API_TOKEN:<namespace>):")));
    panelLayout->addLayout(tokenRow);
    panelLayout->addWidget(m_copy);
    panelLayout->addWidget(m_toggle);
    panelLayout->addWidget(m_signOut);
    panelLayout->addWidget(
        PageUi::hint(tr("Signing everyone out refuses every token this namespace issued until now. "
                        "A disabled namespace refuses logins with 401.")));
    panelLayout->addStretch();
    panel->setMinimumWidth(300);
    panel->setMaximumWidth(420);
    return panel;
}

QWidget *NamespacesPage::bindingPane()
{
    m_bindingView->setModel(m_bindings);
    Tables::setUp(m_bindingView, true);
    m_bindingView->horizontalHeader()->resizeSection(0, 160);
    m_bindingView->horizontalHeader()->resizeSection(1, 180);
    m_bindingView->horizontalHeader()->resizeSection(2, 220);
    auto *bindingBox = new QWidget;
    auto *bindingLayout = new QVBoxLayout(bindingBox);
    bindingLayout->setContentsMargins(0, 0, 0, 0);
    auto *bindingBar = new QHBoxLayout;
    bindingBar->addWidget(m_bindingsTitle, 1);
    bindingBar->addWidget(m_unbind);
    bindingLayout->addLayout(bindingBar);
    bindingLayout->addWidget(m_bindingView, 1);
    return bindingBox;
}

void NamespacesPage::connectSignals()
{
    connect(m_create, &QPushButton::clicked, this, [this] { createNamespace(m_newName->text()); });
    connect(m_newName, &QLineEdit::returnPressed, this,
            [this] { createNamespace(m_newName->text()); });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &NamespacesPage::selectionChanged);
    connect(m_show, &QPushButton::toggled, this, [this](bool on) {
        m_token->setEchoMode(on ? QLineEdit::Normal : QLineEdit::Password);
        m_show->setText(on ? tr("Hide") : tr("Show"));
    });
    connect(m_copy, &QPushButton::clicked, this, [this] { copyToken(selectedName()); });
    connect(m_toggle, &QPushButton::clicked, this, [this] {
        if (const Namespace *ns = m_model->at(Tables::currentRow(m_view)))
            setDisabled(ns->name, !ns->disabled);
    });
    connect(m_signOut, &QPushButton::clicked, this, [this] {
        const QString name = selectedName();
        if (name.isEmpty())
            return;
        if (QMessageBox::question(
                this, tr("Sign everyone out"),
                tr("Refuse every token namespace %1 has issued so far?").arg(name),
                QMessageBox::Yes | QMessageBox::Cancel) == QMessageBox::Yes)
            signOutEverywhere(name);
    });
    connect(m_unbind, &QPushButton::clicked, this, [this] {
        for (const QModelIndex &index : m_bindingView->selectionModel()->selectedRows())
            if (const TelegramBinding *b = m_bindings->at(index.row()))
                unbind(b->telegramUserId);
    });
    connect(&m_context.live, &LiveFeed::namespacesChanged, this, &NamespacesPage::reload);
    connect(&m_context.live, &LiveFeed::bindingsChanged, this, &NamespacesPage::reloadBindings);
}

QString NamespacesPage::selectedName() const
{
    const Namespace *ns = m_model->at(Tables::currentRow(m_view));
    return ns ? ns->name : QString();
}

bool NamespacesPage::select(const QString &name)
{
    for (int row = 0; row < m_model->rowCount(); ++row)
        if (m_model->at(row)->name == name) {
            m_view->selectRow(row);
            m_view->scrollTo(m_model->index(row, 0));
            return true;
        }
    return false;
}

void NamespacesPage::reload()
{
    Namespaces &namespaces = m_context.services.namespaces;
    m_context.workers.run(
        this, [&namespaces] { return namespaces.list(); },
        [this](Result<QList<Namespace>> list) {
            if (!list) {
                PageUi::showError(this, tr("Namespaces"), list.error());
                return;
            }
            const QString keep = m_pendingSelection.isEmpty()
                                     ? selectedName()
                                     : std::exchange(m_pendingSelection, {});
            m_model->setRows(*list);
            if (!keep.isEmpty())
                select(keep);
            selectionChanged();
            Q_EMIT reloaded();
        });
}

void NamespacesPage::selectionChanged()
{
    const Namespace *ns = m_model->at(Tables::currentRow(m_view));
    for (QWidget *w :
         std::initializer_list<QWidget *>{m_token, m_show, m_copy, m_toggle, m_signOut})
        w->setEnabled(ns != nullptr);
    if (!ns) {
        m_heading->setText(tr("No namespace selected"));
        m_state->setText(tr("Create one above, or select one in the list."));
        m_token->clear();
        m_bindings->setRows({});
        m_bindingsTitle->setText(tr("Telegram bindings"));
        return;
    }
    m_heading->setText(ns->name);
    m_state->setText(
        (ns->disabled ? tr("Disabled") : tr("Active")) +
        tr(" · created %1 by %2").arg(Format::dateTime(ns->createdAt), ns->createdBy) +
        (ns->tokensValidAfter > 0
             ? tr("\nEveryone signed out at %1").arg(Format::dateTime(ns->tokensValidAfter))
             : QString()));
    m_token->setText(m_context.services.namespaceAuth.accessTokenFor(ns->name));
    m_token->setCursorPosition(0);
    m_toggle->setText(ns->disabled ? tr("&Enable") : tr("&Disable"));
    reloadBindings();
}

void NamespacesPage::reloadBindings()
{
    const QString name = selectedName();
    if (name.isEmpty())
        return;
    TelegramBindings &bindings = m_context.services.telegramBindings;
    m_context.workers.run(
        this, [&bindings, name] { return bindings.list(name); },
        [this, name](Result<QList<TelegramBinding>> list) {
            if (!list || name != selectedName())
                return;
            m_bindings->setRows(*list);
            m_bindingsTitle->setText(
                tr("Telegram users bound to %1: %2").arg(name).arg(list->size()));
            Q_EMIT bindingsReloaded();
        });
}

void NamespacesPage::act(const QString &action, const QString &subject, std::function<bool()> work)
{
    AuditLog &audit = m_context.services.audit;
    m_context.workers.run(
        this,
        [&audit, action, subject, work] {
            const bool done = work();
            AdminAudit::record(
                audit,
                {.action = action, .subject = subject, .result = done ? u"ok"_s : u"error"_s});
            return done;
        },
        [this, action](Result<bool> r) {
            if (!r)
                PageUi::showError(this, tr("Namespaces"), r.error());
            reload();
            Q_EMIT actionDone(action, r && *r);
        });
}

void NamespacesPage::createNamespace(const QString &rawName)
{
    const QString name = rawName.trimmed();
    if (!Namespaces::isValidName(name)) {
        PageUi::showError(this, tr("New namespace"),
                          tr("A namespace name is 1 to 64 of A-Z a-z 0-9 . _ -"));
        return;
    }
    Namespaces &namespaces = m_context.services.namespaces;
    AuditLog &audit = m_context.services.audit;
    m_context.workers.run(
        this,
        [&namespaces, &audit, name] {
            auto added = namespaces.add(name, AdminAudit::kSurface);
            if (!added)
                throw added.refusal();
            AdminAudit::record(audit, {.action = u"namespace.add"_s, .subject = u"ns:"_s + name});
            return true;
        },
        [this, name](Result<bool> r) {
            if (!r) {
                PageUi::showError(this, tr("New namespace"), r.error());
            } else {
                m_newName->clear();
                m_pendingSelection = name;
            }
            reload();
            Q_EMIT actionDone(u"namespace.add"_s, bool(r));
        });
}

void NamespacesPage::setDisabled(const QString &name, bool disabled)
{
    Namespaces &namespaces = m_context.services.namespaces;
    act(disabled ? u"namespace.disable"_s : u"namespace.enable"_s, u"ns:"_s + name,
        [&namespaces, name, disabled] { return namespaces.setDisabled(name, disabled); });
}

void NamespacesPage::signOutEverywhere(const QString &name)
{
    Namespaces &namespaces = m_context.services.namespaces;
    act(u"namespace.sign-out-everywhere"_s, u"ns:"_s + name,
        [&namespaces, name] { return namespaces.signOutEverywhere(name); });
}

void NamespacesPage::copyToken(const QString &name)
{
    if (name.isEmpty())
        return;
    QApplication::clipboard()->setText(m_context.services.namespaceAuth.accessTokenFor(name));
    // Copying a secret is worth a line in the log.
    AdminAudit::record(m_context.services.audit,
                       {.action = u"namespace.token.copy"_s, .subject = u"ns:"_s + name});
    m_copy->setText(tr("Copied"));
    QTimer::singleShot(1500, m_copy, [this] { m_copy->setText(tr("&Copy access token")); });
    Q_EMIT actionDone(u"namespace.token.copy"_s, true);
}

void NamespacesPage::unbind(const QString &telegramUserId)
{
    TelegramBindings &bindings = m_context.services.telegramBindings;
    AuditLog &audit = m_context.services.audit;
    const QString ns = selectedName();
    m_context.workers.run(
        this,
        [&bindings, &audit, telegramUserId, ns] {
            const bool done = bindings.unbind(telegramUserId);
            AdminAudit::record(audit, {.action = u"telegram.unbind"_s,
                                       .subject = u"telegram:"_s + telegramUserId,
                                       .result = done ? u"ok"_s : u"error"_s,
                                       .detail = u"namespace "_s + ns});
            return done;
        },
        [this](Result<bool> r) {
            if (!r)
                PageUi::showError(this, tr("Unbind"), r.error());
            reloadBindings();
            Q_EMIT actionDone(u"telegram.unbind"_s, r && *r);
        });
}
