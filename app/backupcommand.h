// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "config/settings.h"

#include <QStringList>

// `gatehouse backup FILE` and `gatehouse restore FILE`. They need the settings only: no
// keychain, no migrated database (restore must not open the file it replaces), so main
// runs them before the runtime starts.
bool isBackupCommand(const QString &command);
int runBackupCommand(const QString &command, const Settings &settings, const QStringList &args);
