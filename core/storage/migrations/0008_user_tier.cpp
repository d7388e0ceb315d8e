// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/migrations.h"

using namespace Qt::StringLiterals;

// A user's tier as the account surface (seed 004) answers it, for users imported from
// lightnovel-crawler with theirs (0 basic, 1 premium, 2 VIP). -1: none stored, so the
// account API keeps deriving it (2 for admins, 0 otherwise).
QStringList migration0008UserTier()
{
    return {
        u"ALTER TABLE users ADD COLUMN tier INTEGER NOT NULL DEFAULT -1"_s,
    };
}
