// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/clientspage.h"

#include "adminaudit.h"
#include "consolecontext.h"
#include "dialogs/clientdialog.h"
#include "dialogs/clientsecretdialog.h"
#include "format.h"
#include "services.h"
#include "widgets/tables.h"
#include "workers.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

QVariant clientCell(const OidcClient &c, int column, int role)
{
    if (role == Qt::ToolTipRole && column == 4)
        return c.redirectUris.join(u'\n');
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case 0:
        return c.name;
    case 1:
        return c.id;
    case 2:
        return c.isPublic ? QObject::tr("public") : QObject::tr("confidential");
    case 3:
        return c.firstParty ? QObject::tr("yes") : QObject::tr("no");
    case 4:
        return c.redirectUris.join(u"  "_s);
    case 5:
        return Format::shortDateTime(c.createdAt);
    }
    return {};
}

// What a worker hands back after a change: the client and, when one was made, its secret.
struct Change
{
    OidcClient client;
    QString secret;
};

void record(AuditLog &audit, const QString &action, const OidcClient &c)
{
    AdminAudit::record(audit, {.action = action, .subject = u"client:"_s + c.id, .detail = c.name});
}

QString issuer(QString publicUrl)
{
    while (publicUrl.endsWith(u'/'))
        publicUrl.chop(1);
    return publicUrl;
}

} // namespace

ClientsPage::ClientsPage(ConsoleContext &context, QWidget *parent)
    : QWidget(parent), m_context(context),
      m_model(
          new ListTableModel<OidcClient>({tr("Name"), tr("Client ID"), tr("Type"),
                                          tr("First-party"), tr("Redirect URIs"), tr("Created")},
                                         clientCell, this)),
      m_view(new QTableView), m_new(new QPushButton(tr("&New client…"))),
      m_edit(new QPushButton(tr("&Edit…"))), m_rotate(new QPushButton(tr("Rotate &secret…"))),
      m_remove(new QPushButton(tr("&Remove…"))), m_status(new QLabel)
{
    buildUi();
    connectSignals();
    selectionChanged();
    reload();
}

void ClientsPage::buildUi()
{
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_new);
    bar->addWidget(m_edit);
    bar->addWidget(m_rotate);
    bar->addStretch();
    bar->addWidget(m_remove);
    m_view->setModel(m_model);
    m_view->setAccessibleName(tr("OpenID Connect clients"));
    Tables::setUp(m_view);
    m_view->horizontalHeader()->resizeSection(0, 160);
    m_view->horizontalHeader()->resizeSection(1, 230);
    m_view->horizontalHeader()->resizeSection(2, 100);
    m_view->horizontalHeader()->resizeSection(3, 90);
    m_view->horizontalHeader()->resizeSection(4, 330);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(PageUi::title(tr("Clients")));
    layout->addWidget(PageUi::hint(
        tr("Apps that sign people in with Gatehouse over OpenID Connect (Grafana, Gitea, your "
           "own). Point them at %1/.well-known/openid-configuration with a client ID and, for a "
           "confidential client, its secret.")
            .arg(issuer(m_context.services.settings.publicUrl))));
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_status);
}

void ClientsPage::connectSignals()
{
    connect(m_new, &QPushButton::clicked, this, &ClientsPage::openCreateDialog);
    connect(m_edit, &QPushButton::clicked, this, &ClientsPage::openEditDialog);
    connect(m_view, &QTableView::doubleClicked, this, &ClientsPage::openEditDialog);
    connect(m_rotate, &QPushButton::clicked, this, &ClientsPage::confirmRotate);
    connect(m_remove, &QPushButton::clicked, this, &ClientsPage::confirmRemove);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ClientsPage::selectionChanged);
}

ClientDialog *ClientsPage::openDialog() const
{
    return m_dialog;
}

ClientSecretDialog *ClientsPage::secretDialog() const
{
    return m_secretDialog;
}

void ClientsPage::reload()
{
    OidcClients &clients = m_context.services.oidc.clients;
    m_context.workers.run(
        this, [&clients] { return clients.list(); },
        [this](Result<QList<OidcClient>> list) {
            if (!list) {
                m_status->setText(tr("Could not read the clients: %1").arg(list.error()));
                return;
            }
            const OidcClient *current = selected();
            const QString keep =
                m_pendingSelection.isEmpty() && current ? current->id : m_pendingSelection;
            m_pendingSelection.clear();
            m_model->setRows(*list);
            select(keep);
            selectionChanged();
            m_status->setText(Format::items(list->size(), tr("client"), tr("clients")));
            Q_EMIT reloaded();
        });
}

void ClientsPage::select(const QString &clientId)
{
    for (int r = 0; r < m_model->rowCount(); ++r)
        if (m_model->at(r)->id == clientId)
            m_view->selectRow(r);
}

const OidcClient *ClientsPage::selected() const
{
    return m_model->at(Tables::currentRow(m_view));
}

void ClientsPage::selectionChanged()
{
    const OidcClient *c = selected();
    m_edit->setEnabled(c);
    m_rotate->setEnabled(c && !c->isPublic);
    m_remove->setEnabled(c);
}

ClientDialog *ClientsPage::openCreateDialog()
{
    return openDialog(std::nullopt);
}

ClientDialog *ClientsPage::openEditDialog()
{
    const OidcClient *c = selected();
    return c ? openDialog(*c) : nullptr;
}

ClientDialog *ClientsPage::openDialog(const std::optional<OidcClient> &existing)
{
    if (m_dialog)
        m_dialog->close();
    m_dialog = new ClientDialog(existing, this);
    m_dialog->setAttribute(Qt::WA_DeleteOnClose);
    const bool creating = !existing;
    connect(m_dialog, &ClientDialog::submitted, this,
            [this, creating](const OidcClient &c) { save(c, creating); });
    m_dialog->open();
    return m_dialog;
}

// Saved on a worker; a refusal (a bad URI, a missing scope) shows in the dialog, which
// stays open so nothing typed is lost.
void ClientsPage::save(const OidcClient &client, bool creating)
{
    if (m_dialog)
        m_dialog->setBusy(true);
    OidcClients &clients = m_context.services.oidc.clients;
    AuditLog &audit = m_context.services.audit;
    m_context.workers.run(
        this,
        [&clients, &audit, client, creating] {
            Change change;
            if (creating) {
                auto created = clients.add(client);
                if (!created)
                    throw created.refusal();
                change = {created->client, QString::fromLatin1(created->secret)};
            } else {
                auto updated = clients.update(client);
                if (!updated)
                    throw updated.refusal();
                change.client = *updated;
            }
            record(audit, creating ? u"oidc.client.add"_s : u"oidc.client.update"_s, change.client);
            return change;
        },
        [this, creating](Result<Change> r) {
            const QString action = creating ? u"oidc.client.add"_s : u"oidc.client.update"_s;
            if (!r) {
                if (m_dialog)
                    m_dialog->showError(r.error());
                else
                    PageUi::showError(this, tr("Clients"), r.error());
                Q_EMIT actionDone(action, false);
                return;
            }
            if (m_dialog)
                m_dialog->accept();
            if (!r->secret.isEmpty())
                showSecret(r->client, r->secret);
            finish(action, true, r->client.id);
        });
}

void ClientsPage::confirmRotate()
{
    const OidcClient *c = selected();
    if (!c || c->isPublic)
        return;
    auto *box = new QMessageBox(
        QMessageBox::Question, tr("Rotate secret"),
        tr("Make a new secret for %1? The current secret stops working at once: the app "
           "cannot sign anyone in until it has the new one.")
            .arg(c->name),
        QMessageBox::Cancel, this);
    box->addButton(tr("Rotate secret"), QMessageBox::AcceptRole);
    box->setAttribute(Qt::WA_DeleteOnClose);
    const OidcClient client = *c;
    connect(box, &QMessageBox::accepted, this, [this, client] { rotate(client); });
    box->open();
}

void ClientsPage::confirmRemove()
{
    const OidcClient *c = selected();
    if (!c)
        return;
    auto *box = new QMessageBox(
        QMessageBox::Warning, tr("Remove client"),
        tr("Remove %1 (%2)? Its sign-ins in progress, authorization codes and every access "
           "and refresh token issued to it go with it; the app can no longer sign anyone in.")
            .arg(c->name, c->id),
        QMessageBox::Cancel, this);
    box->addButton(tr("Remove client"), QMessageBox::DestructiveRole);
    box->setAttribute(Qt::WA_DeleteOnClose);
    const OidcClient client = *c;
    connect(box, &QMessageBox::buttonClicked, this, [this, box, client](QAbstractButton *b) {
        if (box->buttonRole(b) == QMessageBox::DestructiveRole)
            remove(client);
    });
    box->open();
}

void ClientsPage::rotate(const OidcClient &client)
{
    OidcClients &clients = m_context.services.oidc.clients;
    AuditLog &audit = m_context.services.audit;
    m_context.workers.run(
        this,
        [&clients, &audit, client] {
            const auto secret = clients.rotateSecret(client.id);
            if (!secret)
                throw Refusal(Refusal::Kind::NotFound,
                              QObject::tr("%1 has no secret to rotate").arg(client.name));
            record(audit, u"oidc.client.rotate"_s, client);
            return QString::fromLatin1(*secret);
        },
        [this, client](Result<QString> secret) {
            if (!secret)
                PageUi::showError(this, tr("Rotate secret"), secret.error());
            else
                showSecret(client, *secret);
            finish(u"oidc.client.rotate"_s, secret.ok(), client.id);
        });
}

void ClientsPage::remove(const OidcClient &client)
{
    OidcClients &clients = m_context.services.oidc.clients;
    AuditLog &audit = m_context.services.audit;
    m_context.workers.run(
        this,
        [&clients, &audit, client] {
            if (!clients.remove(client.id))
                throw Refusal(Refusal::Kind::NotFound,
                              QObject::tr("%1 was already removed").arg(client.name));
            record(audit, u"oidc.client.remove"_s, client);
            return true;
        },
        [this](Result<bool> r) {
            if (!r)
                PageUi::showError(this, tr("Remove client"), r.error());
            finish(u"oidc.client.remove"_s, r.ok());
        });
}

void ClientsPage::showSecret(const OidcClient &client, const QString &secret)
{
    if (m_secretDialog)
        m_secretDialog->close();
    m_secretDialog = new ClientSecretDialog(client.id, client.name, secret, this);
    m_secretDialog->open();
}

void ClientsPage::finish(const QString &action, bool ok, const QString &select)
{
    m_pendingSelection = select;
    reload();
    Q_EMIT actionDone(action, ok);
}
