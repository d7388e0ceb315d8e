// SPDX-License-Identifier: GPL-3.0-or-later
#include "dialogs/signingkeysdialog.h"

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

using KeyInfo = SigningKeys::KeyInfo;

SigningKeysDialog::SigningKeysDialog(ConsoleContext &context, QWidget *parent)
    : QDialog(parent), m_context(context), m_view(new QTableView), m_status(new QLabel),
      m_rotate(new QPushButton(tr("&Rotate now…"))),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Close))
{
    const Clock &clock = context.services.clock;
    m_model = new ListTableModel<KeyInfo>(
        {tr("Key id (kid)"), tr("Algorithm"), tr("Created"), tr("State")},
        [&clock](const KeyInfo &k, int column, int role) -> QVariant {
            if (role != Qt::DisplayRole)
                return {};
            switch (column) {
            case 0:
                return k.kid;
            case 1:
                return k.alg;
            case 2:
                return Format::shortDateTime(k.createdAt);
            case 3:
                if (k.retiredAt == 0)
                    return tr("current: signs new tokens");
                if (k.publishedUntil > clock.nowMs())
                    return tr("retired %1, published until %2")
                        .arg(Format::shortDateTime(k.retiredAt),
                             Format::shortDateTime(k.publishedUntil));
                return tr("retired %1, no longer published")
                    .arg(Format::shortDateTime(k.retiredAt));
            }
            return {};
        },
        this);
    setWindowTitle(tr("OpenID signing keys"));
    buildUi();
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_rotate, &QPushButton::clicked, this, &SigningKeysDialog::askRotate);
    reload();
}

void SigningKeysDialog::buildUi()
{
    m_view->setModel(m_model);
    Tables::setUp(m_view);
    m_view->horizontalHeader()->resizeSection(0, 180);
    m_status->setWordWrap(true);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_status, 1);
    bar->addWidget(m_rotate);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(
        PageUi::hint(tr("ID tokens for the apps that sign in with Gatehouse are signed with "
                        "the current RS256 and ES256 keys. Rotating makes new current keys; "
                        "the old ones stay in the published key set for %n hour(s), so tokens "
                        "they signed still verify.",
                        nullptr, int(m_context.services.oidc.keys.overlapMs() / 3'600'000))));
    layout->addWidget(m_view, 1);
    layout->addLayout(bar);
    layout->addWidget(m_buttons);
    resize(760, 360);
}

QString SigningKeysDialog::status() const
{
    return m_status->text();
}

void SigningKeysDialog::reload()
{
    SigningKeys &keys = m_context.services.oidc.keys;
    m_context.workers.run(
        this,
        [&keys] {
            keys.reload(); // the CLI or another instance may have rotated meanwhile
            return keys.list();
        },
        [this](Result<QList<KeyInfo>> rows) {
            if (rows)
                m_model->setRows(*rows);
            else
                m_status->setText(rows.error());
            Q_EMIT reloaded();
        });
}

void SigningKeysDialog::askRotate()
{
    const auto answer = QMessageBox::question(
        this, tr("Rotate the signing keys"),
        tr("Make new current signing keys now? Apps fetch the new keys by themselves; tokens "
           "signed with the old ones keep verifying for the overlap window."),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer == QMessageBox::Yes)
        rotate();
}

void SigningKeysDialog::rotate()
{
    Services &s = m_context.services;
    m_rotate->setEnabled(false);
    m_status->setText(tr("Rotating…"));
    m_context.workers.run(
        this,
        [&s] {
            QStringList kids;
            for (const KeyInfo &key : s.oidc.keys.rotate())
                kids << key.alg + u' ' + key.kid;
            AdminAudit::record(s.audit, {.action = u"oidc.keys.rotate"_s,
                                         .subject = u"oidc-keys"_s,
                                         .detail = kids.join(u", "_s)});
            return kids;
        },
        [this](Result<QStringList> kids) {
            m_rotate->setEnabled(true);
            m_status->setText(kids ? tr("New current keys: %1").arg(kids->join(u", "_s))
                                   : tr("Not rotated: %1").arg(kids.error()));
            Q_EMIT rotated(kids.ok());
            reload();
        });
}
