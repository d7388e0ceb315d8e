// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "identity/users.h"
#include "refusal.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QMutex>
#include <QString>
#include <QStringList>
#include <optional>

using namespace Qt::StringLiterals;

class ApiTokens;
class AuditLog;
struct AuditEvent;
class Clock;
class Database;
class Factors;
class SecondStep;
class Outbox;
class Secrets;
struct Settings;

// A right password for an account with a second factor: no token yet, but a challenge
// for POST /api/auth/login/second-factor (or a passkey) and the methods it accepts.
struct PendingSecondStep
{
    QString challenge;
    QStringList methods; // "totp", "recovery_code", "passkey"
    qint64 expiresInSecs = 0;
};

struct AccountOptions
{
    qint64 loginLifetimeSecs = 7 * 24 * 3600;
    qint64 resetLifetimeSecs = 30 * 60;
    qint64 resetCooldownSecs = 60;
};

// The account surface's core (seed 004): email + password logins with 7-day HS256
// JWTs {sub, scopes, iat, exp}, referrer-gated signup, password change and reset by
// mailed link, and the default admin account. Methods that hash a password are slow
// (argon2id) and must run on the worker pool. Refusals throw Refusal.
class Accounts
{
public:
    using Options = AccountOptions;
    struct Grant
    {
        QByteArray token;
        User user;
        std::optional<PendingSecondStep> secondStep; // set: `token` is empty, finish first
    };
    enum class SecondFactor { Totp, RecoveryCode };
    struct SignupRequest
    {
        QString referrer; // a live user API token
        QString email;
        QString password;
        QString name;
    };

    static constexpr int kMinPasswordLength = 8;
    static constexpr int kMaxPasswordLength = 1024;
    static inline const QString kDefaultAdmin = u"admin"_s;

    Accounts(const Database &db, Users &users, ApiTokens &apiTokens, Outbox &outbox,
             const Secrets &secrets, const Settings &settings, const Clock &clock, AuditLog &audit,
             Factors &factors, SecondStep &secondStep, Options options = Options());

    // First start: creates "admin" / "admin" (an admin). Hashes once, never again.
    void ensureDefaultAdmin();
    // True while the default admin still has the password it was created with.
    bool defaultAdminPasswordUnchanged() const;

    // A grant, or (the account has a second factor) a pending second step. An admin without
    // a factor while security/require_admin_second_factor is on: Forbidden.
    Grant login(const QString &emailOrUsername, const QString &password, const QString &ip);
    // The second step of a login: the challenge login() handed out and a code. Every call
    // counts a try against the challenge and the user (SecondStep). accountsecondstep.cpp.
    Grant completeSecondStep(const QString &challenge, SecondFactor method, const QString &code,
                             const QString &ip);
    // Spends a challenge whose second step was proved some other way (a passkey assertion,
    // checked by the caller after SecondStep::countTry) and grants the login; `how` goes to
    // the audit log ("with a passkey"). Throws the challenge's refusal, or Inactive.
    Grant grantSecondStep(const QString &challenge, const QString &how, const QString &ip);
    // Whether `password` is the user's (for removing a factor); argon2id, on the pool.
    bool passwordMatches(const User &user, const QString &password) const;
    Grant signup(const SignupRequest &request, const QString &ip);
    // The active user a login JWT names; throws Unauthorized or Inactive.
    User authenticate(QByteArrayView bearerToken) const;
    QByteArray issueLoginToken(const User &user) const;

    // The owner of a live, unspent reset token: lets the reset page show whose password
    // it changes. Throws Unauthorized or Inactive; grants nothing else.
    User resetTokenOwner(QByteArrayView resetToken) const;
    // The caller closes their own account (lncrawl's DELETE /api/auth/me): disabled and
    // signed out everywhere. Refuses the last active admin (LastAdmin).
    void deactivate(const User &user, const QString &ip);

    void setDisplayName(const User &user, const QString &name, const QString &ip);
    void changePassword(const User &user, const QString &oldPassword, const QString &newPassword,
                        const QString &ip);
    // Hashes and stores a new password; `actor` and `surface` go to the audit log.
    void setPassword(const User &user, const QString &newPassword, const QString &actor,
                     const QString &surface, const QString &ip);
    // Mails a reset link when the address belongs to an active account; silent otherwise.
    void requestPasswordReset(const QString &email, const QString &ip);
    void resetPassword(QByteArrayView resetToken, const QString &newPassword, const QString &ip);
    QByteArray issueResetToken(const User &user) const;

    // Empty when acceptable, else why not (for a 400 detail or the CLI).
    static QString passwordProblem(const User &user, const QString &password);

private:
    struct ResetClaims
    {
        QJsonObject claims;
        User user;
    };
    ResetClaims verifyResetToken(QByteArrayView resetToken) const;
    void audit(AuditEvent event) const; // surface "account"
    std::optional<PendingSecondStep> beginSecondStep(const User &user, const QString &ip);

    const Database &m_db;
    Users &m_users;
    ApiTokens &m_apiTokens;
    Outbox &m_outbox;
    const Secrets &m_secrets;
    const Settings &m_settings;
    const Clock &m_clock;
    AuditLog &m_audit;
    Factors &m_factors;
    SecondStep &m_secondStep;
    Options m_options;
    mutable QMutex m_cooldownMutex;
    QHash<QString, qint64> m_resetSentAt; // per-instance: user id -> ms
};
