// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <optional>

// secp256k1 ECDSA through libsecp256k1 (with its recovery module): Ethereum wallets
// and the public-key recovery that checks an EIP-191 personal_sign signature.
namespace Secp256k1 {
constexpr int kSecretSize = 32;
constexpr int kUncompressedSize = 65; // 0x04 || X || Y
constexpr int kRecoverableSize = 65;  // r || s || recovery id (0..3)

struct KeyPair
{
    QByteArray secret;    // 32 bytes
    QByteArray publicKey; // uncompressed, 65 bytes
};

[[nodiscard]] KeyPair generate();
// Empty publicKey when the secret is not a valid scalar.
[[nodiscard]] KeyPair fromSecret(QByteArrayView secret);
// Deterministic (RFC 6979) recoverable signature of a 32-byte hash: r || s || recid.
// Empty on bad input.
[[nodiscard]] QByteArray signRecoverable(QByteArrayView secret, QByteArrayView hash32);
// The uncompressed public key that made `signature` (r || s || recid, recid 0..3)
// over `hash32`, if any.
[[nodiscard]] std::optional<QByteArray> recover(QByteArrayView hash32, QByteArrayView signature);
} // namespace Secp256k1
