// SPDX-License-Identifier: GPL-3.0-or-later
#include "dialogs/userdialog.h"

#include "format.h"
#include "identity/accounts.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

UserDialog::UserDialog(const std::optional<User> &existing, QWidget *parent)
    : QDialog(parent), m_existing(existing), m_username(new QLineEdit), m_email(new QLineEdit),
      m_verified(new QCheckBox(tr("Verified"))), m_displayName(new QLineEdit),
      m_role(new QComboBox), m_admin(new QCheckBox(tr("Administrator"))), m_error(new QLabel)
{
    setWindowTitle(existing ? tr("Edit %1").arg(Format::userName(*existing)) : tr("New user"));
    buildUi();
    connectSignals();
    if (existing)
        load(*existing);
}

void UserDialog::buildUi()
{
    auto *form = new QFormLayout;
    m_username->setPlaceholderText(tr("3–32 of A-Z a-z 0-9 _ . -"));
    m_email->setPlaceholderText(tr("name@example.org"));
    m_role->setEditable(true);
    m_role->addItems({u"user"_s, u"staff"_s, u"manager"_s, u"admin"_s});
    auto *emailRow = new QHBoxLayout;
    emailRow->addWidget(m_email, 1);
    emailRow->addWidget(m_verified);
    form->addRow(tr("&Username:"), m_username);
    form->addRow(tr("&Email:"), emailRow);
    form->addRow(tr("&Display name:"), m_displayName);
    form->addRow(tr("&Role:"), m_role);
    form->addRow(QString(), m_admin);
    if (!m_existing) { // a new user may be given a password at once
        m_password = new QLineEdit;
        m_confirm = new QLineEdit;
        m_password->setEchoMode(QLineEdit::Password);
        m_confirm->setEchoMode(QLineEdit::Password);
        m_password->setPlaceholderText(
            tr("optional; at least %1 characters").arg(Accounts::kMinPasswordLength));
        form->addRow(tr("&Password:"), m_password);
        form->addRow(tr("&Confirm:"), m_confirm);
    }
    m_error->setStyleSheet(u"color: #b3261e"_s);
    m_error->setWordWrap(true);
    m_error->hide();

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_buttons->button(QDialogButtonBox::Ok)->setText(m_existing ? tr("Save") : tr("Create"));
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    setMinimumWidth(440);
}

void UserDialog::connectSignals()
{
    connect(m_buttons, &QDialogButtonBox::accepted, this, &UserDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &UserDialog::reject);
}

void UserDialog::load(const User &existing)
{
    m_username->setText(existing.username);
    m_username->setReadOnly(true);
    m_email->setText(existing.email);
    m_verified->setChecked(existing.emailVerified);
    m_displayName->setText(existing.displayName);
    m_role->setCurrentText(existing.role);
    m_admin->setChecked(existing.isAdmin);
}

User UserDialog::user() const
{
    User u = m_existing.value_or(User());
    u.username = m_username->text().trimmed();
    u.email = m_email->text().trimmed().toLower();
    u.emailVerified = !u.email.isEmpty() && m_verified->isChecked();
    u.displayName = m_displayName->text().trimmed();
    u.role = m_role->currentText().trimmed();
    u.isAdmin = m_admin->isChecked();
    return u;
}

QString UserDialog::password() const
{
    return m_password ? m_password->text() : QString();
}

QString UserDialog::problem() const
{
    const User u = user();
    if (!m_existing && u.username.isEmpty() && u.email.isEmpty())
        return tr("Give a username, an email address, or both.");
    if (!m_existing && !u.username.isEmpty() && !Users::isValidUsername(u.username))
        return tr("A username is 3 to 32 of the characters A-Z a-z 0-9 _ . -");
    if (!u.email.isEmpty() && !Users::isValidEmail(u.email))
        return tr("That email address does not look right.");
    if (m_existing && m_existing->username.isEmpty() && u.email.isEmpty())
        return tr("This user signs in by email; the address cannot be removed.");
    if (u.role.isEmpty())
        return tr("Choose a role.");
    if (m_password && !m_password->text().isEmpty()) {
        if (const QString p = Accounts::passwordProblem(u, m_password->text()); !p.isEmpty())
            return tr("The password %1.").arg(p);
        if (m_password->text() != m_confirm->text())
            return tr("The two passwords differ.");
    }
    return QString();
}

void UserDialog::accept()
{
    if (const QString p = problem(); !p.isEmpty()) {
        m_error->setText(p);
        m_error->show();
        return;
    }
    QDialog::accept();
}
