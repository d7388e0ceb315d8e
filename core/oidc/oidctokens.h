// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>
#include <optional>

class Clock;
class Database;

// What every token of one grant shares: the family begins when a code is redeemed and
// lives on through each refresh. A reused code or a reused refresh token revokes the
// whole family.
struct TokenFamily
{
    QString familyId; // the code's (CodeGrant::familyId)
    QString clientId;
    QString userId;
    QString scope;           // granted at the code; a refresh token always keeps it
    QString sessionId;       // the provider session (sid)
    qint64 authTime = 0;     // ms
    QString amr;             // space-separated
    qint64 signOutEpoch = 0; // the user's tokensValidAfter when the family began
};

// One stored token (oidc_tokens), as the database holds it: never the token itself.
struct OidcToken
{
    enum class Kind { Access, Refresh };
    QString hash; // Digest::tokenHash
    Kind kind = Kind::Access;
    TokenFamily family;
    QString scope; // this token's own: an access token's may be narrower than the family's
    qint64 createdAt = 0;
    qint64 expiresAt = 0;
    qint64 usedAt = 0; // a refresh token rotated away
    qint64 revokedAt = 0;
};

// The OpenID provider's access and refresh tokens: opaque, 32 random bytes base64url,
// stored as SHA-256 hex. Every check reads the database (one statement joined with the
// user), so revocation, a disabled user, a sign-out everywhere and a removed client
// take effect at once on every instance.
class OidcTokens
{
public:
    struct Lifetimes
    {
        qint64 accessMs = 600'000;
        qint64 refreshMs = 30LL * 24 * 3600'000;
    };
    struct Issued
    {
        QString accessToken;
        qint64 accessExpiresAt = 0; // ms
        QString refreshToken;       // empty unless asked for
        QString scope;              // the access token's
        TokenFamily family;
    };

    OidcTokens(const Database &db, const Clock &clock);

    // An access token, and a refresh token when `withRefresh`, in `family`.
    Issued issue(const TokenFamily &family, bool withRefresh, const Lifetimes &lifetimes);

    enum class Outcome { Rotated, Unknown, Expired, Revoked, Reused, WrongClient, UserRefused };
    struct Refreshed
    {
        Outcome outcome = Outcome::Unknown;
        Issued issued;    // Rotated: new access and refresh tokens in the same family
        QString familyId; // Reused: the family that was revoked
    };
    // Rotates a refresh token of `clientId`: the presented one is marked used and a new
    // pair issued in its family, atomically across instances. A used one presented again
    // revokes the whole family (Reused). `scope` (already checked to narrow the family's)
    // is the new access token's; empty keeps the family's.
    Refreshed refresh(const QString &token, const QString &clientId, const QString &scope,
                      const Lifetimes &lifetimes);

    // The token when it can be used now: not expired, revoked nor rotated away, its user
    // there, enabled and not signed out everywhere since the family began.
    std::optional<OidcToken> active(const QString &token) const;
    // The row in any state (revocation looks up whose it is); nullopt when unknown.
    std::optional<OidcToken> find(const QString &token) const;
    // Revokes one token; a refresh token takes its family with it. Returns the rows revoked.
    int revoke(const OidcToken &token);
    int revokeFamily(const QString &familyId);
    int revokeForUser(const QString &userId);
    int purgeExpired(); // rows past expiry (used or revoked ones too)

private:
    std::optional<OidcToken> lookup(const QString &hash, bool joinUser) const;
    QString insert(const TokenFamily &family, OidcToken::Kind kind, const QString &scope,
                   qint64 expiresAt);
    const Database &m_db;
    const Clock &m_clock;
};
