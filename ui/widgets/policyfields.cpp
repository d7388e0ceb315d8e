// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/policyfields.h"

#include "widgets/tables.h"

#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>

PolicyFields::PolicyFields(QWidget *parent)
    : QGroupBox(tr("Token lifetimes and rate limits"), parent)
{
    // Labels and units only: ranges, tooltips and values come from the settings table.
    const struct
    {
        QSpinBox *&field;
        const char *key;
        QString label;
        QString suffix;
    } rows[] = {
        {pinAccess, "lifetimes/pin_access_seconds", tr("PIN access token:"), tr(" s")},
        {pinRefresh, "lifetimes/pin_refresh_days", tr("PIN refresh token:"), tr(" days")},
        {deviceSession, "lifetimes/device_session_days", tr("Device session:"), tr(" days")},
        {walletSession, "lifetimes/wallet_session_days", tr("Wallet session:"), tr(" days")},
        {accountToken, "lifetimes/account_token_days", tr("Account login JWT:"), tr(" days")},
        {apiToken, "lifetimes/api_token_days", tr("User API token:"), tr(" days")},
        {pinFreeFailures, "limits/pin_free_failures", tr("PIN lockout after:"), tr(" failures")},
        {pinLock, "limits/pin_lock_seconds", tr("First PIN lockout:"), tr(" s")},
        {codeAttempts, "limits/code_attempts", tr("One-time code:"), tr(" tries")},
        {codeResend, "limits/code_resend_seconds", tr("New code after:"), tr(" s")},
    };
    auto *form = new QFormLayout(this);
    for (const auto &row : rows) {
        row.field = m_fields.number(row.key, row.suffix);
        form->addRow(row.label, row.field);
    }
    form->addRow(QString(),
                 PageUi::hint(tr("PIN lockouts count per name and per address and double with "
                                 "each further failure (up to an hour). The defaults are the "
                                 "documented API values; shorter is safer, longer is friendlier. "
                                 "Applies to tokens issued after a restart.")));
}

void PolicyFields::load(const Settings &s)
{
    m_fields.load(s);
}

void PolicyFields::apply(Settings &s) const
{
    m_fields.apply(s);
}
