// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "config/settings.h"

#include <QStringList>

// The settings a reload (SIGHUP) cannot apply to a running server, by their config-file
// key, that differ between `running` and `fresh`. Everything else a reload applies:
// HttpServer::reload lists what that is.
QStringList settingsNeedingRestart(const Settings &running, const Settings &fresh);
