// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/migrations.h"

using namespace Qt::StringLiterals;

// Passkeys (WebAuthn credentials) of account users, and the ceremonies in flight. A
// credential's public key is not a secret (stored as the authenticator encoded it, COSE,
// base64url); a ceremony's challenge and id are stored as SHA-256 hex only, so a read of
// the table cannot finish someone's ceremony. Ceremonies live in the database so any
// instance can finish one another began. Each passkey is one of the user's second factors
// (a `factors` row of kind "passkey", migration 0009): removing the factor removes it.
QStringList migration0010Passkeys()
{
    return {
        u"CREATE TABLE passkeys ("
        u"  credential_id TEXT PRIMARY KEY,"
        u"  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
        u"  factor_id TEXT NOT NULL REFERENCES factors(id) ON DELETE CASCADE,"
        u"  user_handle TEXT NOT NULL,"
        u"  public_key TEXT NOT NULL,"
        u"  alg INTEGER NOT NULL,"
        u"  sign_count BIGINT NOT NULL,"
        u"  backup_eligible INTEGER NOT NULL,"
        u"  backup_state INTEGER NOT NULL,"
        u"  transports TEXT NOT NULL,"
        u"  fmt TEXT NOT NULL,"
        u"  aaguid TEXT NOT NULL,"
        u"  label TEXT NOT NULL,"
        u"  created_at BIGINT NOT NULL,"
        u"  last_used_at BIGINT NOT NULL)"_s,
        u"CREATE INDEX passkeys_user ON passkeys (user_id)"_s,
        u"CREATE TABLE passkey_ceremonies ("
        u"  challenge_hash TEXT PRIMARY KEY,"
        u"  ceremony_hash TEXT NOT NULL UNIQUE,"
        u"  kind TEXT NOT NULL,"
        u"  user_id TEXT NOT NULL,"
        u"  user_handle TEXT NOT NULL,"
        u"  created_at BIGINT NOT NULL,"
        u"  expires_at BIGINT NOT NULL,"
        u"  used_at BIGINT NOT NULL)"_s,
        u"CREATE INDEX passkey_ceremonies_expires ON passkey_ceremonies (expires_at)"_s,
    };
}
