// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"

#include <QByteArrayView>

// COSE_Key (RFC 9052 §7, RFC 9053, RFC 8230) credential public keys as WebAuthn carries
// them, turned into OpenSSL keys inside the .cpp. Only three kinds are accepted, each
// with its one algorithm: EC2 P-256 with ES256, OKP Ed25519 with EdDSA, RSA of 2048 to
// 4096 bits with RS256. Refusals name the COSE label that was wrong in `detail`.
namespace CoseKey {
constexpr qint64 kES256 = -7;
constexpr qint64 kEdDSA = -8;
constexpr qint64 kRS256 = -257;

// The key's algorithm, once the whole key has been read and built (an EC point must be
// on the curve). `cose` must be exactly one CBOR map.
[[nodiscard]] Result<qint64> algorithm(QByteArrayView cose);

// Checks `signature` over `message`: ES256 takes an ASN.1 DER ECDSA signature over
// SHA-256, EdDSA a 64-byte Ed25519 signature over the message itself, RS256 an
// RSASSA-PKCS1-v1_5 SHA-256 signature as long as the modulus.
[[nodiscard]] Result<Done> verify(QByteArrayView cose, QByteArrayView message,
                                  QByteArrayView signature);
} // namespace CoseKey
