// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "identity/codelimits.h"

#include <QString>

class Clock;
class Database;
class Secrets;

// Six-digit sign-in codes for /send_verification and the Email/Phone logins. One live
// code per recipient, stored as a keyed HMAC (a copy of the database does not give
// the codes away, nor a cheap offline search of the 10^6 candidates). A code lives 10
// minutes and survives 5 wrong tries; a new one can be sent 60 s after the last.
class WalletCodes
{
public:
    static constexpr qint64 kLifetimeMs = 10 * 60 * 1000;

    WalletCodes(const Database &db, const Clock &clock, const Secrets &secrets,
                CodeLimits limits = CodeLimits());

    // A fresh code for (channel, recipient); empty while the cooldown runs.
    [[nodiscard]] QString issue(const QString &channel, const QString &recipient);
    // Forgets the code again (when it could not be queued for delivery).
    void discard(const QString &channel, const QString &recipient);

    enum class Check { Ok, Wrong, Expired, TooManyAttempts, None };
    // Ok consumes the code; Wrong counts an attempt, the fifth kills the code.
    [[nodiscard]] Check verify(const QString &channel, const QString &recipient,
                               const QString &code);

private:
    QString hashOf(const QString &channel, const QString &recipient, const QString &code) const;

    const Database &m_db;
    const Clock &m_clock;
    const Secrets &m_secrets;
    CodeLimits m_limits;
};
