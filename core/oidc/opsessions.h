// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <optional>

class Clock;
class Database;
class Users;

// The provider's own browser session (cookie OpSessions::kCookie): once someone has
// signed in on the provider's sign-in page, further authorization requests from any
// client go through without a new sign-in until it ends (end_session, sign-out
// everywhere, the user disabled or removed, or its lifetime). The cookie value is random
// and stored as SHA-256 hex.
struct OpSession
{
    QString id; // the row's handle (the cookie's hash): safe to put in a code or a token
    QString userId;
    qint64 authTime = 0; // ms
    QString amr;         // space-separated RFC 8176 values
    qint64 expiresAt = 0;
    qint64 signOutEpoch = 0; // the user's tokensValidAfter when it began (SignOutEpoch)
};

class OpSessions
{
public:
    static constexpr const char *kCookie = "gh_op";
    static constexpr qint64 kDefaultLifetimeMs = 12 * 3600'000LL;

    OpSessions(const Database &db, const Clock &clock, Users &users);

    struct Started
    {
        OpSession session;
        QByteArray cookie; // the value for Set-Cookie (43 characters)
    };
    Started start(const QString &userId, const QString &amr,
                  qint64 lifetimeMs = kDefaultLifetimeMs);
    // nullopt when unknown, expired, the user is gone or disabled, or the user signed
    // out everywhere after this session began.
    std::optional<OpSession> byCookie(QByteArrayView cookie) const;
    std::optional<OpSession> byId(const QString &id) const; // the same checks
    void end(const QString &id);
    void endForUser(const QString &userId);
    int purgeExpired();

private:
    std::optional<OpSession> checked(std::optional<OpSession> session) const;
    const Database &m_db;
    const Clock &m_clock;
    Users &m_users;
};
