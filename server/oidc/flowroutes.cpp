// SPDX-License-Identifier: GPL-3.0-or-later
#include "oidc/oidcroutes.h"

// PLACEHOLDER: the flow helper replaces this file.
void OidcRoutes::addFlow(Router &, Services &) {}
