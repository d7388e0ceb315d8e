// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "config/settings.h"

#include <QStringList>

// What differs between the running settings and new ones and cannot take effect now, from
// the settings table's `applies` column. The console saves to the file and does not reload,
// so for it every AtRestart and AtReload row waits for a restart (named in words: "listen
// address", "surfaces"…); a reload (SIGHUP on `gatehouse serve`) applies the AtReload rows
// itself, so only the AtRestart rows are left (named by their config-file key).
QStringList settingsNeedingRestart(const Settings &running, const Settings &saved);
QStringList settingsAReloadCannotApply(const Settings &running, const Settings &fresh);
