// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

// Cryptographically secure randomness (OpenSSL's RAND_bytes). Aborts rather than
// return weak bytes if the generator fails.
namespace Random {
[[nodiscard]] QByteArray bytes(int count);
[[nodiscard]] quint32 uniform(quint32 upperBound); // in [0, upperBound), no modulo bias
[[nodiscard]] QString digits(int count);           // decimal code, e.g. a 6-digit OTP
[[nodiscard]] QString urlToken(int byteCount);     // base64url without padding
} // namespace Random
