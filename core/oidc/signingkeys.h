// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "crypto/jws.h"

#include <QJsonObject>
#include <QList>
#include <QMutex>
#include <QString>
#include <atomic>
#include <memory>
#include <optional>

class Clock;
class Database;
class Secrets;

// The provider's asymmetric signing keys: one current key per algorithm (RS256, which
// OIDC requires, and ES256). ID tokens are signed with the current key; rotate() makes
// a new current key and keeps the previous one published in the JWKS for an overlap
// window, so tokens signed just before a rotation still verify.
//
// Keys live in the oidc_keys table (migration 0012), so every instance signs with the
// same keys: the public JWK in clear, the private JWK sealed with AES-256-GCM (aad =
// kid) under a key derived by HMAC from the wallet-seal-key secret. Each instance keeps
// the table in memory and reads it again when its copy is older than kFreshMs, so a
// rotation by the CLI or another instance is picked up within seconds while sign() and
// jwks() run no SQL in between. Thread-safe.
class SigningKeys
{
public:
    using Algorithm = JwsSigner::Algorithm;
    struct KeyInfo
    {
        QString kid;
        QString alg;               // "RS256" or "ES256"
        qint64 createdAt = 0;      // ms
        qint64 retiredAt = 0;      // ms; 0 while current
        qint64 publishedUntil = 0; // ms; retiredAt + overlap, 0 while current
    };
    static constexpr qint64 kFreshMs = 5'000;
    static constexpr qint64 kDefaultOverlapMs = 24LL * 3'600'000;

    SigningKeys(const Database &db, const Clock &clock, const Secrets &secrets);
    ~SigningKeys();

    // How long a retired key stays in the JWKS (setting oidc/key_overlap_hours).
    void setOverlapMs(qint64 ms) { m_overlapMs = ms; }
    qint64 overlapMs() const { return m_overlapMs; }

    // A compact JWS of `payload` with the current key of `alg` (created on first use),
    // header {"alg", "kid", "typ": "JWT"}. Throws Refusal (NotConfigured) when the key
    // cannot be opened (another wallet-seal-key sealed it), StorageError on the database.
    QByteArray sign(const QJsonObject &payload, Algorithm alg = Algorithm::RS256) const;
    // {"keys": [...]}: every current key (created on first use) and every retired key
    // still in its overlap; public parameters only.
    QJsonObject jwks() const;
    QList<KeyInfo> list() const; // newest first, every stored key
    // A new current key for each algorithm; the previous ones are retired now. Returns
    // the new keys.
    QList<KeyInfo> rotate();
    int purgeRetired(); // retired keys past the overlap window
    // Forgets the in-memory copy: the next call reads the table.
    void reload() const;

private:
    struct Entry;
    struct Snapshot;

    std::shared_ptr<const Snapshot> snapshot() const;
    std::shared_ptr<const Snapshot> load(const std::shared_ptr<const Snapshot> &previous) const;
    std::optional<JwsSigner> open(const QString &kid, const QString &sealed) const;
    void createCurrent(Algorithm alg) const;
    void refuseIfUnopened() const;
    QByteArray sealKey() const;
    void insert(const JwsSigner &signer, qint64 now) const;
    KeyInfo info(const QString &kid, const QString &alg, qint64 createdAt, qint64 retiredAt) const;

    const Database &m_db;
    const Clock &m_clock;
    const Secrets &m_secrets;
    std::atomic<qint64> m_overlapMs{kDefaultOverlapMs};
    mutable QMutex m_lock;
    mutable std::shared_ptr<const Snapshot> m_snapshot; // under m_lock
};
