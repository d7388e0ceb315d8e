// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "crypto/jws.h"

#include <QJsonObject>
#include <QList>
#include <QMutex>
#include <QString>
#include <optional>

class Clock;
class Database;
class Secrets;

// The provider's asymmetric signing keys: one current key per algorithm (RS256, which
// OIDC requires, and ES256). ID tokens are signed with the current key; rotate() makes
// a new current key and keeps the previous one published in the JWKS for an overlap
// window, so tokens signed just before a rotation still verify.
class SigningKeys
{
public:
    using Algorithm = JwsSigner::Algorithm;
    struct KeyInfo
    {
        QString kid;
        QString alg;          // "RS256" or "ES256"
        qint64 createdAt = 0; // ms
        qint64 retiredAt = 0; // ms; 0 while current
    };

    SigningKeys(const Database &db, const Clock &clock, const Secrets &secrets);

    // A compact JWS of `payload` with the current key of `alg` (created on first use),
    // header {"alg", "kid", "typ": "JWT"}.
    QByteArray sign(const QJsonObject &payload, Algorithm alg = Algorithm::RS256) const;
    // {"keys": [...]}: every current key and every retired key still in its overlap.
    QJsonObject jwks() const;
    QList<KeyInfo> list() const; // newest first
    // A new current key for each algorithm; returns them.
    QList<KeyInfo> rotate();
    int purgeRetired(); // retired keys past the overlap window

private:
    const Database &m_db;
    const Clock &m_clock;
    const Secrets &m_secrets;
    mutable QMutex m_lock;
    mutable QList<std::pair<KeyInfo, JwsSigner>> m_keys; // placeholder: memory only
};
