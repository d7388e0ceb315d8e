// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

class Services;

// gatehouse token list [--kind KIND] [--user NAME|ID] [--all] [--limit N] [--json]
// gatehouse token revoke ID
// Every stateful token any surface issued (pin refresh tokens, device sessions, API
// tokens, wallet sessions), from the shared TokenStore. `list` shows live tokens
// unless --all; tokens themselves are never shown (only hashes are stored).
int runTokenCommand(Services &services, const QStringList &arguments);
QString tokenHelp();
