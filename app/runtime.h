// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "clock.h"
#include "config/secrets.h"
#include "config/secretstore.h"
#include "services.h"

#include <functional>
#include <memory>

// What every command needs: the data folder, the database (migrated), the secrets
// (loaded or generated) and the core services built on them.
struct Runtime
{
    Clock clock;
    Secrets secrets;
    std::unique_ptr<SecretStore> secretStore;
    std::unique_ptr<Services> services;
};

// Prepares `runtime` from `settings`; calls `done` with an empty string on success,
// or one sentence saying what is wrong. Needs a running event loop (the keychain
// answers asynchronously).
void startRuntime(Runtime &runtime, const Settings &settings,
                  std::function<void(QString error)> done);

// The name this binary answers to in messages and help: gatehouse or gatehouse-server.
void setProgramName(const QString &name);
QString programName();
// Prints "gatehouse: <message>" on stderr.
void printError(const QString &message);
void printLine(const QString &text);
