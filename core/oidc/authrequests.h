// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <optional>

class Clock;
class Database;

// A validated authorization request waiting for the person to sign in or consent. The
// browser carries only its id (`request` in the sign-in and consent pages' URLs); the
// parameters stay here, so no page can alter them and any instance can continue.
struct AuthRequest
{
    QString id; // random, handed to the browser; stored as SHA-256 hex
    QString clientId;
    QString redirectUri;
    QString scope;         // requested and allowed, space-separated, includes openid
    QString state;         // echoed back verbatim, may be empty
    QString nonce;         // may be empty
    QString codeChallenge; // S256 only
    QString responseMode;  // "query" or "form_post"
    QString prompt;        // "", "none", "login", "consent" or "select_account"
    qint64 maxAgeSecs = -1;
    qint64 createdAt = 0;
    qint64 expiresAt = 0;
};

class AuthRequests
{
public:
    static constexpr qint64 kLifetimeMs = 15 * 60'000;

    AuthRequests(const Database &db, const Clock &clock);

    // Stores the request with a new id and times; returns it with both filled in.
    AuthRequest save(AuthRequest request);
    // nullopt when unknown or expired.
    std::optional<AuthRequest> byId(const QString &id) const;
    // Once answered (code issued, or refused): the id cannot be used again.
    void remove(const QString &id);
    int purgeExpired();

private:
    const Database &m_db;
    const Clock &m_clock;
};
