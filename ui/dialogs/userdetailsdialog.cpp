// SPDX-License-Identifier: GPL-3.0-or-later
#include "dialogs/userdetailsdialog.h"

#include "adminaudit.h"
#include "consolecontext.h"
#include "format.h"
#include "livefeed.h"
#include "services.h"
#include "widgets/tables.h"
#include "workers.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

UserDetailsDialog::UserDetailsDialog(ConsoleContext &context, const User &user, QWidget *parent)
    : QDialog(parent), m_context(context), m_user(user), m_view(new QTableView),
      m_all(new QCheckBox(tr("Show expired and revoked"))), m_status(new QLabel),
      m_revoke(new QPushButton(tr("&Revoke selected"))),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Close))
{
    const Clock &clock = context.services.clock;
    m_tokens = new ListTableModel<TokenRow>(
        TokenCells::headers(),
        [&clock](const TokenRow &row, int column, int role) {
            return TokenCells::cell(row, column, role, clock.nowMs());
        },
        this);
    setWindowTitle(tr("%1 — sessions, tokens and identities").arg(Format::userName(user)));
    buildUi();
    connectSignals();
    reload();
}

void UserDetailsDialog::buildUi()
{
    auto *tabs = m_tabs = new QTabWidget;
    tabs->addTab(sessionsTab(), tr("&Sessions && tokens"));
    tabs->addTab(identitiesTab(), tr("&Identities && wallets"));

    const User &user = m_user;
    auto *heading = new QLabel(u"<b>%1</b>%2%3"_s.arg(
        Format::userName(user).toHtmlEscaped(),
        user.displayName.isEmpty() || user.displayName == Format::userName(user)
            ? QString()
            : u" · "_s + user.displayName.toHtmlEscaped(),
        user.email.isEmpty() || user.username.isEmpty() ? QString()
                                                        : u" · "_s + user.email.toHtmlEscaped()));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(heading);
    layout->addWidget(tabs, 1);
    layout->addWidget(m_buttons);
    resize(900, 480);
}

void UserDetailsDialog::connectSignals()
{
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_all, &QCheckBox::toggled, this, &UserDetailsDialog::reload);
    connect(m_revoke, &QPushButton::clicked, this, &UserDetailsDialog::revokeSelected);
    connect(&m_context.live, &LiveFeed::tokensChanged, this, &UserDetailsDialog::reload);
}

QWidget *UserDetailsDialog::sessionsTab()
{
    m_view->setModel(m_tokens);
    Tables::setUp(m_view, true);
    m_view->setColumnHidden(TokenCells::User, true);
    m_view->horizontalHeader()->resizeSection(TokenCells::Kind, 150);
    m_view->horizontalHeader()->resizeSection(TokenCells::Label, 140);
    m_view->horizontalHeader()->resizeSection(TokenCells::Created, 145);
    m_view->horizontalHeader()->resizeSection(TokenCells::LastUsed, 95);
    m_view->horizontalHeader()->resizeSection(TokenCells::Expires, 95);
    m_view->horizontalHeader()->resizeSection(TokenCells::State, 80);

    auto *sessions = new QWidget;
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_all);
    bar->addStretch();
    bar->addWidget(m_revoke);
    auto *sessionsLayout = new QVBoxLayout(sessions);
    sessionsLayout->addLayout(bar);
    sessionsLayout->addWidget(m_view, 1);
    sessionsLayout->addWidget(m_status);
    return sessions;
}

QWidget *UserDetailsDialog::identitiesTab()
{
    using Row = std::pair<QString, QString>;
    auto cell = [](const Row &row, int column, int role) -> QVariant {
        if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
            return {};
        return column == 0 ? row.first : row.second;
    };
    auto *identities = m_identities =
        new ListTableModel<Row>({tr("Signs in with"), tr("Identity")}, cell, this);
    auto *wallets = m_wallets = new ListTableModel<Row>({tr("Wallet"), tr("Address")}, cell, this);
    QList<Row> rows;
    if (!m_user.username.isEmpty())
        rows.append({tr("Username (PIN, device sessions)"), m_user.username});
    if (!m_user.email.isEmpty())
        rows.append({tr("Email (password, approval links)"),
                     m_user.email + (m_user.emailVerified ? tr(" — verified") : QString())});
    if (!m_user.referrerId.isEmpty())
        rows.append({tr("Referred by"), m_user.referrerId});
    identities->setRows(rows);

    auto *tab = new QWidget;
    auto *layout = new QVBoxLayout(tab);
    for (auto *model : {identities, wallets}) {
        auto *view = new QTableView;
        view->setModel(model);
        Tables::setUp(view);
        view->horizontalHeader()->resizeSection(0, 300);
        layout->addWidget(view, 1);
    }
    // Wallet-surface identities (OAuth, Telegram, email/phone codes, external wallets)
    // and the embedded Solana and Ethereum wallets; private keys never leave the core.
    WalletDirectory &directory = m_context.services.walletAuth.directory();
    const QString userId = m_user.id;
    m_context.workers.run(
        this, [&directory, userId] { return directory.profile(userId); },
        [identities, wallets, rows](Result<std::optional<WalletProfile>> profile) {
            if (!profile || !profile->has_value())
                return;
            QList<Row> more = rows;
            for (const IdentityKey &id : (*profile)->identities)
                more.append(
                    {Format::identityKind(id.kind) +
                         (id.walletType.isEmpty() ? QString() : u" ("_s + id.walletType + u')'),
                     id.display.isEmpty() ? id.subject : id.display});
            identities->setRows(more);
            QList<Row> list;
            for (const WalletInfo &w : (*profile)->wallets)
                list.append({w.network + u" · "_s + w.walletType, w.address});
            wallets->setRows(list);
        });
    return tab;
}

void UserDetailsDialog::showIdentities()
{
    m_tabs->setCurrentIndex(1);
}

void UserDetailsDialog::reload()
{
    TokenFilter filter;
    filter.userId = m_user.id;
    filter.liveOnly = !m_all->isChecked();
    filter.limit = 1000;
    Services &s = m_context.services;
    const QString name = Format::userName(m_user);
    m_context.workers.run(
        this,
        [&s, filter, name] {
            QList<TokenRow> rows;
            for (const IssuedToken &t : s.tokens.list(filter))
                rows.append({t, name});
            return rows;
        },
        [this](Result<QList<TokenRow>> rows) {
            if (!rows) {
                m_status->setText(tr("Could not read tokens: %1").arg(rows.error()));
                return;
            }
            m_tokens->setRows(*rows);
            m_status->setText(rows->isEmpty()
                                  ? (m_all->isChecked() ? tr("No tokens on record.")
                                                        : tr("No live sessions or tokens."))
                                  : Format::items(rows->size(), tr("token"), tr("tokens")));
            Q_EMIT reloaded();
        });
}

void UserDetailsDialog::revokeSelected()
{
    QStringList ids;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
        if (const TokenRow *row = m_tokens->at(index.row()); row && row->token.revokedAt == 0)
            ids << row->token.id;
    if (ids.isEmpty())
        return;
    Services &s = m_context.services;
    const QString userId = m_user.id;
    m_context.workers.run(
        this,
        [&s, ids, userId] {
            int revoked = 0;
            for (const QString &id : ids) {
                const bool done = s.tokens.revoke(id);
                revoked += done ? 1 : 0;
                AdminAudit::record(s.audit, {.action = u"token.revoke"_s,
                                             .subject = id,
                                             .result = done ? u"ok"_s : u"error"_s,
                                             .detail = u"user "_s + userId});
            }
            return revoked;
        },
        [this](Result<int> r) {
            if (!r)
                PageUi::showError(this, tr("Revoke"), r.error());
            reload();
        });
}
