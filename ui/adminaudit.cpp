// SPDX-License-Identifier: GPL-3.0-or-later
#include "adminaudit.h"

#include "identity/audit.h"

using namespace Qt::StringLiterals;

void AdminAudit::record(AuditLog &audit, const QString &action, const QString &subject,
                        const QString &result, const QString &detail)
{
    audit.record({0, 0, kSurface, action, subject, kSurface, u"local"_s, result, detail});
}
