// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <optional>

using namespace Qt::StringLiterals;

class Clock;
class Database;

// One registered passkey (a WebAuthn credential) of an account user. Byte fields are
// base64url text; the public key is the COSE_Key exactly as the authenticator sent it.
struct Passkey
{
    QString credentialId; // base64url, unique across all users
    QString userId;
    QString factorId;   // its row in the user's second factors (Factors, kind "passkey")
    QString userHandle; // base64url: the WebAuthn user.id, random, one per user
    QString publicKey;  // base64url COSE_Key
    int alg = 0;        // COSE algorithm: -7 ES256, -8 EdDSA, -257 RS256
    qint64 signCount = 0;
    bool backupEligible = false;
    bool backupState = false;
    QString transports; // what the browser reported, comma-separated ("internal,hybrid")
    QString fmt;        // attestation format (not verified: attestation "none")
    QString aaguid;     // hex, 32 digits
    QString label;      // the person's name for it
    qint64 createdAt = 0;
    qint64 lastUsedAt = 0; // ms; 0 until the first sign-in
};

// The passkeys table. Every change is by credential id; the per-user calls take the
// owner too, so one user can never rename or remove another's passkey.
class Passkeys
{
public:
    static constexpr int kMaxLabel = 64;
    static constexpr int kMaxPerUser = 20;

    Passkeys(const Database &db, const Clock &clock);

    // Stores a new credential; false when its id is registered already (to anyone).
    [[nodiscard]] bool add(const Passkey &passkey);
    std::optional<Passkey> byCredentialId(const QString &credentialId) const;
    QList<Passkey> forUser(const QString &userId) const; // oldest first
    int countForUser(const QString &userId) const;
    // The user handle this user's passkeys share; empty when they have none yet.
    QString userHandle(const QString &userId) const;

    [[nodiscard]] bool rename(const QString &userId, const QString &credentialId,
                              const QString &label);
    [[nodiscard]] bool remove(const QString &userId, const QString &credentialId);
    // After a verified assertion: the new sign count and backup state, and when.
    void recordUse(const QString &credentialId, qint64 signCount, bool backupState);

private:
    const Database &m_db;
    const Clock &m_clock;
};
