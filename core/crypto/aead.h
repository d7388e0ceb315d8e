// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <optional>

// AES-256-GCM (OpenSSL EVP) for data at rest, e.g. embedded wallet keys. The sealed
// form is version byte (1) || 12-byte random nonce || ciphertext || 16-byte tag;
// `aad` is authenticated but not stored (bind the ciphertext to its row).
namespace Aead {
constexpr int kKeySize = 32;

// Empty when the key is not 32 bytes.
[[nodiscard]] QByteArray seal(QByteArrayView key, QByteArrayView plaintext, QByteArrayView aad);
// nullopt when the key, the aad or any byte of `sealed` is wrong.
[[nodiscard]] std::optional<QByteArray> open(QByteArrayView key, QByteArrayView sealed,
                                             QByteArrayView aad);
} // namespace Aead
