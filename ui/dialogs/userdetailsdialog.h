// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "identity/users.h"
#include "models/listtablemodel.h"
#include "models/tokencells.h"

#include <QDialog>

struct ConsoleContext;
class QCheckBox;
class QLabel;
class QTableView;

// One user's sessions and tokens (revocable), and the identities they sign in with.
class UserDetailsDialog : public QDialog
{
    Q_OBJECT
public:
    UserDetailsDialog(ConsoleContext &context, const User &user, QWidget *parent = nullptr);

    ListTableModel<TokenRow> *tokens() const { return m_tokens; }
    void reload();
    void revokeSelected();

Q_SIGNALS:
    void reloaded();

private:
    QWidget *identitiesTab();

    ConsoleContext &m_context;
    User m_user;
    ListTableModel<TokenRow> *m_tokens;
    QTableView *m_view;
    QCheckBox *m_all;
    QLabel *m_status;
};
