// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

class Services;

// gatehouse keys list [--json] | rotate [--json]
// The OpenID provider's signing keys (docs/operations.md, "OpenID signing keys"): list
// shows every stored key; rotate makes a new current RS256 and ES256 key and retires the
// previous ones, which stay in the JWKS for oidc/key_overlap_hours. Running servers pick
// the new keys up within seconds. Returns the exit code.
int runKeysCommand(Services &services, const QStringList &arguments);
QString keysHelp();
