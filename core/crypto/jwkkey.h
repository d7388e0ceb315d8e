// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// JWKs to OpenSSL keys and ES256's signature encoding, shared by the JWS verifier and
// signer. Private to core/crypto (it hands out OpenSSL handles).

#include "crypto/opensslhandle.h"

#include <QByteArray>
#include <QJsonObject>

namespace JwkKey {
enum class Part { Public, Private };

// RSA (n, e; RSA >= 2048 bits) or, with Part::Private, also d, p, q, dp, dq, qi.
[[nodiscard]] OpenSsl::PKey rsa(const QJsonObject &jwk, Part part = Part::Public);
// EC P-256 (crv, x, y; the point must be on the curve) or, with Part::Private, also d.
[[nodiscard]] OpenSsl::PKey ec(const QJsonObject &jwk, Part part = Part::Public);

// JWS ES256 carries r || s (32 bytes each); OpenSSL reads and writes DER.
[[nodiscard]] QByteArray rawToDer(QByteArrayView raw);
[[nodiscard]] QByteArray derToRaw(QByteArrayView der);
} // namespace JwkKey
