// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/listtablemodel.h"
#include "oidc/oidcclients.h"

#include <QPointer>
#include <QWidget>

struct ConsoleContext;
class ClientDialog;
class ClientSecretDialog;
class QLabel;
class QPushButton;
class QTableView;

// The OpenID Connect clients: the apps that sign people in with Gatehouse. Create and
// edit them (a dialog), rotate a confidential client's secret, remove one with its
// codes and tokens. A secret is shown once, in a dialog, when it is made.
class ClientsPage : public QWidget
{
    Q_OBJECT
public:
    explicit ClientsPage(ConsoleContext &context, QWidget *parent = nullptr);

    ListTableModel<OidcClient> *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QPushButton *newButton() const { return m_new; }
    QPushButton *editButton() const { return m_edit; }
    QPushButton *rotateButton() const { return m_rotate; }
    QPushButton *removeButton() const { return m_remove; }
    // The dialog open now (create or edit), and the last secret shown, while open.
    ClientDialog *openDialog() const;
    ClientSecretDialog *secretDialog() const;

    void reload();
    void select(const QString &clientId);
    const OidcClient *selected() const;
    ClientDialog *openCreateDialog();
    ClientDialog *openEditDialog();
    // Ask first (a window-modal question), then act on the selected client.
    void confirmRotate();
    void confirmRemove();

Q_SIGNALS:
    void reloaded();
    void actionDone(const QString &action, bool ok);

private:
    void buildUi();
    void connectSignals();
    void selectionChanged();
    ClientDialog *openDialog(const std::optional<OidcClient> &existing);
    void save(const OidcClient &client, bool creating);
    void rotate(const OidcClient &client);
    void remove(const OidcClient &client);
    void showSecret(const OidcClient &client, const QString &secret);
    void finish(const QString &action, bool ok, const QString &select = QString());

    ConsoleContext &m_context;
    ListTableModel<OidcClient> *m_model;
    QTableView *m_view;
    QPushButton *m_new;
    QPushButton *m_edit;
    QPushButton *m_rotate;
    QPushButton *m_remove;
    QLabel *m_status;
    QPointer<ClientDialog> m_dialog;
    QPointer<ClientSecretDialog> m_secretDialog;
    QString m_pendingSelection;
};
