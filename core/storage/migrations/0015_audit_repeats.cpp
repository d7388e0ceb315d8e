// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/migrations.h"

using namespace Qt::StringLiterals;

// How many times one audit row happened. AuditLog::flush writes events that are identical
// in every text field and arrive in one batch (a client repeating the same request) as a
// single row, like syslog's "last message repeated N times": a flood then costs one insert
// per batch instead of one per request. Rows written before this read 1.
QStringList migration0015AuditRepeats()
{
    return {
        u"ALTER TABLE audit_log ADD COLUMN repeats INTEGER NOT NULL DEFAULT 1"_s,
    };
}
