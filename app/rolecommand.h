// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

class Services;

// gatehouse role list | permissions | add NAME [PERM…] | set-perms NAME [PERM…] | remove NAME
// The PIN surface's roles (what POST /auth/login answers as `perms`). Permissions are
// names from the fixed catalog (`role permissions`), given as separate arguments or
// comma-separated. A role still held by a user is not removed. Returns the exit code.
int runRoleCommand(Services &services, const QStringList &arguments);
QString roleHelp();
