// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/migrations.h"

using namespace Qt::StringLiterals;

// Tables of the account surface (seed 004) and the outbox every surface mails through.
// User API tokens live in issued_tokens (kind api_token), sealed in its data column.
QStringList migration0002Accounts()
{
    return {
        // Password-reset tokens already spent: single use across every instance.
        u"CREATE TABLE account_used_tokens ("
        u"  jti TEXT PRIMARY KEY,"
        u"  user_id TEXT NOT NULL,"
        u"  used_at BIGINT NOT NULL,"
        u"  expires_at BIGINT NOT NULL)"_s,
        u"CREATE INDEX account_used_tokens_expires ON account_used_tokens (expires_at)"_s,
        // Email verification codes: only a keyed hash of the code is kept.
        u"CREATE TABLE account_otps ("
        u"  id TEXT PRIMARY KEY,"
        u"  user_id TEXT NOT NULL,"
        u"  email TEXT NOT NULL,"
        u"  code_hash TEXT NOT NULL,"
        u"  attempts INTEGER NOT NULL DEFAULT 0,"
        u"  created_at BIGINT NOT NULL,"
        u"  expires_at BIGINT NOT NULL,"
        u"  consumed_at BIGINT NOT NULL DEFAULT 0)"_s,
        u"CREATE INDEX account_otps_user ON account_otps (user_id, created_at)"_s,
        // Every email and SMS, with its delivery state (queued, sending, sent, failed, held).
        u"CREATE TABLE outbox ("
        u"  id {{serial}},"
        u"  channel TEXT NOT NULL,"
        u"  recipient TEXT NOT NULL,"
        u"  subject TEXT NOT NULL,"
        u"  body TEXT NOT NULL,"
        u"  state TEXT NOT NULL,"
        u"  attempts INTEGER NOT NULL DEFAULT 0,"
        u"  last_error TEXT NOT NULL DEFAULT '',"
        u"  created_at BIGINT NOT NULL,"
        u"  next_attempt_at BIGINT NOT NULL DEFAULT 0,"
        u"  claimed_at BIGINT NOT NULL DEFAULT 0,"
        u"  sent_at BIGINT NOT NULL DEFAULT 0)"_s,
        u"CREATE INDEX outbox_due ON outbox (state, next_attempt_at)"_s,
        u"CREATE INDEX outbox_created ON outbox (created_at)"_s,
    };
}
