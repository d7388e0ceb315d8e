// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/migrations.h"

// Settings shared by every instance, namespaces and their Telegram bindings, the
// shared users table every surface builds on, and the audit log.
QStringList migration0001Foundation()
{
    return {
        u"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"_qs,
        u"CREATE TABLE namespaces ("
        "  id {{serial}},"
        "  name TEXT NOT NULL UNIQUE,"
        "  disabled INTEGER NOT NULL DEFAULT 0,"
        "  created_at BIGINT NOT NULL,"
        "  created_by TEXT NOT NULL,"
        "  tokens_valid_after BIGINT NOT NULL DEFAULT 0)"_qs,
        u"CREATE TABLE telegram_bindings ("
        "  telegram_user_id TEXT PRIMARY KEY,"
        "  namespace TEXT NOT NULL,"
        "  secret_fingerprint TEXT NOT NULL,"
        "  username TEXT,"
        "  first_name TEXT,"
        "  last_name TEXT,"
        "  bound_at BIGINT NOT NULL)"_qs,
        u"CREATE INDEX telegram_bindings_namespace ON telegram_bindings (namespace)"_qs,
        u"CREATE TABLE users ("
        "  id TEXT PRIMARY KEY,"
        "  username TEXT UNIQUE,"
        "  email TEXT UNIQUE,"
        "  display_name TEXT,"
        "  role TEXT NOT NULL DEFAULT 'user',"
        "  is_admin INTEGER NOT NULL DEFAULT 0,"
        "  password_hash TEXT,"
        "  pin_hash TEXT,"
        "  email_verified INTEGER NOT NULL DEFAULT 0,"
        "  referrer_id TEXT,"
        "  disabled INTEGER NOT NULL DEFAULT 0,"
        "  created_at BIGINT NOT NULL,"
        "  updated_at BIGINT NOT NULL,"
        "  tokens_valid_after BIGINT NOT NULL DEFAULT 0)"_qs,
        u"CREATE INDEX users_created_at ON users (created_at)"_qs,
        // Every stateful token any surface hands out, stored as a keyed hash.
        u"CREATE TABLE issued_tokens ("
        "  id TEXT PRIMARY KEY,"
        "  kind TEXT NOT NULL,"
        "  user_id TEXT NOT NULL,"
        "  token_hash TEXT NOT NULL UNIQUE,"
        "  label TEXT NOT NULL,"
        "  data TEXT NOT NULL,"
        "  created_at BIGINT NOT NULL,"
        "  expires_at BIGINT NOT NULL,"
        "  last_used_at BIGINT NOT NULL,"
        "  revoked_at BIGINT NOT NULL DEFAULT 0)"_qs,
        u"CREATE INDEX issued_tokens_user ON issued_tokens (user_id, kind)"_qs,
        u"CREATE INDEX issued_tokens_expires ON issued_tokens (expires_at)"_qs,
        u"CREATE TABLE audit_log ("
        "  id {{serial}},"
        "  at BIGINT NOT NULL,"
        "  actor TEXT NOT NULL,"
        "  action TEXT NOT NULL,"
        "  subject TEXT NOT NULL,"
        "  surface TEXT NOT NULL,"
        "  ip TEXT NOT NULL,"
        "  result TEXT NOT NULL,"
        "  detail TEXT NOT NULL)"_qs,
        u"CREATE INDEX audit_log_at ON audit_log (at)"_qs,
    };
}
