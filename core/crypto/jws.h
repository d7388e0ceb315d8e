// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <memory>
#include <optional>

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
// The same checks for a payload that need not be a JSON object (RFC 7520's examples
// sign plain text); returns the payload's bytes.
[[nodiscard]] Result<QByteArray> verifyBytes(QByteArrayView token, const QJsonObject &jwks);
} // namespace Jws

// A private key that signs compact JWS (RS256 or ES256): the test suites' stand-in for
// an identity provider, and the basis for an asymmetric signing key later.
class JwsSigner
{
public:
    enum class Algorithm { RS256, ES256 };

    [[nodiscard]] static JwsSigner generate(Algorithm algorithm, const QString &kid);
    // A private JWK: RSA (n, e, d, p, q, dp, dq, qi) or EC P-256 (x, y, d); RS256 for RSA,
    // ES256 for EC, the kid from the JWK. Empty for anything else.
    [[nodiscard]] static std::optional<JwsSigner> fromPrivateJwk(const QJsonObject &jwk);

    JwsSigner(const JwsSigner &other);
    JwsSigner(JwsSigner &&other) noexcept;
    JwsSigner &operator=(const JwsSigner &other);
    JwsSigner &operator=(JwsSigner &&other) noexcept;
    ~JwsSigner();

    // {"kty", "kid", "use": "sig", "alg", and n/e or crv/x/y}
    [[nodiscard]] QJsonObject publicJwk() const;
    // publicJwk() plus the private parameters (RSA d, p, q, dp, dq, qi; EC d): what
    // fromPrivateJwk() reads back. Secret: seal it before it is stored anywhere.
    [[nodiscard]] QJsonObject privateJwk() const;
    // Header {"alg", "kid", "typ": "JWT"} merged with `extraHeader` (which may override).
    [[nodiscard]] QByteArray sign(const QJsonObject &payload,
                                  const QJsonObject &extraHeader = {}) const;
    // The JWS Signature of a signing input (header.payload, both base64url), not encoded:
    // RSASSA-PKCS1-v1_5 for RS256, r || s for ES256. Empty on failure.
    [[nodiscard]] QByteArray signInput(QByteArrayView input) const;
    QString kid() const { return m_kid; }
    Algorithm algorithm() const { return m_algorithm; }

private:
    struct Key; // the OpenSSL key, out of this header
    JwsSigner();
    std::unique_ptr<Key> m_key;
    Algorithm m_algorithm = Algorithm::RS256;
    QString m_kid;
};
