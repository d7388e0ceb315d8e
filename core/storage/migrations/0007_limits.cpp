// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/migrations.h"

// Per-target limits on anonymous writes (one row per hashed email address or phone
// number and hour window), shared by every instance; and indexes the periodic purge
// uses to find expired rows without a scan.
QStringList migration0007Limits()
{
    return {
        u"CREATE TABLE rate_limits ("
        "  subject TEXT PRIMARY KEY,"
        "  window_start BIGINT NOT NULL,"
        "  count INTEGER NOT NULL)"_qs,
        u"CREATE INDEX rate_limits_window ON rate_limits (window_start)"_qs,
        u"CREATE INDEX wallet_codes_expires ON wallet_codes (expires_at)"_qs,
        u"CREATE INDEX account_otps_expires ON account_otps (expires_at)"_qs,
        u"CREATE INDEX email_verifications_expires ON email_verifications (expires_at)"_qs,
    };
}
