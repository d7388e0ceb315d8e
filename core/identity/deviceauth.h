// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "identity/tokenstore.h"
#include "identity/users.h"

#include <QByteArray>
#include <QString>
#include <functional>
#include <optional>
#include <variant>

class AuditLog;
class Clock;
class Database;

// Sends one plain-text email (the Outbox in the app; a recorder in tests).
using SendEmail =
    std::function<void(const QString &to, const QString &subject, const QString &textBody)>;

// The device surface's accounts and sessions (seed 003): registration, session tokens
// (256 random bytes, URL-safe base64 with padding, stored in the TokenStore as kind
// device_session with the platform as label), `Authorization: Bearer` checks, the
// caller's own sessions, and email changes confirmed by a mailed link.
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
    enum class Failure {
        InvalidUsername, // 400
        InvalidEmail,    // 400
        InvalidPlatform, // 400
        UsernameTaken,   // 409
        EmailTaken,      // 409
    };
    struct Refusal
    {
        Failure failure;
        QString message;
    };
    enum class LinkState { Unknown, Pending, Used, Expired };
    struct EmailLink
    {
        LinkState state = LinkState::Unknown;
        QString email;
        QString username;
    };

    DeviceAuth(const Database &db, Users &users, TokenStore &tokens, const Clock &clock,
               AuditLog &audit, Options options, SendEmail sendEmail);

    static bool isValidPlatform(QStringView platform); // 1-64 chars, no control characters
    static QByteArray newSessionToken();               // 344 characters

    std::variant<Session, Refusal> registerUser(const QString &username, const QString &email,
                                                const QString &platform, const QString &ip);
    Session issueSession(const QString &userId, const QString &platform, const QString &ip);
    // The live session and its user behind a bearer token; records its use.
    std::optional<Caller> authenticate(QByteArrayView bearer);
    QList<IssuedToken> sessions(const QString &userId) const;
    bool revokeSession(const Caller &caller, const QString &sessionId, const QString &ip);
    int revokeOtherSessions(const Caller &caller, const QString &ip);

    // Sets a new (unverified) email and mails a confirmation link to it.
    std::optional<Refusal> changeEmail(const Caller &caller, const QString &email,
                                       const QString &ip);
    EmailLink emailLink(const QString &code) const;
    EmailLink confirmEmail(const QString &code, const QString &ip);

    const Options &options() const { return m_options; }

private:
    void audit(const QString &action, const QString &actor, const QString &subject,
               const QString &ip, const QString &result, const QString &detail = QString());

    const Database &m_db;
    Users &m_users;
    TokenStore &m_tokens;
    const Clock &m_clock;
    AuditLog &m_audit;
    Options m_options;
    SendEmail m_sendEmail;
};
