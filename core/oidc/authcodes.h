// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

class Clock;
class Database;

// What an authorization code stands for: who signed in, for which client, and what the
// token endpoint must check (redirect URI, PKCE challenge) and put in the ID token.
struct CodeGrant
{
    QString clientId;
    QString userId;
    QString redirectUri;
    QString scope;         // granted scopes, space-separated
    QString nonce;         // empty when the request had none
    QString codeChallenge; // S256 (base64url SHA-256 of the verifier)
    QString sessionId;     // the provider session (OpSession::id) it came from
    qint64 authTime = 0;   // ms: when the person signed in
    QString amr;           // how, space-separated RFC 8176 values: pwd otp mfa hwk swk
    QString familyId;      // set by issue(): the tokens this code yields share it
};

// One-time authorization codes (oidc_codes), stored as SHA-256 hex. A code lives 60 s;
// a used one is kept until it would have expired, so its reuse is recognised (RFC 6749
// 4.1.2: the tokens issued from it are then revoked by the caller, by family).
class AuthCodes
{
public:
    static constexpr qint64 kLifetimeMs = 60'000;

    AuthCodes(const Database &db, const Clock &clock);

    // Stores the grant under a new random family id; returns the code (43 characters).
    QString issue(CodeGrant grant);

    enum class Outcome { Granted, Unknown, Expired, Reused };
    struct Redeemed
    {
        Outcome outcome = Outcome::Unknown;
        CodeGrant grant; // for Granted, and for Reused (its familyId to revoke)
    };
    // Marks the code used, atomically across instances: of two concurrent redemptions
    // exactly one is Granted. The caller then checks client, redirect URI and verifier.
    Redeemed redeem(const QString &code);
    int purgeExpired(); // rows past expiry (used or not)

private:
    const Database &m_db;
    const Clock &m_clock;
};
