// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/tokenspage.h"

#include "adminaudit.h"
#include "consolecontext.h"
#include "format.h"
#include "livefeed.h"
#include "services.h"
#include "widgets/tables.h"
#include "workers.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {
constexpr int kPageSize = 200;
}

TokensPage::TokensPage(ConsoleContext &context, QWidget *parent)
    : QWidget(parent), m_context(context), m_view(new QTableView), m_user(new QLineEdit),
      m_kind(new QComboBox), m_all(new QCheckBox(tr("Show expired and revoked"))),
      m_status(new QLabel), m_revoke(new QPushButton(tr("&Revoke selected"))),
      m_revokeUser(new QPushButton(tr("Revoke &all of this user")))
{
    const Clock &clock = context.services.clock;
    m_model = new ListTableModel<TokenRow>(
        TokenCells::headers(),
        [&clock](const TokenRow &row, int column, int role) {
            return TokenCells::cell(row, column, role, clock.nowMs());
        },
        this);
    m_model->onFetchMore = [this] { fetch(m_model->rowCount()); };
    buildUi();
    connectSignals();
    updateButtons();
    reload();
}

void TokensPage::buildUi()
{
    m_user->setPlaceholderText(tr("User: username, email or id"));
    m_user->setClearButtonEnabled(true);
    m_user->setAccessibleName(tr("Filter by user"));
    m_kind->addItem(tr("Every kind"), QString());
    for (const QString &kind : TokenCells::kinds())
        m_kind->addItem(TokenCells::kindName(kind), kind);
    m_kind->setAccessibleName(tr("Filter by kind"));
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_user, 1);
    bar->addWidget(m_kind);
    bar->addWidget(m_all);
    bar->addWidget(m_revokeUser);
    bar->addWidget(m_revoke);

    m_view->setModel(m_model);
    Tables::setUp(m_view, true);
    const int widths[] = {135, 150, 140, 125, 95, 90, 90};
    for (int c = 0; c < TokenCells::Id; ++c)
        m_view->horizontalHeader()->resizeSection(c, widths[c]);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(PageUi::title(tr("Tokens & sessions")));
    layout->addWidget(PageUi::hint(
        tr("Every refresh token, device session, API token and wallet session in force. Revoking "
           "one ends it at once; short-lived access JWTs die within their minute.")));
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_status);
}

void TokensPage::connectSignals()
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(250);
    connect(&m_debounce, &QTimer::timeout, this, &TokensPage::reload);
    connect(m_user, &QLineEdit::textChanged, this, [this] { m_debounce.start(); });
    connect(m_user, &QLineEdit::returnPressed, this, &TokensPage::reload);
    connect(m_kind, &QComboBox::currentIndexChanged, this, &TokensPage::reload);
    connect(m_all, &QCheckBox::toggled, this, &TokensPage::reload);
    connect(m_revoke, &QPushButton::clicked, this, &TokensPage::revokeSelected);
    connect(m_revokeUser, &QPushButton::clicked, this, &TokensPage::revokeUser);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &TokensPage::updateButtons);
    connect(&m_context.live, &LiveFeed::tokensChanged, this, &TokensPage::reload);
    // Live tokens expire as time passes; redraw "in 5 min" and drop the dead ones.
    auto *tick = new QTimer(this);
    tick->start(30'000);
    connect(tick, &QTimer::timeout, this, &TokensPage::reload);
}

void TokensPage::revokeUser()
{
    if (m_userId.isEmpty())
        return;
    if (QMessageBox::question(this, tr("Revoke all"),
                              tr("Revoke every token of %1?").arg(m_user->text()),
                              QMessageBox::Yes | QMessageBox::Cancel) != QMessageBox::Yes)
        return;
    Services &s = m_context.services;
    const QString userId = m_userId;
    m_context.workers.run(
        this,
        [&s, userId] {
            const int n = s.tokens.revokeAllForUser(userId);
            AdminAudit::record(s.audit, {.action = u"token.revoke-all"_s,
                                         .subject = userId,
                                         .result = u"ok"_s,
                                         .detail = u"%1 token(s)"_s.arg(n)});
            return n;
        },
        [this](Result<int> r) {
            if (!r)
                PageUi::showError(this, tr("Revoke all"), r.error());
            reload();
            Q_EMIT actionDone(u"token.revoke-all"_s, bool(r));
        });
}

void TokensPage::reload()
{
    m_debounce.stop();
    fetch(0);
}

void TokensPage::fetch(int offset)
{
    const quint64 generation = offset == 0 ? ++m_generation : m_generation;
    const QString who = m_user->text().trimmed();
    TokenFilter filter;
    filter.kind = m_kind->currentData().toString();
    filter.liveOnly = !m_all->isChecked();
    filter.offset = offset;
    // Reloading keeps what was scrolled into view (up to a few pages).
    filter.limit = offset == 0 ? qBound(kPageSize, m_model->rowCount(), 5 * kPageSize) : kPageSize;
    Services &s = m_context.services;
    m_context.workers.run(
        this,
        [&s, filter, who]() mutable {
            Page page;
            if (!who.isEmpty()) {
                auto user = s.users.byId(who);
                if (!user)
                    user = s.users.byLogin(who);
                if (!user) {
                    page.userFound = false;
                    return page;
                }
                filter.userId = page.userId = user->id;
            }
            page.total = s.tokens.count(filter);
            QHash<QString, QString> names;
            for (const IssuedToken &t : s.tokens.list(filter)) {
                if (!names.contains(t.userId)) {
                    const auto u = s.users.byId(t.userId);
                    names.insert(t.userId, u ? Format::userName(*u) : QString());
                }
                page.rows.append({t, names.value(t.userId)});
            }
            return page;
        },
        [this, generation, offset](Result<Page> page) {
            if (generation != m_generation)
                return;
            if (!page) {
                m_status->setText(tr("Could not read tokens: %1").arg(page.error()));
                m_model->setMoreAvailable(false);
                return;
            }
            m_userId = page->userId;
            if (!page->userFound) {
                m_model->setRows({});
                m_model->setMoreAvailable(false);
                m_status->setText(tr("No user matches “%1”.").arg(m_user->text().trimmed()));
                updateButtons();
                Q_EMIT reloaded();
                return;
            }
            if (offset == 0) {
                // Keep the selection across a reload.
                QStringList selected;
                for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
                    if (const TokenRow *row = m_model->at(index.row()))
                        selected << row->token.id;
                m_model->setRows(page->rows);
                for (int r = 0; r < m_model->rowCount(); ++r)
                    if (selected.contains(m_model->at(r)->token.id))
                        m_view->selectionModel()->select(m_model->index(r, 0),
                                                         QItemSelectionModel::Select |
                                                             QItemSelectionModel::Rows);
            } else {
                m_model->appendRows(page->rows);
            }
            m_model->setMoreAvailable(m_model->rowCount() < page->total);
            m_status->setText(
                m_model->rowCount() == page->total
                    ? Format::items(page->total, tr("token"), tr("tokens"))
                    : tr("%1 of %2 tokens shown; scroll down for more")
                          .arg(Format::count(m_model->rowCount()), Format::count(page->total)));
            updateButtons();
            Q_EMIT reloaded();
        });
}

void TokensPage::updateButtons()
{
    m_revoke->setEnabled(m_view->selectionModel()->hasSelection());
    m_revokeUser->setEnabled(!m_userId.isEmpty());
}

void TokensPage::revokeSelected()
{
    QStringList ids;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
        if (const TokenRow *row = m_model->at(index.row()); row && row->token.revokedAt == 0)
            ids << row->token.id;
    if (ids.size() > 1 &&
        QMessageBox::question(this, tr("Revoke"), tr("Revoke %1 tokens?").arg(ids.size()),
                              QMessageBox::Yes | QMessageBox::Cancel) != QMessageBox::Yes)
        return;
    revoke(ids);
}

void TokensPage::revoke(const QStringList &ids)
{
    if (ids.isEmpty())
        return;
    Services &s = m_context.services;
    m_context.workers.run(
        this,
        [&s, ids] {
            int revoked = 0;
            for (const QString &id : ids) {
                const auto token = s.tokens.byId(id);
                const bool done = s.tokens.revoke(id);
                revoked += done ? 1 : 0;
                AdminAudit::record(
                    s.audit,
                    {.action = u"token.revoke"_s,
                     .subject = id,
                     .result = done ? u"ok"_s : u"error"_s,
                     .detail = token ? token->kind + u" of user "_s + token->userId : QString()});
            }
            return revoked;
        },
        [this](Result<int> r) {
            if (!r)
                PageUi::showError(this, tr("Revoke"), r.error());
            reload();
            Q_EMIT actionDone(u"token.revoke"_s, r && *r > 0);
        });
}
