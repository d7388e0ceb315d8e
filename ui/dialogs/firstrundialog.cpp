// SPDX-License-Identifier: GPL-3.0-or-later
#include "dialogs/firstrundialog.h"

#include "config/secretstore.h"
#include "consolecontext.h"
#include "pages/useractions.h"
#include "services.h"
#include "widgets/tables.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

FirstRunDialog::FirstRunDialog(ConsoleContext &context, const User &admin, QWidget *parent)
    : QDialog(parent), m_context(context), m_admin(admin), m_password(new QLineEdit),
      m_confirm(new QLineEdit), m_error(new QLabel)
{
    setWindowTitle(tr("Welcome to Gatehouse"));
    buildUi();
    connectSignals();
    m_password->setFocus();
}

void FirstRunDialog::buildUi()
{
    auto *intro = new QLabel(
        tr("Gatehouse made an administrator account <b>admin</b> with the password "
           "<b>admin</b>, as its documentation promises. Choose a real password now: until you "
           "do, anyone who reaches the server can sign in as administrator, and Gatehouse will "
           "only listen on this computer."));
    intro->setWordWrap(true);
    m_password->setEchoMode(QLineEdit::Password);
    m_confirm->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("at least %1 characters").arg(Accounts::kMinPasswordLength));
    auto *form = new QFormLayout;
    form->addRow(tr("New &password:"), m_password);
    form->addRow(tr("&Confirm:"), m_confirm);
    m_error->setStyleSheet(u"color: #b3261e"_s);
    m_error->setWordWrap(true);
    m_error->hide();
    m_buttons = new QDialogButtonBox;
    m_ok = m_buttons->addButton(tr("Set password"), QDialogButtonBox::AcceptRole);
    m_buttons->addButton(tr("Remind me later"), QDialogButtonBox::RejectRole);

    auto *layout = new QVBoxLayout(this);
    auto *icon = new QLabel;
    icon->setPixmap(QIcon(u":/icons/gatehouse.svg"_s).pixmap(56, 56));
    auto *top = new QHBoxLayout;
    top->addWidget(icon);
    top->addWidget(PageUi::title(tr("Welcome to Gatehouse")), 1);
    layout->addLayout(top);
    layout->addSpacing(4);
    layout->addWidget(intro);
    layout->addSpacing(6);
    layout->addWidget(whereLabel());
    layout->addSpacing(6);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addStretch(1);
    layout->addWidget(m_buttons);
    setMinimumWidth(560);
}

void FirstRunDialog::connectSignals()
{
    connect(m_buttons, &QDialogButtonBox::accepted, this, &FirstRunDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &FirstRunDialog::reject);
}

// Where the data, the secrets and the settings are, so a new admin knows what to back up.
QLabel *FirstRunDialog::whereLabel() const
{
    const Settings &s = m_context.services.settings;
    auto *where = new QLabel(
        tr("<b>Where your data lives</b><br>Folder: %1<br>Database: %2<br>Secrets: %3<br>"
           "Settings file: %4")
            .arg(QDir::toNativeSeparators(s.dataDir).toHtmlEscaped(),
                 m_context.services.db->url().redacted().toHtmlEscaped(),
                 (m_context.secretStore.backend() == SecretStore::Backend::Keychain
                      ? tr("the desktop keychain")
                      : QDir::toNativeSeparators(m_context.secretStore.filePath()))
                     .toHtmlEscaped(),
                 QDir::toNativeSeparators(s.configFile.isEmpty()
                                              ? QDir(s.dataDir).filePath(u"gatehouse.conf"_s)
                                              : s.configFile)
                     .toHtmlEscaped()));
    where->setWordWrap(true);
    where->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return where;
}

QString FirstRunDialog::problem() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void FirstRunDialog::accept()
{
    const QString password = m_password->text();
    QString problem = Accounts::passwordProblem(m_admin, password);
    if (!problem.isEmpty())
        problem = tr("The password %1.").arg(problem);
    else if (password == u"admin")
        problem = tr("Choose something other than “admin”.");
    else if (password != m_confirm->text())
        problem = tr("The two passwords differ.");
    if (!problem.isEmpty()) {
        m_error->setText(problem);
        m_error->show();
        return;
    }
    m_error->hide();
    auto *actions = new UserActions(m_context, this);
    connect(actions, &UserActions::done, this, [this] {
        Q_EMIT passwordChanged();
        QDialog::accept();
    });
    actions->setPassword(m_admin, password);
}
