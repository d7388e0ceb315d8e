// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "config/settings.h"

#include <QStringList>

// What differs between the running settings and saved ones, in words ("listen
// address", "surfaces"…). The server reads its settings once at start, so each of
// these waits for a restart; secrets (read on every use) are not settings.
QStringList settingsNeedingRestart(const Settings &running, const Settings &saved);
