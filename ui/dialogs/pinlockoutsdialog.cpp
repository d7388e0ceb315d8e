// SPDX-License-Identifier: GPL-3.0-or-later
#include "dialogs/pinlockoutsdialog.h"

#include "adminaudit.h"
#include "consolecontext.h"
#include "format.h"
#include "livefeed.h"
#include "services.h"
#include "widgets/tables.h"
#include "workers.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

PinLockoutsDialog::PinLockoutsDialog(ConsoleContext &context, QWidget *parent)
    : QDialog(parent), m_context(context), m_view(new QTableView),
      m_all(new QCheckBox(tr("Also show names and addresses with failures that are not locked"))),
      m_unlock(new QPushButton(tr("&Unlock selected"))),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Close))
{
    const Clock &clock = context.services.clock;
    m_model = new ListTableModel<PinLockoutEntry>(
        {tr("Kind"), tr("Name or address"), tr("Failures"), tr("Locked"), tr("Last failure")},
        [&clock](const PinLockoutEntry &e, int column, int role) -> QVariant {
            if (role != Qt::DisplayRole)
                return {};
            const qint64 now = clock.nowMs();
            switch (column) {
            case 0:
                return e.kind() == u"ip" ? tr("Address") : tr("Name");
            case 1:
                return e.value();
            case 2:
                return e.failures;
            case 3:
                return e.lockedUntil > now ? tr("for %1").arg(Format::duration(e.lockedUntil - now))
                                           : tr("no");
            case 4:
                return Format::relative(e.lastFailureAt, now);
            }
            return {};
        },
        this);
    setWindowTitle(tr("PIN lockouts"));
    buildUi();
    connectSignals();
    reload();
}

void PinLockoutsDialog::buildUi()
{
    m_view->setModel(m_model);
    Tables::setUp(m_view, true);
    m_view->horizontalHeader()->resizeSection(1, 220);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_all, 1);
    bar->addWidget(m_unlock);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(PageUi::hint(tr("After five wrong PINs a name or an address waits, longer "
                                      "after each further failure. Unlocking forgets its "
                                      "failures.")));
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_buttons);
    resize(720, 400);
}

void PinLockoutsDialog::connectSignals()
{
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_all, &QCheckBox::toggled, this, &PinLockoutsDialog::reload);
    connect(m_unlock, &QPushButton::clicked, this, &PinLockoutsDialog::unlockSelected);
    connect(&m_context.live, &LiveFeed::auditChanged, this, &PinLockoutsDialog::reload);
}

void PinLockoutsDialog::reload()
{
    PinLockout &lockout = m_context.services.pinAuth.lockout();
    const bool lockedOnly = !m_all->isChecked();
    m_context.workers.run(
        this, [&lockout, lockedOnly] { return lockout.entries(lockedOnly); },
        [this](Result<QList<PinLockoutEntry>> rows) {
            if (rows)
                m_model->setRows(*rows);
        });
}

void PinLockoutsDialog::unlockSelected()
{
    QStringList subjects;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
        if (const PinLockoutEntry *e = m_model->at(index.row()))
            subjects << e->subject;
    Services &s = m_context.services;
    m_context.workers.run(
        this,
        [&s, subjects] {
            for (const QString &subject : subjects) {
                const bool done = s.pinAuth.lockout().unlock(subject);
                AdminAudit::record(s.audit, {.action = u"pin.unlock"_s,
                                             .subject = subject,
                                             .result = done ? u"ok"_s : u"error"_s});
            }
            return true;
        },
        [this](Result<bool>) { reload(); });
}
