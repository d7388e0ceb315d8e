// SPDX-License-Identifier: GPL-3.0-or-later
#include "dialogs/secretdialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpressionValidator>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

SecretDialog::SecretDialog(Kind kind, const QString &who,
                           std::function<QString(const QString &)> problem, QWidget *parent)
    : QDialog(parent), m_problem(std::move(problem)), m_secret(new QLineEdit),
      m_confirm(new QLineEdit), m_error(new QLabel)
{
    setWindowTitle(kind == Kind::Pin ? tr("Set PIN for %1").arg(who)
                                     : tr("Set password for %1").arg(who));
    buildUi(kind == Kind::Pin);
    connectSignals();
}

void SecretDialog::buildUi(bool pin)
{
    for (QLineEdit *edit : {m_secret, m_confirm}) {
        edit->setEchoMode(QLineEdit::Password);
        if (pin) {
            edit->setValidator(
                new QRegularExpressionValidator(QRegularExpression(u"[0-9]{0,12}"_s), edit));
            edit->setInputMethodHints(Qt::ImhDigitsOnly);
        }
    }
    auto *intro = new QLabel(pin ? tr("A PIN is 4 to 12 digits. Setting one ends the PIN "
                                      "sessions the old PIN opened.")
                                 : tr("The password is stored as an argon2id hash; hashing "
                                      "takes a moment on purpose."));
    intro->setWordWrap(true);
    auto *form = new QFormLayout;
    form->addRow(pin ? tr("New &PIN:") : tr("New &password:"), m_secret);
    form->addRow(tr("&Confirm:"), m_confirm);
    m_error->setStyleSheet(u"color: #b3261e"_s);
    m_error->setWordWrap(true);
    m_error->hide();
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    setMinimumWidth(420);
}

void SecretDialog::connectSignals()
{
    connect(m_buttons, &QDialogButtonBox::accepted, this, &SecretDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &SecretDialog::reject);
}

QString SecretDialog::secret() const
{
    return m_secret->text();
}

void SecretDialog::accept()
{
    QString problem = m_problem ? m_problem(m_secret->text()) : QString();
    if (problem.isEmpty() && m_secret->text() != m_confirm->text())
        problem = tr("The two entries differ.");
    if (!problem.isEmpty()) {
        m_error->setText(problem);
        m_error->show();
        return;
    }
    QDialog::accept();
}
