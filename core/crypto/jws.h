// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <memory>

// Compact JWS signed by a third party (OIDC id_tokens, Sign in with Apple identity
// tokens), checked against that party's JWKS. Only RS256 (RSA >= 2048 bits) and ES256
// (P-256) are accepted: `alg: none`, HS256 and everything else are refused, and the
// key must match the algorithm (an RSA key never checks an ES256 token).
namespace Jws {
struct Verified
{
    QJsonObject header;
    QJsonObject payload;
};

// The token's header `kid`, empty if absent or malformed.
[[nodiscard]] QString keyId(QByteArrayView token);
// Whether `jwks` ({"keys": [...]}) holds a key with this kid.
[[nodiscard]] bool hasKey(const QJsonObject &jwks, const QString &kid);
// Checks only the signature; the caller checks iss, aud, exp and the rest.
[[nodiscard]] Result<Verified> verify(QByteArrayView token, const QJsonObject &jwks);
} // namespace Jws

// A private key that signs compact JWS (RS256 or ES256): the test suites' stand-in for
// an identity provider, and the basis for an asymmetric signing key later.
class JwsSigner
{
public:
    enum class Algorithm { RS256, ES256 };

    [[nodiscard]] static JwsSigner generate(Algorithm algorithm, const QString &kid);
    // {"kty", "kid", "use": "sig", "alg", and n/e or crv/x/y}
    [[nodiscard]] QJsonObject publicJwk() const;
    // Header {"alg", "kid", "typ": "JWT"} merged with `extraHeader` (which may override).
    [[nodiscard]] QByteArray sign(const QJsonObject &payload,
                                  const QJsonObject &extraHeader = {}) const;
    QString kid() const { return m_kid; }
    Algorithm algorithm() const { return m_algorithm; }

private:
    JwsSigner() = default;
    std::shared_ptr<void> m_key; // EVP_PKEY
    Algorithm m_algorithm = Algorithm::RS256;
    QString m_kid;
};
