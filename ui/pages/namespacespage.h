// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "identity/namespaces.h"
#include "identity/telegrambindings.h"
#include "models/listtablemodel.h"

#include <QWidget>

struct ConsoleContext;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

// Namespaces of the namespace surface: create, disable, copy the access token
// (CLI_API_TOKEN:<name>), sign everyone out, and the Telegram users bound to each.
class NamespacesPage : public QWidget
{
    Q_OBJECT
public:
    explicit NamespacesPage(ConsoleContext &context, QWidget *parent = nullptr);

    ListTableModel<Namespace> *model() const { return m_model; }
    ListTableModel<TelegramBinding> *bindings() const { return m_bindings; }
    QLineEdit *tokenField() const { return m_token; }
    QTableView *view() const { return m_view; }
    bool select(const QString &name);
    QString selectedName() const;

    // The actions (the buttons call these); each is recorded in the audit log.
    void createNamespace(const QString &name);
    void setDisabled(const QString &name, bool disabled);
    void signOutEverywhere(const QString &name);
    void copyToken(const QString &name);
    void unbind(const QString &telegramUserId);
    void reload();

Q_SIGNALS:
    void reloaded();
    void bindingsReloaded();
    void actionDone(const QString &action, bool ok);

private:
    void buildUi();
    QWidget *listPane();
    QWidget *detailPane();
    QWidget *bindingPane();
    void connectSignals();
    void selectionChanged();
    void reloadBindings();
    void act(const QString &action, const QString &subject, std::function<bool()> work);

    ConsoleContext &m_context;
    ListTableModel<Namespace> *m_model;
    ListTableModel<TelegramBinding> *m_bindings;
    QTableView *m_view;
    QTableView *m_bindingView;
    QLineEdit *m_newName;
    QLabel *m_heading;
    QLabel *m_state;
    QLineEdit *m_token;
    QPushButton *m_show;
    QPushButton *m_copy;
    QPushButton *m_toggle;
    QPushButton *m_signOut;
    QPushButton *m_unbind;
    QLabel *m_bindingsTitle;
    QPushButton *m_create;
    QString m_pendingSelection;
};
