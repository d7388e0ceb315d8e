// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/migrations.h"

using namespace Qt::StringLiterals;

// Per-target limits on anonymous writes (one row per hashed email address or phone
// number and hour window), shared by every instance; and indexes the periodic purge
// uses to find expired rows without a scan.
QStringList migration0007Limits()
{
    return {
        u"CREATE TABLE rate_limits ("
        u"  subject TEXT PRIMARY KEY,"
        u"  window_start BIGINT NOT NULL,"
        u"  count INTEGER NOT NULL)"_s,
        u"CREATE INDEX rate_limits_window ON rate_limits (window_start)"_s,
        u"CREATE INDEX wallet_codes_expires ON wallet_codes (expires_at)"_s,
        u"CREATE INDEX account_otps_expires ON account_otps (expires_at)"_s,
        u"CREATE INDEX email_verifications_expires ON email_verifications (expires_at)"_s,
    };
}
