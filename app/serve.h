// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "config/settings.h"
#include "result.h"

#include <functional>

class SecretStore;
class Services;

// gatehouse serve: the server alone until SIGINT or SIGTERM; returns the exit code
// through QCoreApplication::exit. On SIGHUP, `reread` loads the settings again (the
// config file; the environment is the one the process started with) and the server
// applies what it can; the secrets that can be rotated live are read again from `store`
// (the secrets file, or the keychain).
void startHeadless(Services &services, std::function<Result<Settings>()> reread,
                   SecretStore &store);
