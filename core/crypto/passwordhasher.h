// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

// argon2id (libsodium), m = 19 MiB, t = 2, p = 1: the OWASP baseline. Each call costs
// tens of milliseconds on purpose, so callers run it on the worker pool, never on a
// listener thread.
//
// verify() also accepts hashes imported from the origin servers (docs/migrating.md):
// any argon2id or argon2i PHC string libsodium accepts, with its own parameters
// (lightnovel-crawler's passlib writes m=100 MiB, p=8). Such a hash needsRehash(), and
// the caller stores hash(secret) right after the first successful verify.
namespace PasswordHasher {
[[nodiscard]] QString hash(QByteArrayView secret);
[[nodiscard]] bool verify(const QString &encoded, QByteArrayView secret);
// True when `encoded` is not an argon2id hash with exactly Gatehouse's parameters.
[[nodiscard]] bool needsRehash(const QString &encoded);
// Spends the same time as a real verify; used when the account does not exist so
// that timing does not reveal which accounts do.
void verifyDummy(QByteArrayView secret);
} // namespace PasswordHasher
