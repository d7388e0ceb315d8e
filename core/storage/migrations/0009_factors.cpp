// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/migrations.h"

using namespace Qt::StringLiterals;

// Second factors: a user's TOTP authenticators and passkeys (the TOTP secret sealed,
// base64 of Aead::seal, with the last accepted time step so a code is good once), their
// recovery codes (keyed hashes, each spent once) and the pending second steps of
// sign-ins (the challenge token's hash, its tries, its life).
QStringList migration0009Factors()
{
    return {
        u"CREATE TABLE factors ("
        u"  id TEXT PRIMARY KEY,"
        u"  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
        u"  kind TEXT NOT NULL,"
        u"  label TEXT NOT NULL,"
        u"  secret_sealed TEXT NOT NULL,"
        u"  last_step BIGINT NOT NULL,"
        u"  confirm_tries INTEGER NOT NULL,"
        u"  created_at BIGINT NOT NULL,"
        u"  confirmed_at BIGINT NOT NULL,"
        u"  last_used_at BIGINT NOT NULL)"_s,
        u"CREATE INDEX factors_user ON factors (user_id)"_s,
        u"CREATE TABLE recovery_codes ("
        u"  id {{serial}},"
        u"  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
        u"  code_hash TEXT NOT NULL,"
        u"  created_at BIGINT NOT NULL,"
        u"  used_at BIGINT NOT NULL)"_s,
        u"CREATE INDEX recovery_codes_user ON recovery_codes (user_id)"_s,
        u"CREATE TABLE second_steps ("
        u"  token_hash TEXT PRIMARY KEY,"
        u"  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
        u"  purpose TEXT NOT NULL,"
        u"  tries INTEGER NOT NULL,"
        u"  created_at BIGINT NOT NULL,"
        u"  expires_at BIGINT NOT NULL,"
        u"  finished_at BIGINT NOT NULL)"_s,
        u"CREATE INDEX second_steps_user ON second_steps (user_id, created_at)"_s,
        u"CREATE INDEX second_steps_expires ON second_steps (expires_at)"_s,
    };
}
