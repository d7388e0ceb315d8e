// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"

#include <QStringList>

class Database;
class Secrets;

// The secrets whose values are baked into what the database holds (token hashes,
// sealed keys, JWTs, binding hashes): every instance on one database needs the same.
QStringList sharedSecretNames();

// A fingerprint of one secret that reveals nothing of it: HMAC-SHA256 keyed by the
// secret itself over its name, hex, 128 bits.
QString secretFingerprint(const QString &name, const QByteArray &value);

// Records the fingerprints in `meta` on the first start (first writer wins, safe under
// concurrent starts) and refuses, naming the secrets, when this instance's differ.
Result<Done> checkSharedSecrets(const Database &db, const Secrets &secrets);
