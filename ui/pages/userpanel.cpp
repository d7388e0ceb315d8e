// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/userpanel.h"

#include "format.h"

#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {
enum Field {
    DisplayName,
    Email,
    Role,
    Status,
    SignIn,
    SecondFactor,
    Created,
    Updated,
    SignedOut,
    FieldCount
};
const char *const kFieldNames[] = {"Name",          "Email",   "Role",    "Status",    "Sign-in",
                                   "Second factor", "Created", "Changed", "Signed out"};
} // namespace

UserPanel::UserPanel(QWidget *parent)
    : QWidget(parent), edit(new QPushButton(tr("&Edit…"))),
      password(new QPushButton(tr("Set pass&word…"))), pin(new QPushButton(tr("Set P&IN…"))),
      toggleDisabled(new QPushButton(tr("&Disable"))),
      signOut(new QPushButton(tr("Sign &out everywhere"))),
      details(new QPushButton(tr("Sessions && &tokens…"))),
      factors(new QPushButton(tr("Second &factors…"))), remove(new QPushButton(tr("Delete…"))),
      m_heading(new QLabel), m_id(new QLabel),
      m_empty(new QLabel(tr("Select a user to see and change it."))), m_body(new QWidget)
{
    buildUi();
    show(std::nullopt);
}

void UserPanel::buildUi()
{
    QFont big = m_heading->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setWeight(QFont::DemiBold);
    m_heading->setFont(big);
    m_heading->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_heading->setWordWrap(true);
    m_empty->setWordWrap(true);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    QFont small = m_id->font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    m_id->setFont(small);
    m_id->setForegroundRole(QPalette::PlaceholderText);
    m_id->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_id->setToolTip(tr("The user's id"));
    remove->setObjectName(u"danger"_s);

    auto *body = new QVBoxLayout(m_body);
    body->setContentsMargins(0, 0, 0, 0);
    body->addWidget(m_heading);
    body->addWidget(m_id);
    body->addLayout(fieldsForm());
    body->addSpacing(8);
    for (QPushButton *b : {edit, password, pin, toggleDisabled, signOut, details, factors, remove})
        body->addWidget(b);
    body->addStretch();

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_empty);
    layout->addWidget(m_body);
    layout->addStretch();
}

QFormLayout *UserPanel::fieldsForm()
{
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    for (int i = 0; i < FieldCount; ++i) {
        m_fields[i] = new QLabel;
        m_fields[i]->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_fields[i]->setWordWrap(true);
        form->addRow(tr(kFieldNames[i]) + u':', m_fields[i]);
    }
    return form;
}

void UserPanel::show(const std::optional<User> &user)
{
    m_empty->setVisible(!user);
    m_body->setVisible(bool(user));
    if (!user)
        return;
    const User &u = *user;
    m_heading->setText(Format::userName(u));
    m_id->setText(u.id);
    m_fields[DisplayName]->setText(u.displayName.isEmpty() ? u"—"_s : u.displayName);
    m_fields[Email]->setText(
        u.email.isEmpty() ? u"—"_s : u.email + (u.emailVerified ? tr(" (verified)") : QString()));
    m_fields[Role]->setText(u.isAdmin ? tr("%1, administrator").arg(u.role) : u.role);
    m_fields[Status]->setText(u.disabled ? tr("Disabled") : tr("Active"));
    QStringList ways;
    if (!u.passwordHash.isEmpty())
        ways << tr("password");
    if (!u.pinHash.isEmpty())
        ways << tr("PIN");
    m_fields[SignIn]->setText(ways.isEmpty() ? tr("none set") : ways.join(u", "_s));
    m_fields[SecondFactor]->setText(u"…"_s);
    m_fields[Created]->setText(Format::dateTime(u.createdAt));
    m_fields[Updated]->setText(Format::dateTime(u.updatedAt));
    m_fields[SignedOut]->setText(Format::dateTime(u.tokensValidAfter));
    toggleDisabled->setText(u.disabled ? tr("&Enable") : tr("&Disable"));
    pin->setEnabled(!u.username.isEmpty());
    pin->setToolTip(u.username.isEmpty() ? tr("PIN sign-in needs a username") : QString());
}

void UserPanel::showFactors(const QString &summary)
{
    m_fields[SecondFactor]->setText(summary);
}
