// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "identity/users.h"

#include <QTimer>
#include <QWidget>

struct ConsoleContext;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class UserActions;
class UserPanel;
class UserTableModel;

// Every user, a million as smoothly as ten: search by prefix, filter, and act on the
// selected one from the panel on the right (or the context menu, or the keyboard).
class UsersPage : public QWidget
{
    Q_OBJECT
public:
    explicit UsersPage(ConsoleContext &context, QWidget *parent = nullptr);

    UserTableModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QLineEdit *searchField() const { return m_search; }
    void focusSearch();
    UserPanel *panel() const { return m_panel; }
    // The selected user's second factors, in a dialog (userfactors.cpp).
    void showFactors();
    void askImport(); // "Import from another server…" (also in the main window's menu)

    // The actions, without dialogs (the buttons ask first, then call these).
    UserActions *actions() const { return m_actions; }

Q_SIGNALS:
    void actionDone(const QString &action, bool ok); // after UserActions::done and a refresh

private:
    void buildUi();
    void connectSignals();
    void addShortcuts();
    void applyQuery();
    void selectionChanged();
    std::optional<User> selectedUser() const;
    void showContextMenu(const QPoint &pos);
    void updateLockouts();
    // Dialog front-ends of the actions above.
    void askCreate();
    void askEdit();
    void askToggleDisabled();
    void askDelete();
    void askPassword();
    void askPin();
    void askSignOut();
    void showDetails();
    void showLockouts();
    void loadFactorSummary(const User &user); // userfactors.cpp

    ConsoleContext &m_context;
    UserTableModel *m_model;
    QTableView *m_view;
    QLineEdit *m_search;
    QComboBox *m_filter;
    QLabel *m_count;
    QPushButton *m_lockouts;
    UserPanel *m_panel;
    UserActions *m_actions;
    QPushButton *m_create;
    QPushButton *m_import;
    QTimer m_debounce;
    QString m_selectedId;
};
