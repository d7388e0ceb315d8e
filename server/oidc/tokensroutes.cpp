// SPDX-License-Identifier: GPL-3.0-or-later
#include "oidc/oidcroutes.h"

// PLACEHOLDER: the tokens helper replaces this file.
void OidcRoutes::addTokens(Router &, Services &) {}
