// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/migrations.h"

using namespace Qt::StringLiterals;

// Tables of the pin (seed 002) and device (seed 003) surfaces. Their tokens (refresh,
// device session) live in the shared issued_tokens table.
QStringList migration0003PinAndDevice()
{
    return {
        // PIN brute-force state, one row per "name:<name>" and per "ip:<address>": kept in
        // the database so a restart (or another instance) does not hand out fresh guesses.
        u"CREATE TABLE pin_lockouts ("
        u"  subject TEXT PRIMARY KEY,"
        u"  failures INTEGER NOT NULL,"
        u"  locked_until BIGINT NOT NULL,"
        u"  last_failure_at BIGINT NOT NULL)"_s,
        u"CREATE INDEX pin_lockouts_locked ON pin_lockouts (locked_until)"_s,
        // Device logins waiting for the emailed button press. Both the auth_id (what the
        // polling client holds) and the approval code (what the email holds) are stored as
        // hashes. user_id is empty for a decoy (wrong username/email pair): it behaves the
        // same to the caller and never mails anything.
        u"CREATE TABLE device_logins ("
        u"  auth_hash TEXT PRIMARY KEY,"
        u"  code_hash TEXT NOT NULL UNIQUE,"
        u"  user_id TEXT NOT NULL,"
        u"  username TEXT NOT NULL,"
        u"  email TEXT NOT NULL,"
        u"  platform TEXT NOT NULL,"
        u"  ip TEXT NOT NULL,"
        u"  created_at BIGINT NOT NULL,"
        u"  expires_at BIGINT NOT NULL,"
        u"  approved_at BIGINT NOT NULL DEFAULT 0,"
        u"  denied_at BIGINT NOT NULL DEFAULT 0,"
        u"  claimed_at BIGINT NOT NULL DEFAULT 0,"
        u"  token_id TEXT NOT NULL DEFAULT '')"_s,
        u"CREATE INDEX device_logins_username ON device_logins (username, created_at)"_s,
        u"CREATE INDEX device_logins_expires ON device_logins (expires_at)"_s,
        // Links that confirm an email address set through PUT /auth/me/email.
        u"CREATE TABLE email_verifications ("
        u"  code_hash TEXT PRIMARY KEY,"
        u"  user_id TEXT NOT NULL,"
        u"  email TEXT NOT NULL,"
        u"  created_at BIGINT NOT NULL,"
        u"  expires_at BIGINT NOT NULL,"
        u"  used_at BIGINT NOT NULL DEFAULT 0)"_s,
        u"CREATE INDEX email_verifications_user ON email_verifications (user_id)"_s,
    };
}
