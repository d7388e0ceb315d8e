// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/migrations.h"

// Tables of the account surface (seed 004) and the outbox every surface mails through.
// User API tokens live in issued_tokens (kind api_token), sealed in its data column.
QStringList migration0002Accounts()
{
    return {
        // Password-reset tokens already spent: single use across every instance.
        u"CREATE TABLE account_used_tokens ("
        "  jti TEXT PRIMARY KEY,"
        "  user_id TEXT NOT NULL,"
        "  used_at BIGINT NOT NULL,"
        "  expires_at BIGINT NOT NULL)"_qs,
        u"CREATE INDEX account_used_tokens_expires ON account_used_tokens (expires_at)"_qs,
        // Email verification codes: only a keyed hash of the code is kept.
        u"CREATE TABLE account_otps ("
        "  id TEXT PRIMARY KEY,"
        "  user_id TEXT NOT NULL,"
        "  email TEXT NOT NULL,"
        "  code_hash TEXT NOT NULL,"
        "  attempts INTEGER NOT NULL DEFAULT 0,"
        "  created_at BIGINT NOT NULL,"
        "  expires_at BIGINT NOT NULL,"
        "  consumed_at BIGINT NOT NULL DEFAULT 0)"_qs,
        u"CREATE INDEX account_otps_user ON account_otps (user_id, created_at)"_qs,
        // Every email and SMS, with its delivery state (queued, sending, sent, failed, held).
        u"CREATE TABLE outbox ("
        "  id {{serial}},"
        "  channel TEXT NOT NULL,"
        "  recipient TEXT NOT NULL,"
        "  subject TEXT NOT NULL,"
        "  body TEXT NOT NULL,"
        "  state TEXT NOT NULL,"
        "  attempts INTEGER NOT NULL DEFAULT 0,"
        "  last_error TEXT NOT NULL DEFAULT '',"
        "  created_at BIGINT NOT NULL,"
        "  next_attempt_at BIGINT NOT NULL DEFAULT 0,"
        "  claimed_at BIGINT NOT NULL DEFAULT 0,"
        "  sent_at BIGINT NOT NULL DEFAULT 0)"_qs,
        u"CREATE INDEX outbox_due ON outbox (state, next_attempt_at)"_qs,
        u"CREATE INDEX outbox_created ON outbox (created_at)"_qs,
    };
}
