// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "clock.h"
#include "config/secrets.h"
#include "config/settings.h"
#include "delivery/outbox.h"
#include "housekeeping.h"
#include "identity/accountotp.h"
#include "identity/accounts.h"
#include "identity/apitokens.h"
#include "identity/audit.h"
#include "identity/changefeed.h"
#include "identity/deviceauth.h"
#include "identity/devicelogins.h"
#include "identity/factors.h"
#include "identity/namespaceauth.h"
#include "identity/namespaces.h"
#include "identity/passkeyauth.h"
#include "identity/pinauth.h"
#include "identity/pinroles.h"
#include "identity/ratelimits.h"
#include "identity/secondstep.h"
#include "identity/telegrambindings.h"
#include "identity/tokenstore.h"
#include "identity/users.h"
#include "identity/walletauth.h"
#include "metrics.h"
#include "oidc/oidc.h"
#include "storage/database.h"

#include <memory>

// Every core service, wired once by the app (or a test) and handed to the server and
// the console. Nothing here is a singleton; a test builds its own with a fake clock.
class Services
{
public:
    // `db` must be open (migrated); `secrets` loaded.
    Services(Settings settings, std::unique_ptr<Database> db, Secrets &secrets, const Clock &clock);
    ~Services();

    Settings settings;
    std::unique_ptr<Database> db;
    Secrets &secrets;
    const Clock &clock;
    Metrics metrics;
    RateLimits limits; // anonymous writes: per IP (memory) and per target (database)
    AuditLog audit;
    Namespaces namespaces;
    TelegramBindings telegramBindings;
    NamespaceAuth namespaceAuth;
    Users users;
    TokenStore tokens;
    Outbox outbox; // started here; stopped when Services goes
    ApiTokens apiTokens;
    Factors factors;       // second factors: TOTP, passkey rows, recovery codes
    SecondStep secondStep; // pending sign-ins waiting for their second factor
    Accounts accounts;
    AccountOtp accountOtp;
    PinRoles pinRoles;         // pin surface: roles and their permissions
    PinAuth pinAuth;           // pin surface (seed 002)
    DeviceAuth deviceAuth;     // device surface (seed 003): accounts, sessions
    DeviceLogins deviceLogins; // device surface: email-approved logins
    ChangeFeed changes;        // what the console polls each second
    WalletAuth walletAuth;     // wallet surface (seed 001)
    PasskeyAuth passkeys;      // account surface: WebAuthn registration and sign-in
    Oidc oidc;                 // the OpenID provider (docs/oidc.md)
    Housekeeping housekeeping; // periodic purge of expired rows; started here
    qint64 startedAtMs;
};
