// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "transfer/origins/origin.h"

#include <QWidget>

class QLabel;
class QListWidget;
class QTableWidget;

// What an origin import does or did: per kind of thing, how many are created, updated
// and already the same here; the API tokens; and what stays behind.
class ImportSummary : public QWidget
{
    Q_OBJECT
public:
    enum Row { Users, Identities, Wallets, PinRoles, Namespaces, TelegramBindings, ApiTokens };
    enum Column { Created, Updated, Unchanged };

    explicit ImportSummary(bool finished, QWidget *parent = nullptr); // finished: after the import

    void setResult(const Origins::Read &read, const Origins::Outcome &outcome);

    QTableWidget *table() const { return m_table; }
    QLabel *headline() const { return m_headline; }
    QListWidget *notCarried() const { return m_notCarried; }
    int count(Row row, Column column) const; // -1 where the cell has no number

private:
    QLabel *m_headline;
    QTableWidget *m_table;
    QLabel *m_notCarriedTitle;
    QListWidget *m_notCarried;
};
