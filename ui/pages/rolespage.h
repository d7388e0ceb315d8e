// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "identity/pinroles.h"
#include "models/listtablemodel.h"

#include <QWidget>

struct ConsoleContext;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QTableView;

// The PIN surface's roles: which permissions each grants (what POST /auth/login answers
// as `perms`), how many users hold it; add, remove, and edit a role's permissions.
class RolesPage : public QWidget
{
    Q_OBJECT
public:
    explicit RolesPage(ConsoleContext &context, QWidget *parent = nullptr);

    ListTableModel<PinRole> *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QListWidget *permissionList() const { return m_permissions; }
    QLineEdit *nameField() const { return m_name; }

    void reload();
    void addRole(const QString &name);
    void removeRole(const QString &name);
    // Saves the ticked permissions of the selected role.
    void saveSelected();

Q_SIGNALS:
    void reloaded();
    void actionDone(const QString &action, bool ok);

private:
    void buildUi();
    void connectSignals();
    void selectionChanged();
    void finish(const QString &action, const Result<PinRole> &result);

    ConsoleContext &m_context;
    ListTableModel<PinRole> *m_model;
    QTableView *m_view;
    QListWidget *m_permissions;
    QLineEdit *m_name;
    QPushButton *m_add;
    QPushButton *m_remove;
    QPushButton *m_save;
    QLabel *m_status;
    QList<PinPermission> m_catalog;
};
