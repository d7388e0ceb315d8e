// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "identity/audit.h"

#include <QString>

using namespace Qt::StringLiterals;

// Every action a person takes in the console goes to the audit log with surface
// "console", actor "console" and address "local".
namespace AdminAudit {
inline const QString kSurface = u"console"_s;
// Fills in actor, surface and address; the result is "ok" unless given.
void record(AuditLog &audit, AuditEvent event);
} // namespace AdminAudit
