// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "identity/freshcache.h"
#include "result.h"

#include <QList>
#include <QString>
#include <functional>
#include <optional>

using namespace Qt::StringLiterals;

class Clock;
class Database;

// One person, whichever surface they use: account (email + password), pin (name +
// PIN), device (username + optional email), wallet (linked identities).
struct User
{
    QString id; // UUID
    QString username;
    QString email;
    QString displayName;
    QString role = u"user"_s;
    bool isAdmin = false;
    QString passwordHash; // argon2id, empty when none
    QString pinHash;      // argon2id, empty when none
    bool emailVerified = false;
    QString referrerId;
    bool disabled = false;
    int tier = -1; // account surface tier (0 basic, 1 premium, 2 VIP); -1: derived from isAdmin
    qint64 createdAt = 0;
    qint64 updatedAt = 0;
    qint64 tokensValidAfter = 0; // ms; "sign out everywhere" moment
};

struct UserQuery
{
    QString search; // prefix of username, email or display name
    int offset = 0;
    int limit = 100;
    bool disabledOnly = false;
    bool adminsOnly = false;
};

// The users table. Usernames and emails are unique and compared in lower case.
class Users
{
public:
    Users(const Database &db, const Clock &clock,
          FreshCache<User>::Options cache = FreshCache<User>::Options());

    static bool isValidUsername(QStringView name); // 3-32 of [A-Za-z0-9_.-]
    static bool isValidEmail(QStringView email);

    // Creates a user; fails when the username or email is taken. Hashes must already
    // be computed (on the worker pool).
    Result<User> create(User draft);
    std::optional<User> byId(const QString &id) const;
    // The user as a token check sees it: byId() kept in this process for at most the
    // cache's maxAgeMs, forgotten by every change made through this class (see
    // freshcache.h and docs/security.md). Decisions that write read byId().
    std::optional<User> current(const QString &id) const;
    // Called with the user id after signOutEverywhere() committed (it also revokes that
    // user's stored sessions, which TokenStore caches).
    void setSignOutListener(std::function<void(const QString &)> listener);
    // Drops every cached user (after a bulk change such as an import).
    void forgetAll() const { m_recent.clear(); }
    std::optional<User> byUsername(const QString &username) const;
    std::optional<User> byEmail(const QString &email) const;
    // Account login: "email (or username for the default admin account)".
    std::optional<User> byLogin(const QString &emailOrUsername) const;

    QList<User> list(const UserQuery &query) const;
    qint64 count(const UserQuery &query = {}) const;

    bool setPasswordHash(const QString &id, const QString &hash);
    // Sets the hash only while the stored one is still `expected` (a re-hash at sign-in
    // must not undo a password change that happened meanwhile).
    bool replacePasswordHash(const QString &id, const QString &expected, const QString &hash);
    bool setPinHash(const QString &id, const QString &hash);
    bool setEmail(const QString &id, const QString &email, bool verified);
    bool setEmailVerified(const QString &id, bool verified);
    bool setDisplayName(const QString &id, const QString &name);
    bool setRole(const QString &id, const QString &role, bool isAdmin);
    bool setDisabled(const QString &id, bool disabled);
    bool signOutEverywhere(const QString &id); // JWTs issued before now are refused
    bool remove(const QString &id);

private:
    bool update(const QString &id, const QString &assignments,
                const QList<std::pair<QString, QVariant>> &values);
    void forgetWhenWritten(const QString &id) const;

    const Database &m_db;
    const Clock &m_clock;
    mutable FreshCache<User> m_recent;
    std::function<void(const QString &)> m_signOutListener;
};
