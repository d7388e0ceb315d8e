// SPDX-License-Identifier: GPL-3.0-or-later
#include "oidc/oidcroutes.h"

// PLACEHOLDER: the sign-in helper replaces this file.
void OidcRoutes::addSignin(Router &, Services &) {}
