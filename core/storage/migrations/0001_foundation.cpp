// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/migrations.h"

using namespace Qt::StringLiterals;

// Settings shared by every instance, namespaces and their Telegram bindings, the
// shared users table every surface builds on, and the audit log.
QStringList migration0001Foundation()
{
    return {
        u"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"_s,
        u"CREATE TABLE namespaces ("
        u"  id {{serial}},"
        u"  name TEXT NOT NULL UNIQUE,"
        u"  disabled INTEGER NOT NULL DEFAULT 0,"
        u"  created_at BIGINT NOT NULL,"
        u"  created_by TEXT NOT NULL,"
        u"  tokens_valid_after BIGINT NOT NULL DEFAULT 0)"_s,
        u"CREATE TABLE telegram_bindings ("
        u"  telegram_user_id TEXT PRIMARY KEY,"
        u"  namespace TEXT NOT NULL,"
        u"  secret_fingerprint TEXT NOT NULL,"
        u"  username TEXT,"
        u"  first_name TEXT,"
        u"  last_name TEXT,"
        u"  bound_at BIGINT NOT NULL)"_s,
        u"CREATE INDEX telegram_bindings_namespace ON telegram_bindings (namespace)"_s,
        u"CREATE TABLE users ("
        u"  id TEXT PRIMARY KEY,"
        u"  username TEXT UNIQUE,"
        u"  email TEXT UNIQUE,"
        u"  display_name TEXT,"
        u"  role TEXT NOT NULL DEFAULT 'user',"
        u"  is_admin INTEGER NOT NULL DEFAULT 0,"
        u"  password_hash TEXT,"
        u"  pin_hash TEXT,"
        u"  email_verified INTEGER NOT NULL DEFAULT 0,"
        u"  referrer_id TEXT,"
        u"  disabled INTEGER NOT NULL DEFAULT 0,"
        u"  created_at BIGINT NOT NULL,"
        u"  updated_at BIGINT NOT NULL,"
        u"  tokens_valid_after BIGINT NOT NULL DEFAULT 0)"_s,
        u"CREATE INDEX users_created_at ON users (created_at)"_s,
        // Every stateful token any surface hands out, stored as a keyed hash.
        u"CREATE TABLE issued_tokens ("
        u"  id TEXT PRIMARY KEY,"
        u"  kind TEXT NOT NULL,"
        u"  user_id TEXT NOT NULL,"
        u"  token_hash TEXT NOT NULL UNIQUE,"
        u"  label TEXT NOT NULL,"
        u"  data TEXT NOT NULL,"
        u"  created_at BIGINT NOT NULL,"
        u"  expires_at BIGINT NOT NULL,"
        u"  last_used_at BIGINT NOT NULL,"
        u"  revoked_at BIGINT NOT NULL DEFAULT 0)"_s,
        u"CREATE INDEX issued_tokens_user ON issued_tokens (user_id, kind)"_s,
        u"CREATE INDEX issued_tokens_expires ON issued_tokens (expires_at)"_s,
        u"CREATE TABLE audit_log ("
        u"  id {{serial}},"
        u"  at BIGINT NOT NULL,"
        u"  actor TEXT NOT NULL,"
        u"  action TEXT NOT NULL,"
        u"  subject TEXT NOT NULL,"
        u"  surface TEXT NOT NULL,"
        u"  ip TEXT NOT NULL,"
        u"  result TEXT NOT NULL,"
        u"  detail TEXT NOT NULL)"_s,
        u"CREATE INDEX audit_log_at ON audit_log (at)"_s,
    };
}
