// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "clock.h"
#include "config/secrets.h"
#include "config/settings.h"
#include "identity/audit.h"
#include "identity/namespaceauth.h"
#include "identity/namespaces.h"
#include "identity/telegrambindings.h"
#include "identity/tokenstore.h"
#include "identity/users.h"
#include "metrics.h"
#include "storage/database.h"

#include <memory>

// Every core service, wired once by the app (or a test) and handed to the server and
// the console. Nothing here is a singleton; a test builds its own with a fake clock.
class Services
{
public:
    // `db` must be open (migrated); `secrets` loaded.
    Services(Settings settings, std::unique_ptr<Database> db, Secrets &secrets,
             const Clock &clock);
    ~Services();

    Settings settings;
    std::unique_ptr<Database> db;
    Secrets &secrets;
    const Clock &clock;
    Metrics metrics;
    AuditLog audit;
    Namespaces namespaces;
    TelegramBindings telegramBindings;
    NamespaceAuth namespaceAuth;
    Users users;
    TokenStore tokens;
    qint64 startedAtMs;
};
