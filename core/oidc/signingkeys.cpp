// SPDX-License-Identifier: GPL-3.0-or-later
#include "oidc/signingkeys.h"

#include "clock.h"
#include "crypto/random.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

// PLACEHOLDER until the keys helper lands: keys live in memory only and are never
// retired. The persistent, sealed, rotated implementation replaces this file.

SigningKeys::SigningKeys(const Database &db, const Clock &clock, const Secrets &secrets)
    : m_db(db), m_clock(clock), m_secrets(secrets)
{}

QByteArray SigningKeys::sign(const QJsonObject &payload, Algorithm alg) const
{
    QMutexLocker locker(&m_lock);
    for (const auto &[info, signer] : m_keys)
        if (signer.algorithm() == alg && info.retiredAt == 0)
            return signer.sign(payload);
    KeyInfo info{Random::urlToken(12), alg == Algorithm::RS256 ? u"RS256"_s : u"ES256"_s,
                 m_clock.nowMs(), 0};
    m_keys.append({info, JwsSigner::generate(alg, info.kid)});
    return m_keys.last().second.sign(payload);
}

QJsonObject SigningKeys::jwks() const
{
    QMutexLocker locker(&m_lock);
    QJsonArray keys;
    for (const auto &entry : m_keys)
        keys.append(entry.second.publicJwk());
    return {{u"keys"_s, keys}};
}

QList<SigningKeys::KeyInfo> SigningKeys::list() const
{
    QMutexLocker locker(&m_lock);
    QList<KeyInfo> out;
    for (const auto &entry : m_keys)
        out.prepend(entry.first);
    return out;
}

QList<SigningKeys::KeyInfo> SigningKeys::rotate()
{
    return {};
}

int SigningKeys::purgeRetired()
{
    return 0;
}
