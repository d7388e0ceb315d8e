// SPDX-License-Identifier: GPL-3.0-or-later
#include "dialogs/clientsecretdialog.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

QLineEdit *readOnly(const QString &text, const QString &accessibleName)
{
    auto *edit = new QLineEdit(text);
    edit->setReadOnly(true);
    edit->setAccessibleName(accessibleName);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setCursorPosition(0);
    return edit;
}

} // namespace

ClientSecretDialog::ClientSecretDialog(const QString &clientId, const QString &clientName,
                                       const QString &secret, QWidget *parent)
    : QDialog(parent), m_id(readOnly(clientId, tr("Client ID"))),
      m_secret(readOnly(secret, tr("Client secret"))), m_copy(new QPushButton(tr("&Copy secret")))
{
    setWindowTitle(tr("Secret of %1").arg(clientName));
    setAttribute(Qt::WA_DeleteOnClose);
    auto *intro = new QLabel(
        tr("<b>Copy the secret now: it is shown only this once.</b> Gatehouse keeps only its "
           "hash; if it is lost, rotate it to get a new one. Put the client ID and the secret "
           "in the app's OpenID Connect settings."));
    intro->setWordWrap(true);
    auto *idCopy = new QPushButton(tr("Copy &ID"));
    auto *form = new QFormLayout;
    auto *idRow = new QHBoxLayout;
    idRow->addWidget(m_id, 1);
    idRow->addWidget(idCopy);
    auto *secretRow = new QHBoxLayout;
    secretRow->addWidget(m_secret, 1);
    secretRow->addWidget(m_copy);
    form->addRow(tr("Client ID:"), idRow);
    form->addRow(tr("Client secret:"), secretRow);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(buttons);
    setMinimumWidth(620);

    connect(m_copy, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_secret->text());
        m_copy->setText(tr("Copied"));
    });
    connect(idCopy, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_id->text()); });
    connect(buttons, &QDialogButtonBox::rejected, this, &ClientSecretDialog::reject);
    m_copy->setFocus();
}

QString ClientSecretDialog::secret() const
{
    return m_secret->text();
}
