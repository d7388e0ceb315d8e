// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>

// Ed25519 (RFC 8032) through OpenSSL's EVP interface: Solana wallets and the
// signatures Phantom/OKX produce over a sign-in message.
namespace Ed25519 {
constexpr int kSeedSize = 32;
constexpr int kPublicKeySize = 32;
constexpr int kSignatureSize = 64;

struct KeyPair
{
    QByteArray seed;      // the 32-byte private key (RFC 8032 "secret key")
    QByteArray publicKey; // 32 bytes
};

[[nodiscard]] KeyPair generate();
// Empty publicKey when the seed is not 32 bytes.
[[nodiscard]] KeyPair fromSeed(QByteArrayView seed);
// Empty when the seed is not 32 bytes.
[[nodiscard]] QByteArray sign(QByteArrayView seed, QByteArrayView message);
[[nodiscard]] bool verify(QByteArrayView publicKey, QByteArrayView message,
                          QByteArrayView signature);
} // namespace Ed25519
