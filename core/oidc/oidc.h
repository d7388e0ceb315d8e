// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "oidc/authcodes.h"
#include "oidc/authrequests.h"
#include "oidc/consents.h"
#include "oidc/oidcclients.h"
#include "oidc/oidctokens.h"
#include "oidc/opsessions.h"
#include "oidc/signingkeys.h"

class Clock;
class Database;
class Secrets;
class Users;

// The OpenID provider's core (docs/oidc.md): clients, signing keys and the state of the
// flows. One per Services; every part keeps its state in the database.
class Oidc
{
public:
    Oidc(const Database &db, const Clock &clock, const Secrets &secrets, Users &users);

    OidcClients clients;
    SigningKeys keys;
    AuthRequests requests;
    OpSessions sessions;
    AuthCodes codes;
    Consents consents;
    OidcTokens tokens; // access and refresh tokens, by family
};
