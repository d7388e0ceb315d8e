// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/migrations.h"

using namespace Qt::StringLiterals;

// The OpenID provider's shared state: registered clients, authorization requests in
// flight, the provider's browser sessions and the authorization codes. Everything a
// browser or a client holds is stored as its SHA-256 hex only (secrets, request ids,
// session cookies, codes), and everything lives in the database, so any instance can
// finish a flow another began. Signing keys, consents and tokens have their own
// migrations.
QStringList migration0011Oidc()
{
    return {
        u"CREATE TABLE oidc_clients ("
        u"  client_id TEXT PRIMARY KEY,"
        u"  name TEXT NOT NULL,"
        u"  secret_hash TEXT NOT NULL,"
        u"  redirect_uris TEXT NOT NULL,"
        u"  post_logout_redirect_uris TEXT NOT NULL,"
        u"  scopes TEXT NOT NULL,"
        u"  first_party INTEGER NOT NULL,"
        u"  is_public INTEGER NOT NULL,"
        u"  id_token_alg TEXT NOT NULL,"
        u"  require_pkce INTEGER NOT NULL DEFAULT 1,"
        u"  created_at BIGINT NOT NULL,"
        u"  updated_at BIGINT NOT NULL,"
        u"  secret_rotated_at BIGINT NOT NULL)"_s,
        u"CREATE TABLE oidc_requests ("
        u"  id_hash TEXT PRIMARY KEY,"
        u"  client_id TEXT NOT NULL REFERENCES oidc_clients(client_id) ON DELETE CASCADE,"
        u"  redirect_uri TEXT NOT NULL,"
        u"  scope TEXT NOT NULL,"
        u"  state TEXT NOT NULL,"
        u"  nonce TEXT NOT NULL,"
        u"  code_challenge TEXT NOT NULL,"
        u"  response_mode TEXT NOT NULL,"
        u"  prompt TEXT NOT NULL,"
        u"  max_age BIGINT NOT NULL,"
        u"  created_at BIGINT NOT NULL,"
        u"  expires_at BIGINT NOT NULL)"_s,
        u"CREATE INDEX oidc_requests_expires ON oidc_requests (expires_at)"_s,
        u"CREATE TABLE oidc_sessions ("
        u"  id_hash TEXT PRIMARY KEY,"
        u"  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
        u"  auth_time BIGINT NOT NULL,"
        u"  amr TEXT NOT NULL,"
        u"  sign_out_epoch BIGINT NOT NULL,"
        u"  created_at BIGINT NOT NULL,"
        u"  expires_at BIGINT NOT NULL)"_s,
        u"CREATE INDEX oidc_sessions_user ON oidc_sessions (user_id)"_s,
        u"CREATE INDEX oidc_sessions_expires ON oidc_sessions (expires_at)"_s,
        u"CREATE TABLE oidc_codes ("
        u"  code_hash TEXT PRIMARY KEY,"
        u"  client_id TEXT NOT NULL REFERENCES oidc_clients(client_id) ON DELETE CASCADE,"
        u"  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
        u"  redirect_uri TEXT NOT NULL,"
        u"  scope TEXT NOT NULL,"
        u"  nonce TEXT NOT NULL,"
        u"  code_challenge TEXT NOT NULL,"
        u"  session_id TEXT NOT NULL,"
        u"  auth_time BIGINT NOT NULL,"
        u"  amr TEXT NOT NULL,"
        u"  family_id TEXT NOT NULL,"
        u"  created_at BIGINT NOT NULL,"
        u"  expires_at BIGINT NOT NULL,"
        u"  used_at BIGINT NOT NULL)"_s,
        u"CREATE INDEX oidc_codes_expires ON oidc_codes (expires_at)"_s,
    };
}
