// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

// PBKDF2-HMAC-SHA256 (RFC 8018 §5.2), for PINs imported from Ambrosia POS, which derives
// 32 bytes with 10,000 iterations and the salt "its configured secret followed by the
// user id". Stored in passlib's pbkdf2_sha256 form, so any passlib can check it too:
//
//   $pbkdf2-sha256$<iterations>$<salt>$<hash>
//
// salt and hash in passlib's "adapted base64" (standard base64, '.' for '+', no '='
// padding). The salt is held in full, so no secret is needed at sign-in; the hash is
// 32 bytes. A PIN that verifies is re-hashed to argon2id right then (PinAuth::login).
namespace Pbkdf2Hash {

inline constexpr auto kPrefix = u"$pbkdf2-sha256$";
inline constexpr int kHashBytes = 32;
inline constexpr int kMaxIterations = 10'000'000; // a stored hash is never a denial of service

[[nodiscard]] QByteArray derive(QByteArrayView secret, QByteArrayView salt, int iterations,
                                int length = kHashBytes);
[[nodiscard]] QString encode(int iterations, QByteArrayView salt, QByteArrayView hash);
[[nodiscard]] bool isEncoded(const QString &encoded); // has the prefix
// Constant-time comparison; false for anything malformed.
[[nodiscard]] bool verify(const QString &encoded, QByteArrayView secret);

} // namespace Pbkdf2Hash
