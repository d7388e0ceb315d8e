// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/migrations.h"

// Tables of the pin (seed 002) and device (seed 003) surfaces. Their tokens (refresh,
// device session) live in the shared issued_tokens table.
QStringList migration0003PinAndDevice()
{
    return {
        // PIN brute-force state, one row per "name:<name>" and per "ip:<address>": kept in
        // the database so a restart (or another instance) does not hand out fresh guesses.
        u"CREATE TABLE pin_lockouts ("
        "  subject TEXT PRIMARY KEY,"
        "  failures INTEGER NOT NULL,"
        "  locked_until BIGINT NOT NULL,"
        "  last_failure_at BIGINT NOT NULL)"_qs,
        u"CREATE INDEX pin_lockouts_locked ON pin_lockouts (locked_until)"_qs,
        // Device logins waiting for the emailed button press. Both the auth_id (what the
        // polling client holds) and the approval code (what the email holds) are stored as
        // hashes. user_id is empty for a decoy (wrong username/email pair): it behaves the
        // same to the caller and never mails anything.
        u"CREATE TABLE device_logins ("
        "  auth_hash TEXT PRIMARY KEY,"
        "  code_hash TEXT NOT NULL UNIQUE,"
        "  user_id TEXT NOT NULL,"
        "  username TEXT NOT NULL,"
        "  email TEXT NOT NULL,"
        "  platform TEXT NOT NULL,"
        "  ip TEXT NOT NULL,"
        "  created_at BIGINT NOT NULL,"
        "  expires_at BIGINT NOT NULL,"
        "  approved_at BIGINT NOT NULL DEFAULT 0,"
        "  denied_at BIGINT NOT NULL DEFAULT 0,"
        "  claimed_at BIGINT NOT NULL DEFAULT 0,"
        "  token_id TEXT NOT NULL DEFAULT '')"_qs,
        u"CREATE INDEX device_logins_username ON device_logins (username, created_at)"_qs,
        u"CREATE INDEX device_logins_expires ON device_logins (expires_at)"_qs,
        // Links that confirm an email address set through PUT /auth/me/email.
        u"CREATE TABLE email_verifications ("
        "  code_hash TEXT PRIMARY KEY,"
        "  user_id TEXT NOT NULL,"
        "  email TEXT NOT NULL,"
        "  created_at BIGINT NOT NULL,"
        "  expires_at BIGINT NOT NULL,"
        "  used_at BIGINT NOT NULL DEFAULT 0)"_qs,
        u"CREATE INDEX email_verifications_user ON email_verifications (user_id)"_qs,
    };
}
