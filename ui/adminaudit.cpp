// SPDX-License-Identifier: GPL-3.0-or-later
#include "adminaudit.h"

#include "identity/audit.h"

using namespace Qt::StringLiterals;

void AdminAudit::record(AuditLog &audit, AuditEvent event)
{
    event.actor = kSurface;
    event.surface = kSurface;
    event.ip = u"local"_s;
    if (event.result.isEmpty())
        event.result = u"ok"_s;
    audit.record(std::move(event));
}
