// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/migrations.h"

using namespace Qt::StringLiterals;

// Indexes the admin console needs to stay fast with a million users: the Users table
// pages in (created_at, id) order, searches by prefix of username, email or display
// name (username and email are stored in lower case and already have unique
// indexes), filters disabled users and admins, and polls for changes each second.
QStringList migration0005Console()
{
    return {
        u"DROP INDEX users_created_at"_s,
        u"CREATE INDEX users_created_id ON users (created_at, id)"_s,
        u"CREATE INDEX users_updated_at ON users (updated_at)"_s,
        u"CREATE INDEX users_display_lower ON users (lower(display_name))"_s,
        u"CREATE INDEX users_disabled ON users (created_at, id) WHERE disabled = 1"_s,
        u"CREATE INDEX users_admins ON users (created_at, id) WHERE is_admin = 1"_s,
        u"CREATE INDEX issued_tokens_created ON issued_tokens (created_at)"_s,
        u"CREATE INDEX issued_tokens_revoked ON issued_tokens (revoked_at)"_s,
    };
}
