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

    // The actions, without dialogs (the buttons ask first, then call these). Each
    // runs on a worker, records itself in the audit log and emits actionDone.
    void createUser(const User &draft, const QString &password);
    void updateUser(const User &before, const User &after);
    void setDisabled(const User &user, bool disabled);
    void deleteUser(const User &user);
    void setPassword(const User &user, const QString &password);
    void setPin(const User &user, const QString &pin);
    void signOutEverywhere(const User &user);

Q_SIGNALS:
    void actionDone(const QString &action, bool ok);

private:
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
    void finish(const QString &action, const Result<bool> &result, const QString &what);

    ConsoleContext &m_context;
    UserTableModel *m_model;
    QTableView *m_view;
    QLineEdit *m_search;
    QComboBox *m_filter;
    QLabel *m_count;
    QPushButton *m_lockouts;
    UserPanel *m_panel;
    QTimer m_debounce;
    QString m_selectedId;
};
