// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "identity/tokenstore.h"
#include "identity/users.h"
#include "result.h"

#include <QByteArray>
#include <QString>
#include <functional>
#include <optional>

class AuditLog;
struct AuditEvent;
class Clock;
class Database;

// Sends one plain-text email (the Outbox in the app; a recorder in tests).
using SendEmail =
    std::function<void(const QString &to, const QString &subject, const QString &textBody)>;

// The device surface's accounts and sessions (seed 003): registration, session tokens
// (256 random bytes, URL-safe base64 with padding, stored in the TokenStore as kind
// device_session with the platform as label), `Authorization: Bearer` checks, the
// caller's own sessions, and email changes confirmed by a mailed link.
//
// No account discovery through addresses: an email given at registration or through
// PUT /auth/me/email is bound to the account only when the link mailed to it is
// pressed (or a device login mailed to it is approved). When another account already
// has the address, that address gets a notice instead of a link; the caller sees the
// same answer either way, so nobody can probe or squat someone else's address.
class DeviceAuth
{
public:
    struct Options
    {
        QString publicUrl;                        // base of the links in emails
        qint64 sessionMs = 365LL * 24 * 3600'000; // device sessions last a year
        qint64 verifyMs = 24LL * 3600'000;        // email confirmation links: a day
    };
    struct Session
    {
        QByteArray token; // shown once, never stored
        IssuedToken issued;
    };
    struct Caller
    {
        User user;
        IssuedToken session;
    };
    enum class LinkState { Unknown, Pending, Used, Expired };
    struct EmailLink
    {
        LinkState state = LinkState::Unknown;
        QString userId;
        QString email;
        QString username;
    };

    DeviceAuth(const Database &db, Users &users, TokenStore &tokens, const Clock &clock,
               AuditLog &audit, Options options, SendEmail sendEmail);

    static bool isValidPlatform(QStringView platform); // 1-64 chars, no control characters
    static QByteArray newSessionToken();               // 344 characters

    // Refuses with InvalidInput (username, email, platform) or Conflict (the username is
    // taken: a username is a public handle).
    Result<Session> registerUser(const QString &username, const QString &email,
                                 const QString &platform, const QString &ip);
    Session issueSession(const QString &userId, const QString &platform, const QString &ip);
    // The live session and its user behind a bearer token (records its use), or
    // BadCredentials.
    Result<Caller> authenticate(QByteArrayView bearer);
    QList<IssuedToken> sessions(const QString &userId) const;
    bool revokeSession(const Caller &caller, const QString &sessionId, const QString &ip);
    int revokeOtherSessions(const Caller &caller, const QString &ip);

    // Offers a new email: mails it a confirmation link (or its owner a notice).
    // Refuses with InvalidInput for an address that is not one.
    Result<Done> changeEmail(const Caller &caller, const QString &email, const QString &ip);
    // The newest unconfirmed address offered for the account, if its link still works.
    QString pendingEmail(const QString &userId) const;
    // The address proved to be the user's (a pressed link or an approved login mailed to
    // it): binds and verifies it, unless another account has it by now.
    bool bindEmail(const QString &userId, const QString &email);
    EmailLink emailLink(const QString &code) const;
    EmailLink confirmEmail(const QString &code, const QString &ip);

    const Options &options() const { return m_options; }

private:
    void offerEmail(const User &user, const QString &email, const QString &ip);
    void audit(AuditEvent event); // surface "device"

    const Database &m_db;
    Users &m_users;
    TokenStore &m_tokens;
    const Clock &m_clock;
    AuditLog &m_audit;
    Options m_options;
    SendEmail m_sendEmail;
};
