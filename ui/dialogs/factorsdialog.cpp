// SPDX-License-Identifier: GPL-3.0-or-later
#include "dialogs/factorsdialog.h"

#include "adminaudit.h"
#include "consolecontext.h"
#include "format.h"
#include "services.h"
#include "widgets/tables.h"
#include "workers.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {
enum Column { Kind, Label, Added, LastUsed, ColumnCount };

QString kindName(const QString &kind)
{
    if (kind == Factors::kTotp)
        return QObject::tr("Authenticator app (TOTP)");
    if (kind == Factors::kPasskey)
        return QObject::tr("Passkey");
    return kind;
}

struct Loaded
{
    QList<Factor> factors;
    int recoveryCodesLeft = 0;
};
} // namespace

FactorsDialog::FactorsDialog(ConsoleContext &context, const User &user, QWidget *parent)
    : QDialog(parent), m_context(context), m_user(user), m_view(new QTableView),
      m_status(new QLabel), m_remove(new QPushButton(tr("&Remove selected…")))
{
    m_factors = new ListTableModel<Factor>(
        {tr("Kind"), tr("Label"), tr("Added"), tr("Last used")},
        [](const Factor &f, int column, int role) -> QVariant {
            if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
                return {};
            switch (column) {
            case Kind:
                return kindName(f.kind);
            case Label:
                return f.label;
            case Added:
                return Format::shortDateTime(f.createdAt);
            case LastUsed:
                return f.lastUsedAt > 0 ? Format::shortDateTime(f.lastUsedAt) : tr("never");
            }
            return {};
        },
        this);
    setWindowTitle(tr("%1 — second factors").arg(Format::userName(user)));
    buildUi();
    reload();
}

void FactorsDialog::buildUi()
{
    m_view->setModel(m_factors);
    Tables::setUp(m_view);
    m_view->horizontalHeader()->resizeSection(Kind, 190);
    m_view->horizontalHeader()->resizeSection(Label, 170);
    m_view->horizontalHeader()->resizeSection(Added, 130);
    m_remove->setObjectName(u"danger"_s);
    m_status->setWordWrap(true);

    auto *note = new QLabel(
        tr("Once a user has a second factor, their password alone no longer signs them in. "
           "Remove a factor only for someone who lost it; they sign in with their password "
           "again once none is left, and can set up a new one."));
    note->setWordWrap(true);
    note->setForegroundRole(QPalette::PlaceholderText);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_status, 1);
    bar->addWidget(m_remove);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(note);
    layout->addWidget(m_view, 1);
    layout->addLayout(bar);
    layout->addWidget(buttons);
    resize(720, 360);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_remove, &QPushButton::clicked, this, &FactorsDialog::askRemove);
}

QString FactorsDialog::summary(const QList<Factor> &factors, int recoveryCodesLeft)
{
    if (factors.isEmpty())
        return tr("none");
    QStringList kinds;
    for (const Factor &f : factors)
        kinds << (f.kind == Factors::kTotp ? tr("TOTP") : tr("passkey"));
    return kinds.join(u", "_s) + u" · "_s +
           Format::items(recoveryCodesLeft, tr("recovery code left"), tr("recovery codes left"));
}

void FactorsDialog::reload()
{
    Factors &factors = m_context.services.factors;
    const QString userId = m_user.id;
    m_context.workers.run(
        this,
        [&factors, userId] {
            return Loaded{factors.list(userId), factors.recoveryCodesLeft(userId)};
        },
        [this](Result<Loaded> loaded) {
            if (!loaded) {
                m_status->setText(loaded.error());
                return;
            }
            m_factors->setRows(loaded->factors);
            m_status->setText(loaded->factors.isEmpty()
                                  ? tr("No second factor: the password alone signs in.")
                                  : Format::items(loaded->recoveryCodesLeft,
                                                  tr("recovery code left"),
                                                  tr("recovery codes left")));
            m_remove->setEnabled(!loaded->factors.isEmpty());
            Q_EMIT reloaded();
        });
}

void FactorsDialog::askRemove()
{
    const int row = Tables::currentRow(m_view);
    if (row < 0 || row >= m_factors->rows().size())
        return;
    const Factor factor = m_factors->rows().at(row);
    const auto answer = QMessageBox::question(
        this, tr("Remove a second factor"),
        tr("Remove %1 “%2” from %3? It stops working at once.")
            .arg(kindName(factor.kind), factor.label, Format::userName(m_user)),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer == QMessageBox::Yes)
        remove(factor);
}

void FactorsDialog::remove(const Factor &factor)
{
    Services &s = m_context.services;
    const QString userId = m_user.id;
    m_context.workers.run(
        this,
        [&s, userId, factor] {
            const Result<Done> done =
                s.factors.remove(userId, factor.id, u"console"_s, AdminAudit::kSurface, u"local"_s);
            if (!done)
                throw done.refusal();
            return true;
        },
        [this](Result<bool> done) {
            if (!done)
                QMessageBox::warning(this, tr("Remove a second factor"), done.error());
            else
                Q_EMIT changed();
            reload();
        });
}
