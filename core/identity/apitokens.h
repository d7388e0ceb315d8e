// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "identity/users.h"

#include <QList>
#include <QString>
#include <optional>

class Clock;
class Secrets;
class TokenStore;

struct ApiTokenInfo
{
    QString token; // the 10-character string
    QString userId;
    qint64 expiresAt = 0; // ms
};

// User API tokens of the account surface (seed 004): 10 base58 characters from 7
// random bytes, valid 15 days; used as signup referrer tokens. As in the origin,
// create-token hands back the newest token while it has more than 3 days left, and
// me/tokens lists the token strings. That needs the token back, yet we never store it
// in plaintext: TokenStore keeps the keyed hash (for lookup) and, in its data column,
// the token sealed with AES-256-GCM under a key derived from the wallet-seal secret.
class ApiTokens
{
public:
    static constexpr qint64 kDefaultLifetimeMs = 15LL * 24 * 3600 * 1000;
    static constexpr qint64 kReuseMarginMs = 3LL * 24 * 3600 * 1000;
    static constexpr int kLength = 10;

    ApiTokens(TokenStore &store, const Users &users, const Secrets &secrets, const Clock &clock,
              qint64 lifetimeMs = kDefaultLifetimeMs);

    // The newest live token with more than 3 days (a fifth of a shorter lifetime) left,
    // or a new one.
    QString createOrReuse(const User &user);
    // Stores a token made elsewhere (an origin import, docs/migrating.md) for `userId`,
    // hashed and sealed like one made here, valid until `expiresAtMs`. False when this
    // token string is already stored (a second import; also when revoked since).
    bool adopt(const QString &userId, const QString &token, qint64 expiresAtMs);
    // The owner of a live token, if that account is active.
    std::optional<User> activeOwner(const QString &token) const;
    // The user's tokens that are not revoked (expired ones too), newest expiry first.
    QList<ApiTokenInfo> list(const QString &userId) const;

    // 7 random bytes in base58, drawn again until it has 10 characters.
    static QString generate();

private:
    QByteArray sealKey() const;
    QString sealedData(const QString &token, const QString &userId) const;
    std::optional<QString> unseal(const QString &data, const QString &userId) const;

    TokenStore &m_store;
    const Users &m_users;
    const Secrets &m_secrets;
    const Clock &m_clock;
    qint64 m_lifetimeMs;
};
