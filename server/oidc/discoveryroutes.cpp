// SPDX-License-Identifier: GPL-3.0-or-later
#include "oidc/oidcroutes.h"

// PLACEHOLDER: the keys and discovery helper replaces this file.
void OidcRoutes::addDiscovery(Router &, Services &) {}
