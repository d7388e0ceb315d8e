// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "identity/freshcache.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <optional>

using namespace Qt::StringLiterals;

class Clock;
class Database;
class Secrets;

// Kinds of stateful tokens, one table for all so the console and `gatehouse token`
// list and revoke them in one place.
namespace TokenKind {
inline const QString refresh = u"refresh"_s;       // pin surface
inline const QString device = u"device_session"_s; // device surface
inline const QString apiToken = u"api_token"_s;    // account surface
inline const QString wallet = u"wallet_session"_s; // wallet surface
} // namespace TokenKind

struct IssuedToken
{
    QString id = {}; // UUID, safe to show
    QString kind = {};
    QString userId = {};
    QString label = {}; // e.g. the session platform ("cURL", "iOS")
    QString data = {};  // surface-specific JSON
    qint64 createdAt = 0;
    qint64 expiresAt = 0;
    qint64 lastUsedAt = 0;
    qint64 revokedAt = 0;
    bool live(qint64 nowMs) const { return revokedAt == 0 && expiresAt > nowMs; }
};

struct TokenFilter
{
    QString userId;
    QString kind;
    bool liveOnly = true;
    int limit = 200;
    int offset = 0;
};

// Stores only HMAC-SHA256(server key, token): a copy of the database alone gives
// neither the tokens nor a way to test guesses offline.
class TokenStore
{
public:
    TokenStore(const Database &db, const Clock &clock, const Secrets &secrets,
               FreshCache<IssuedToken>::Options cache = FreshCache<IssuedToken>::Options());

    IssuedToken issue(const QString &kind, const QString &userId, QByteArrayView secret,
                      qint64 lifetimeMs, const QString &label = QString(),
                      const QString &data = QString());
    // The live token with this secret, if any; never one of another kind.
    // Token checks on every request use it: its rows are kept in this process for at most
    // the cache's maxAgeMs and forgotten by every revoke through this class (freshcache.h).
    std::optional<IssuedToken> findLive(const QString &kind, QByteArrayView secret) const;
    // The token with this secret, live or not (an import asks before storing one again).
    std::optional<IssuedToken> find(const QString &kind, QByteArrayView secret) const;
    std::optional<IssuedToken> byId(const QString &id) const;
    // byId() through the same cache, for a token check that names its session by id.
    std::optional<IssuedToken> current(const QString &id) const;
    // Drops the cached rows of one user's tokens (after a change made elsewhere, such as
    // Users::signOutEverywhere revoking them in its own statement).
    void forgetUser(const QString &userId) const;
    // Records use; writes at most once a minute per token.
    void touch(const IssuedToken &token);
    bool revoke(const QString &id);
    // Revokes a user's tokens (of one kind, or all when kind is empty), except one.
    int revokeAllForUser(const QString &userId, const QString &kind = QString(),
                         const QString &exceptId = QString());
    QList<IssuedToken> list(const TokenFilter &filter) const;
    qint64 count(const TokenFilter &filter) const;
    int purgeExpired(qint64 olderThanMs);
    QString hashOf(QByteArrayView secret) const;

private:
    std::optional<IssuedToken> findByHash(const QString &kind, const QString &hash) const;
    void forgetWhenWritten(const QString &tokenId) const;

    const Database &m_db;
    const Clock &m_clock;
    const Secrets &m_secrets;
    mutable FreshCache<IssuedToken> m_byHash; // kind + ':' + hash -> row
    mutable FreshCache<IssuedToken> m_byId;
};
