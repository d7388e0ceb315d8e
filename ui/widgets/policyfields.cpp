// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/policyfields.h"

#include "config/settings.h"
#include "widgets/tables.h"

#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>

PolicyFields::PolicyFields(QWidget *parent)
    : QGroupBox(tr("Token lifetimes and rate limits"), parent),
      pinAccess(PageUi::spinBox(10, 24 * 3600, tr(" s"))),
      pinRefresh(PageUi::spinBox(1, 3650, tr(" days"))),
      deviceSession(PageUi::spinBox(1, 3650, tr(" days"))),
      walletSession(PageUi::spinBox(1, 3650, tr(" days"))),
      accountToken(PageUi::spinBox(1, 3650, tr(" days"))),
      apiToken(PageUi::spinBox(1, 3650, tr(" days"))),
      pinFreeFailures(PageUi::spinBox(1, 100, tr(" failures"))),
      pinLock(PageUi::spinBox(1, 24 * 3600, tr(" s"))),
      codeAttempts(PageUi::spinBox(1, 100, tr(" tries"))),
      codeResend(PageUi::spinBox(0, 24 * 3600, tr(" s")))
{
    auto *form = new QFormLayout(this);
    form->addRow(tr("PIN access token:"), pinAccess);
    form->addRow(tr("PIN refresh token:"), pinRefresh);
    form->addRow(tr("Device session:"), deviceSession);
    form->addRow(tr("Wallet session:"), walletSession);
    form->addRow(tr("Account login JWT:"), accountToken);
    form->addRow(tr("User API token:"), apiToken);
    form->addRow(tr("PIN lockout after:"), pinFreeFailures);
    form->addRow(tr("First PIN lockout:"), pinLock);
    form->addRow(tr("One-time code:"), codeAttempts);
    form->addRow(tr("New code after:"), codeResend);
    form->addRow(QString(),
                 PageUi::hint(tr("PIN lockouts count per name and per address and double with "
                                 "each further failure (up to an hour). The defaults are the "
                                 "documented API values; shorter is safer, longer is friendlier. "
                                 "Applies to tokens issued after a restart.")));
}

void PolicyFields::load(const Settings &s)
{
    pinAccess->setValue(s.pinAccessSecs);
    pinRefresh->setValue(s.pinRefreshDays);
    deviceSession->setValue(s.deviceSessionDays);
    walletSession->setValue(s.walletSessionDays);
    accountToken->setValue(s.accountTokenDays);
    apiToken->setValue(s.apiTokenDays);
    pinFreeFailures->setValue(s.pinFreeFailures);
    pinLock->setValue(s.pinLockSecs);
    codeAttempts->setValue(s.codeAttempts);
    codeResend->setValue(s.codeResendSecs);
}

void PolicyFields::apply(Settings &s) const
{
    s.pinAccessSecs = pinAccess->value();
    s.pinRefreshDays = pinRefresh->value();
    s.deviceSessionDays = deviceSession->value();
    s.walletSessionDays = walletSession->value();
    s.accountTokenDays = accountToken->value();
    s.apiTokenDays = apiToken->value();
    s.pinFreeFailures = pinFreeFailures->value();
    s.pinLockSecs = pinLock->value();
    s.codeAttempts = codeAttempts->value();
    s.codeResendSecs = codeResend->value();
}
