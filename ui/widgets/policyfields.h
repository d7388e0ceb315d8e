// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "widgets/settingfields.h"

#include <QGroupBox>

struct Settings;
class QSpinBox;

// The Settings page's "Token lifetimes and rate limits" group: what each surface's
// tokens live for and how often guessable things (PINs, one-time codes) may be tried.
class PolicyFields : public QGroupBox
{
    Q_OBJECT
public:
    explicit PolicyFields(QWidget *parent = nullptr);

    void load(const Settings &settings);
    void apply(Settings &settings) const;

    // Lifetimes (tests fill them in)
    QSpinBox *pinAccess = nullptr;
    QSpinBox *pinRefresh = nullptr;
    QSpinBox *deviceSession = nullptr;
    QSpinBox *walletSession = nullptr;
    QSpinBox *accountToken = nullptr;
    QSpinBox *apiToken = nullptr;
    // Limits
    QSpinBox *pinFreeFailures = nullptr;
    QSpinBox *pinLock = nullptr;
    QSpinBox *codeAttempts = nullptr;
    QSpinBox *codeResend = nullptr;

private:
    SettingFields m_fields;
};
