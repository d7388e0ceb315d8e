// SPDX-License-Identifier: GPL-3.0-or-later
#include "oidc/oidcroutes.h"
#include "oidc/tokenendpoint.h"

#include <memory>

using namespace Qt::StringLiterals;

// The token routes (docs/oidc.md). Each handler holds the endpoint object alive. The
// token endpoint signs an ID token (RSA on the placeholder key's first use is slow), so
// it runs on the pool; the others are one statement each. Failed client authentication
// spends the per-IP budget (TokenClientAuth), not every request: a busy confidential
// client behind one address must not be limited for succeeding.
void OidcRoutes::addTokens(Router &router, Services &services)
{
    const auto endpoint = std::make_shared<TokenEndpoint>(services);
    using Call = Response (TokenEndpoint::*)(const Request &);
    struct Row
    {
        const char *method;
        const char16_t *path;
        Auth auth;
        Runs runs;
        Call call;
    };
    const Row rows[] = {
        {"POST", u"/oauth2/token", Auth::None, Runs::OnPool, &TokenEndpoint::token},
        {"GET", u"/oauth2/userinfo", Auth::OidcAccessToken, Runs::Inline, &TokenEndpoint::userinfo},
        {"POST", u"/oauth2/userinfo", Auth::OidcAccessToken, Runs::Inline,
         &TokenEndpoint::userinfo},
        {"POST", u"/oauth2/revoke", Auth::None, Runs::Inline, &TokenEndpoint::revoke},
        {"POST", u"/oauth2/introspect", Auth::None, Runs::Inline, &TokenEndpoint::introspect},
    };
    for (const Row &row : rows)
        router.add({row.method, QString::fromUtf16(row.path), row.auth,
                    [endpoint, call = row.call](const Request &request) {
                        return ((*endpoint).*call)(request);
                    },
                    row.runs, Metrics::Oidc, ErrorShape::OAuth});
}
