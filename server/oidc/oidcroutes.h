// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "router.h"

class Services;

// The OpenID provider's route groups (see surfaces/oidcapi.h). Each keeps whatever
// handler object it needs alive by capturing it in its routes' handlers.
namespace OidcRoutes {
void addDiscovery(Router &router, Services &services); // server/oidc/discovery*.cpp
void addFlow(Router &router, Services &services);      // server/oidc/flow*.cpp
void addSignin(Router &router, Services &services);    // server/oidc/signin*.cpp
void addTokens(Router &router, Services &services);    // server/oidc/token*.cpp
} // namespace OidcRoutes
