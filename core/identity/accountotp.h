// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "identity/codelimits.h"

#include "identity/users.h"
#include "refusal.h"

#include <QByteArray>
#include <QString>

class AuditLog;
class Clock;
class Database;
class Outbox;
class Secrets;

// Email verification for the account surface: send() mails a 6-digit code and
// returns an OTP session token (an HS256 JWT of its own purpose naming the session);
// verify() checks the code against the session and marks the email verified. Codes
// are kept as keyed hashes, live 10 minutes, allow 5 wrong tries, and a new code can
// be asked for once a minute. Refusals throw Refusal.
class AccountOtp
{
public:
    static constexpr int kDigits = 6;
    static constexpr qint64 kLifetimeSecs = 10 * 60;

    AccountOtp(const Database &db, Users &users, Outbox &outbox, const Secrets &secrets,
               const Clock &clock, AuditLog &audit, CodeLimits limits = CodeLimits());

    QByteArray send(const User &user, const QString &ip);
    void verify(QByteArrayView sessionToken, const QString &code, const QString &ip);

private:
    QString codeHash(const QString &sessionId, const QString &code) const;

    const Database &m_db;
    Users &m_users;
    Outbox &m_outbox;
    const Secrets &m_secrets;
    const Clock &m_clock;
    AuditLog &m_audit;
    CodeLimits m_limits;
};
