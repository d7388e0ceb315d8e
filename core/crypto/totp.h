// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <optional>

// One-time passwords: HOTP (RFC 4226) and TOTP (RFC 6238) over OpenSSL's HMAC, and the
// base32 (RFC 4648) authenticator apps use for the shared secret.
namespace Totp {
enum class Hash { Sha1, Sha256, Sha512 };
constexpr qint64 kPeriodSecs = 30;
constexpr int kDigits = 6;

// The `digits`-digit HOTP value of `counter`, zero-padded.
[[nodiscard]] QString hotp(QByteArrayView key, quint64 counter, int digits = kDigits,
                           Hash hash = Hash::Sha1);
// The time step of a Unix time (T0 = 0).
[[nodiscard]] quint64 step(qint64 unixSecs, qint64 periodSecs = kPeriodSecs);
// The TOTP value at a Unix time.
[[nodiscard]] QString at(QByteArrayView key, qint64 unixSecs, int digits = kDigits,
                         Hash hash = Hash::Sha1);
// The step among now-1, now, now+1 whose code equals `code` (constant-time compares),
// nullopt when none does. Only digits of the right length can match.
[[nodiscard]] std::optional<quint64> matchingStep(QByteArrayView key, const QString &code,
                                                  qint64 unixSecs);

[[nodiscard]] QString base32(QByteArrayView bytes); // upper case, no padding
// Case and spaces ignored, padding optional; nullopt on any other character.
[[nodiscard]] std::optional<QByteArray> fromBase32(const QString &text);
} // namespace Totp
