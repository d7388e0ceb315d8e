// SPDX-License-Identifier: GPL-3.0-or-later
#include "surfaces/oidcapi.h"

#include "oidc/oidcroutes.h"

using namespace Qt::StringLiterals;

void OidcApi::addRoutes(Router &router)
{
    router.addPrefix(u"/oauth2/"_s, ErrorShape::OAuth, Metrics::Oidc);
    router.addPrefix(u"/.well-known/"_s, ErrorShape::OAuth, Metrics::Oidc);
    OidcRoutes::addDiscovery(router, m_services);
    OidcRoutes::addFlow(router, m_services);
    OidcRoutes::addSignin(router, m_services);
    OidcRoutes::addTokens(router, m_services);
}
