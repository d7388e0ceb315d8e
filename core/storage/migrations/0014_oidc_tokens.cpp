// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/migrations.h"

using namespace Qt::StringLiterals;

// The OpenID provider's access and refresh tokens (core/oidc/oidctokens.h), stored as
// SHA-256 hex. Every token of one grant shares a family id (the code's), so a reused code
// or a reused refresh token revokes them all in one statement. sign_out_epoch is the
// user's tokens_valid_after when the family began: a later sign-out everywhere refuses
// the whole family. Removing a client or a user removes its tokens.
QStringList migration0014OidcTokens()
{
    return {
        u"CREATE TABLE oidc_tokens ("
        u"  token_hash TEXT PRIMARY KEY,"
        u"  kind TEXT NOT NULL,"
        u"  family_id TEXT NOT NULL,"
        u"  client_id TEXT NOT NULL REFERENCES oidc_clients(client_id) ON DELETE CASCADE,"
        u"  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
        u"  scope TEXT NOT NULL,"
        u"  session_id TEXT NOT NULL,"
        u"  auth_time BIGINT NOT NULL,"
        u"  amr TEXT NOT NULL,"
        u"  sign_out_epoch BIGINT NOT NULL,"
        u"  created_at BIGINT NOT NULL,"
        u"  expires_at BIGINT NOT NULL,"
        u"  used_at BIGINT NOT NULL,"
        u"  revoked_at BIGINT NOT NULL)"_s,
        u"CREATE INDEX oidc_tokens_family ON oidc_tokens (family_id)"_s,
        u"CREATE INDEX oidc_tokens_user ON oidc_tokens (user_id)"_s,
        u"CREATE INDEX oidc_tokens_expires ON oidc_tokens (expires_at)"_s,
    };
}
