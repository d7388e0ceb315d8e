// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "identity/pinlockout.h"
#include "identity/pinroles.h"
#include "identity/users.h"
#include "result.h"

#include <QByteArray>
#include <QString>

using namespace Qt::StringLiterals;

class AuditLog;
struct AuditEvent;
class Clock;
class Database;
class Secrets;
class TokenStore;

// The pin surface's logic (seed 002): POS staff log in with a name and a PIN and get a
// one-minute access JWT (purpose "pin-access") and a 30-day refresh JWT (purpose
// "pin-refresh") whose `jti` is recorded in the TokenStore (kind refresh), so logout,
// the console and `gatehouse token revoke` can end it. The PIN user's name is the
// `username` column (case-insensitive).
class PinAuth
{
public:
    struct Options
    {
        qint64 accessSecs = 60;
        qint64 refreshSecs = 30LL * 24 * 3600;
        PinLockout::Options lockout;
    };
    struct Session
    {
        User user;
        PinRole role;
        QByteArray accessToken;
        QByteArray refreshToken;
    };

    PinAuth(const Database &db, Users &users, PinRoles &roles, TokenStore &tokens,
            const Secrets &secrets, const Clock &clock, AuditLog &audit, Options options);
    PinAuth(const Database &db, Users &users, PinRoles &roles, TokenStore &tokens,
            const Secrets &secrets, const Clock &clock, AuditLog &audit)
        : PinAuth(db, users, roles, tokens, secrets, clock, audit, Options())
    {}

    // Runs argon2id: call on the worker pool. `label` names the client (User-Agent).
    // Refuses with BadCredentials, Locked (retryAfterSecs), NoRole (right PIN, but the
    // user's role does not exist) or Forbidden (right PIN, but the role grants nothing).
    Result<Session> login(const QString &name, const QString &pin, const QString &ip,
                          const QString &label = QString());
    // A fresh access token for a live refresh token.
    Result<QByteArray> refresh(QByteArrayView refreshToken, const QString &ip);
    // The user a live access token belongs to.
    Result<User> verifyAccess(QByteArrayView accessToken) const;
    // The user's role and its permissions, or why it signs no one in (NoRole,
    // Forbidden): Ambrosia's web client gates every page on them.
    Result<PinRole> roleFor(const User &user) const;
    // Revokes `refreshToken` if it is the same user's (a stale or foreign one is ignored).
    void logout(const User &user, QByteArrayView refreshToken, const QString &ip);

    // Sets (argon2id, so slow) the PIN of the user `name`, creating a PIN user when
    // none has that name and `create` is true. Returns the user, or why not.
    Result<User> setPin(const QString &name, const QString &pin, bool create, const QString &actor,
                        const QString &surface = u"cli"_s);
    static bool isValidPin(QStringView pin); // 4 to 12 digits

    // For the console: names and addresses locked now, and lifting a lock (audited).
    QList<PinLockoutEntry> lockedOut() const { return m_lockout.entries(true); }
    bool unlock(const QString &subject, const QString &actor, const QString &surface);

    PinLockout &lockout() { return m_lockout; }
    const Options &options() const { return m_options; }

private:
    QByteArray accessTokenFor(const User &user, const QString &sessionId) const;
    void upgradeHash(const User &user, const QString &pin, const QString &ip);
    void audit(AuditEvent event); // actor = subject, surface "pin"

    const Database &m_db;
    Users &m_users;
    PinRoles &m_roles;
    TokenStore &m_tokens;
    const Secrets &m_secrets;
    const Clock &m_clock;
    AuditLog &m_audit;
    Options m_options;
    PinLockout m_lockout;
};
