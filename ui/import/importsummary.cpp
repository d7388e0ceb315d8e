// SPDX-License-Identifier: GPL-3.0-or-later
#include "import/importsummary.h"

#include "format.h"

#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {
QTableWidgetItem *cell(int value)
{
    auto *item = new QTableWidgetItem(value < 0 ? u"—"_s : Format::count(value));
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    item->setData(Qt::UserRole, value);
    if (value == 0)
        item->setForeground(QPalette().brush(QPalette::Disabled, QPalette::Text));
    return item;
}

int withHash(const QList<Transfer::User> &users, bool pin)
{
    int n = 0;
    for (const Transfer::User &u : users)
        n += pin ? !u.pinHash.isEmpty() : !u.passwordHash.isEmpty();
    return n;
}
} // namespace

ImportSummary::ImportSummary(bool finished, QWidget *parent)
    : QWidget(parent), m_headline(new QLabel), m_table(new QTableWidget(7, 3)),
      m_notCarriedTitle(new QLabel(finished ? tr("<b>Did not carry over</b>")
                                            : tr("<b>Will not carry over</b>"))),
      m_notCarried(new QListWidget)
{
    m_headline->setWordWrap(true);
    m_table->setHorizontalHeaderLabels({tr("Created"), tr("Updated"), tr("Unchanged")});
    m_table->setVerticalHeaderLabels({tr("Users"), tr("Identities"), tr("Wallets"), tr("PIN roles"),
                                      tr("Namespaces"), tr("Telegram bindings"), tr("API tokens")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->setFocusPolicy(Qt::NoFocus);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->setAccessibleName(tr("Counts per kind"));
    m_table->setMinimumHeight(m_table->horizontalHeader()->sizeHint().height() +
                              7 * m_table->verticalHeader()->defaultSectionSize() + 4);
    m_notCarried->setWordWrap(true);
    m_notCarried->setAccessibleName(tr("What will not carry over"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_headline);
    layout->addWidget(m_table);
    layout->addWidget(m_notCarriedTitle);
    layout->addWidget(m_notCarried, 1);
}

void ImportSummary::setResult(const Origins::Read &read, const Origins::Outcome &outcome)
{
    const Transfer::ImportReport &r = outcome.report;
    const Transfer::Counts *rows[] = {&r.users,    &r.identities, &r.wallets,
                                      &r.pinRoles, &r.namespaces, &r.telegramBindings};
    for (int row = 0; row < ApiTokens; ++row) {
        m_table->setItem(row, Created, cell(rows[row]->created));
        m_table->setItem(row, Updated, cell(rows[row]->updated));
        m_table->setItem(row, Unchanged, cell(rows[row]->skipped));
    }
    m_table->setItem(ApiTokens, Created, cell(outcome.apiTokensCreated));
    m_table->setItem(ApiTokens, Updated, cell(-1)); // a token is kept or added, never changed
    m_table->setItem(ApiTokens, Unchanged, cell(outcome.apiTokensSkipped));

    const QList<Transfer::User> &users = read.document.users;
    m_headline->setText(tr("Read: %1 users (%2 with a password hash, %3 with a PIN hash) and %4 "
                           "API tokens. Hashes are kept as they are and checked at each user's "
                           "next sign-in.")
                            .arg(Format::count(users.size()), Format::count(withHash(users, false)),
                                 Format::count(withHash(users, true)),
                                 Format::count(read.apiTokens.size())));

    QStringList lines = outcome.notCarried;
    lines += read.notCarried;
    lines.removeDuplicates();
    m_notCarried->clear();
    m_notCarried->addItems(
        lines.isEmpty() ? QStringList{tr("Nothing: everything read comes along.")} : lines);
}

int ImportSummary::count(Row row, Column column) const
{
    const QTableWidgetItem *item = m_table->item(row, column);
    return item ? item->data(Qt::UserRole).toInt() : -1;
}
