// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

using namespace Qt::StringLiterals;

class AuditLog;

// Every action a person takes in the console goes to the audit log with surface
// "console", actor "console" and address "local".
namespace AdminAudit {
inline const QString kSurface = u"console"_s;
void record(AuditLog &audit, const QString &action, const QString &subject,
            const QString &result = u"ok"_s, const QString &detail = QString());
} // namespace AdminAudit
