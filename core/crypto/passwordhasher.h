// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

// argon2id (libsodium), m = 19 MiB, t = 2, p = 1: the OWASP baseline. Each call costs
// tens of milliseconds on purpose, so callers run it on the worker pool, never on a
// listener thread.
namespace PasswordHasher {
[[nodiscard]] QString hash(QByteArrayView secret);
[[nodiscard]] bool verify(const QString &encoded, QByteArrayView secret);
// Spends the same time as a real verify; used when the account does not exist so
// that timing does not reveal which accounts do.
void verifyDummy(QByteArrayView secret);
} // namespace PasswordHasher
