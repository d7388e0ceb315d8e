// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

// How often a one-time code (emailed or texted) may be tried, and how soon another may
// be sent to the same recipient. Settings: limits/code_attempts, limits/code_resend_seconds.
struct CodeLimits
{
    int maxAttempts = 5;
    qint64 resendCooldownMs = 60'000;
};
