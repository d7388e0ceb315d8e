// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

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
    QSpinBox *pinAccess;
    QSpinBox *pinRefresh;
    QSpinBox *deviceSession;
    QSpinBox *walletSession;
    QSpinBox *accountToken;
    QSpinBox *apiToken;
    // Limits
    QSpinBox *pinFreeFailures;
    QSpinBox *pinLock;
    QSpinBox *codeAttempts;
    QSpinBox *codeResend;
};
