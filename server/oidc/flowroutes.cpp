// SPDX-License-Identifier: GPL-3.0-or-later
#include "anonymouslimits.h"
#include "oidc/flowhandler.h"
#include "oidc/oidcroutes.h"
#include "services.h"

#include <memory>

using namespace Qt::StringLiterals;

void OidcRoutes::addFlow(Router &router, Services &services)
{
    // The routes share one handler, kept alive by the handlers that capture it.
    const auto flow = std::make_shared<FlowHandler>(services);
    const auto add = [&](const char *method, const QString &path,
                         Response (FlowHandler::*call)(const Request &), bool perIp = false) {
        Handler handler = [flow, call](const Request &request) { return ((*flow).*call)(request); };
        if (perIp) // saves a row (the request) for anyone who asks
            handler = AnonymousLimits::wrap(services, std::move(handler));
        router.add({method, path, Auth::None, std::move(handler), Runs::Inline, Metrics::Oidc,
                    ErrorShape::OAuth});
    };
    add("GET", u"/oauth2/authorize"_s, &FlowHandler::authorize, true);
    add("POST", u"/oauth2/authorize"_s, &FlowHandler::authorize, true);
    add("GET", u"/oauth2/authorize/continue"_s, &FlowHandler::resume);
    add("GET", u"/oauth2/consent"_s, &FlowHandler::consentPage);
    add("POST", u"/oauth2/consent"_s, &FlowHandler::consentDecision);
    add("GET", u"/oauth2/logout"_s, &FlowHandler::logout);
    add("POST", u"/oauth2/logout"_s, &FlowHandler::logout);
    add("GET", u"/oauth2/assets/oidc.css"_s, &FlowHandler::asset);
    add("GET", u"/oauth2/assets/oidc-form-post.js"_s, &FlowHandler::asset);
}
