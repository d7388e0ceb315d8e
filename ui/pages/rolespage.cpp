// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/rolespage.h"

#include "consolecontext.h"
#include "format.h"
#include "services.h"
#include "widgets/tables.h"
#include "workers.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

QVariant roleCell(const PinRole &role, int column, int displayRole)
{
    if (displayRole == Qt::ForegroundRole && role.permissions.isEmpty())
        return QBrush(QColor(0xb3, 0x26, 0x1e));
    if (displayRole != Qt::DisplayRole)
        return {};
    switch (column) {
    case 0:
        return role.name;
    case 1:
        return role.holders;
    case 2:
        return role.permissions.isEmpty() ? QObject::tr("none: its users cannot log in")
                                          : QString::number(role.permissions.size());
    }
    return {};
}

struct Snapshot
{
    QList<PinRole> roles;
    QList<PinPermission> catalog;
};

} // namespace

RolesPage::RolesPage(ConsoleContext &context, QWidget *parent)
    : QWidget(parent), m_context(context),
      m_model(new ListTableModel<PinRole>({tr("Role"), tr("Users"), tr("Permissions")}, roleCell,
                                          this)),
      m_view(new QTableView), m_permissions(new QListWidget), m_name(new QLineEdit),
      m_add(new QPushButton(tr("&Add role"))), m_remove(new QPushButton(tr("&Remove role"))),
      m_save(new QPushButton(tr("&Save permissions"))), m_status(new QLabel)
{
    buildUi();
    connectSignals();
    selectionChanged();
    reload();
}

void RolesPage::buildUi()
{
    m_name->setPlaceholderText(tr("New role name, e.g. waiter"));
    m_name->setAccessibleName(tr("New role name"));
    m_name->setMaxLength(32);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_name);
    bar->addWidget(m_add);
    bar->addStretch();
    bar->addWidget(m_remove);

    m_view->setModel(m_model);
    Tables::setUp(m_view);
    m_view->horizontalHeader()->resizeSection(0, 180);
    m_permissions->setAccessibleName(tr("Permissions of the selected role"));

    auto *right = new QWidget;
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_permissions, 1);
    rightLayout->addWidget(m_save);
    auto *split = new QSplitter;
    split->addWidget(m_view);
    split->addWidget(right);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(PageUi::title(tr("PIN roles")));
    layout->addWidget(PageUi::hint(
        tr("A PIN login answers its role's permissions; the till shows only what they allow. "
           "A role with none signs no one in. Give a user a role with "
           "\"gatehouse user set-pin NAME --role ROLE\".")));
    layout->addLayout(bar);
    layout->addWidget(split, 1);
    layout->addWidget(m_status);
}

void RolesPage::connectSignals()
{
    connect(m_add, &QPushButton::clicked, this, [this] { addRole(m_name->text()); });
    connect(m_name, &QLineEdit::returnPressed, m_add, &QPushButton::click);
    connect(m_remove, &QPushButton::clicked, this, [this] {
        const PinRole *role = m_model->at(Tables::currentRow(m_view));
        if (role &&
            QMessageBox::question(this, tr("Remove role"),
                                  tr("Remove the role %1?").arg(role->name)) == QMessageBox::Yes)
            removeRole(role->name);
    });
    connect(m_save, &QPushButton::clicked, this, &RolesPage::saveSelected);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &RolesPage::selectionChanged);
}

void RolesPage::reload()
{
    PinRoles &roles = m_context.services.pinRoles;
    m_context.workers.run(
        this,
        [&roles] {
            return Snapshot{roles.list(), roles.catalog()};
        },
        [this](Result<Snapshot> snapshot) {
            if (!snapshot) {
                m_status->setText(tr("Could not read the roles: %1").arg(snapshot.error()));
                return;
            }
            const PinRole *current = m_model->at(Tables::currentRow(m_view));
            const QString keep = current ? current->name : QString();
            m_catalog = snapshot->catalog;
            m_model->setRows(snapshot->roles);
            for (int r = 0; r < m_model->rowCount(); ++r)
                if (m_model->at(r)->name == keep)
                    m_view->selectRow(r);
            selectionChanged();
            m_status->setText(Format::items(snapshot->roles.size(), tr("role"), tr("roles")));
            Q_EMIT reloaded();
        });
}

void RolesPage::selectionChanged()
{
    const PinRole *role = m_model->at(Tables::currentRow(m_view));
    m_remove->setEnabled(role);
    m_save->setEnabled(role);
    m_permissions->clear();
    if (!role)
        return;
    QStringList granted;
    for (const PinPermission &p : role->permissions)
        granted << p.name;
    for (const PinPermission &p : m_catalog) {
        auto *item = new QListWidgetItem(p.name, m_permissions);
        item->setToolTip(p.description);
        item->setData(Qt::UserRole, p.name);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(granted.contains(p.name) ? Qt::Checked : Qt::Unchecked);
    }
}

void RolesPage::finish(const QString &action, const Result<PinRole> &result)
{
    if (!result)
        PageUi::showError(this, tr("PIN roles"), result.error());
    reload();
    Q_EMIT actionDone(action, result.ok());
}

// A new role starts with no permissions: tick them, then save.
void RolesPage::addRole(const QString &name)
{
    PinRoles &roles = m_context.services.pinRoles;
    m_context.workers.run(
        this,
        [&roles, name] {
            auto role = roles.add(name, {}, u"console"_s, u"console"_s);
            if (!role)
                throw role.refusal();
            return *role;
        },
        [this](Result<PinRole> r) {
            if (r)
                m_name->clear();
            finish(u"role.add"_s, r);
        });
}

void RolesPage::removeRole(const QString &name)
{
    PinRoles &roles = m_context.services.pinRoles;
    m_context.workers.run(
        this,
        [&roles, name] {
            const auto done = roles.remove(name, u"console"_s, u"console"_s);
            if (!done)
                throw done.refusal();
            return PinRole{};
        },
        [this](Result<PinRole> r) { finish(u"role.remove"_s, r); });
}

void RolesPage::saveSelected()
{
    const PinRole *role = m_model->at(Tables::currentRow(m_view));
    if (!role)
        return;
    QStringList ticked;
    for (int i = 0; i < m_permissions->count(); ++i)
        if (m_permissions->item(i)->checkState() == Qt::Checked)
            ticked << m_permissions->item(i)->data(Qt::UserRole).toString();
    PinRoles &roles = m_context.services.pinRoles;
    const QString name = role->name;
    m_context.workers.run(
        this,
        [&roles, name, ticked] {
            auto changed = roles.setPermissions(name, ticked, u"console"_s, u"console"_s);
            if (!changed)
                throw changed.refusal();
            return *changed;
        },
        [this](Result<PinRole> r) { finish(u"role.set-perms"_s, r); });
}
