// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "config/settings.h"

#include <QStringList>

// `gatehouse backup FILE` and `gatehouse restore FILE`. They need the settings only: no
// keychain, no migrated database (restore must not open the file it replaces), so main
// runs them before the runtime starts.
// backup and restore run without the runtime: restore must not find the database open.
QString backupHelp();
QString restoreHelp();
int runBackup(const Settings &settings, const QStringList &args);
int runRestore(const Settings &settings, const QStringList &args);
