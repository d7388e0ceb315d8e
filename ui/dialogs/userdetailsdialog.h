// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "identity/users.h"
#include "models/listtablemodel.h"
#include "models/tokencells.h"

#include <QDialog>

struct ConsoleContext;
class QCheckBox;
class QDialogButtonBox;
class QPushButton;
class QLabel;
class QTableView;

// One user's sessions and tokens (revocable), and the identities they sign in with.
class UserDetailsDialog : public QDialog
{
    Q_OBJECT
public:
    UserDetailsDialog(ConsoleContext &context, const User &user, QWidget *parent = nullptr);

    using Pair = std::pair<QString, QString>;
    ListTableModel<TokenRow> *tokens() const { return m_tokens; }
    ListTableModel<Pair> *identities() const { return m_identities; }
    ListTableModel<Pair> *wallets() const { return m_wallets; }
    QTableView *tokenView() const { return m_view; }
    void showIdentities(); // the second tab
    void reload();
    void revokeSelected();

Q_SIGNALS:
    void reloaded();

private:
    void buildUi();
    void connectSignals();
    QWidget *sessionsTab();
    QWidget *identitiesTab();

    ConsoleContext &m_context;
    User m_user;
    ListTableModel<TokenRow> *m_tokens;
    ListTableModel<Pair> *m_identities = nullptr;
    ListTableModel<Pair> *m_wallets = nullptr;
    class QTabWidget *m_tabs = nullptr;
    QTableView *m_view;
    QCheckBox *m_all;
    QLabel *m_status;
    QPushButton *m_revoke;
    QDialogButtonBox *m_buttons;
};
