// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "identity/deviceauth.h"
#include "result.h"

#include <QByteArray>
#include <QString>
#include <optional>

class AuditLog;
class Clock;
class Database;

// Logging in on another device (seed 003): the client starts a login with username,
// email and platform and gets an auth_id; the registered address receives a link to a
// Gatehouse page where the person presses Approve (a POST carrying the code from the
// link: mail scanners that fetch links approve nothing); the client polls with the
// auth_id and receives a fresh session token exactly once.
//
// A wrong username/email pair is answered exactly like a right one (a decoy row is
// stored so even the work done is alike) and mails nothing.
class DeviceLogins
{
public:
    struct Options
    {
        QString publicUrl;
        qint64 lifetimeMs = 15 * 60'000; // to approve
        qint64 claimMs = 5 * 60'000;     // to collect the token once approved
        int maxPerUsername = 5;          // logins started per username per lifetime
    };
    struct Started
    {
        QString authId; // UUIDv4
        qint64 expiresAtSecs = 0;
    };
    enum class State { Unknown, Waiting, Approved, Denied, Expired };
    struct Pending
    {
        State state = State::Unknown;
        QString userId; // empty for a decoy
        QString email;  // where the link was sent
        QString username;
        QString platform;
        QString ip; // of the device asking
        qint64 createdAt = 0;
        qint64 expiresAt = 0;
    };

    DeviceLogins(const Database &db, Users &users, DeviceAuth &deviceAuth, const Clock &clock,
                 AuditLog &audit, Options options, SendEmail sendEmail);

    // Refuses with RateLimited (retryAfterSecs) past maxPerUsername.
    Result<Started> start(const QString &username, const QString &email, const QString &platform,
                          const QString &ip);
    // The new session token, once, after approval; nothing before or after.
    std::optional<QByteArray> claim(const QString &authId, const QString &ip);

    // What the emailed link's page shows, by the code in the link.
    Pending byCode(const QString &code) const;
    // Approve or deny (the button press). Returns the state after the press.
    Pending decide(const QString &code, bool approve, const QString &ip);

    int purgeExpired();

private:
    const Database &m_db;
    Users &m_users;
    DeviceAuth &m_deviceAuth;
    const Clock &m_clock;
    AuditLog &m_audit;
    Options m_options;
    SendEmail m_sendEmail;
};
