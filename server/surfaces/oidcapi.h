// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "surface.h"

class Services;

// The OpenID provider (docs/oidc.md) on the same listener. Its routes come in four
// groups, each in its own files under server/oidc/:
//   discovery: GET /.well-known/openid-configuration, GET /.well-known/jwks.json
//   flow:      /oauth2/authorize, /oauth2/authorize/continue, /oauth2/consent,
//              /oauth2/logout (end_session), the error page
//   sign-in:   /oauth2/signin (every sign-in method; starts the provider session)
//   tokens:    POST /oauth2/token, /oauth2/userinfo, POST /oauth2/revoke,
//              POST /oauth2/introspect
// Errors under /oauth2/ and /.well-known/ take the OAuth shape
// {"error", "error_description"}; browser-facing routes answer with HTML pages.
class OidcApi : public Surface
{
public:
    explicit OidcApi(Services &services) : m_services(services) {}
    void addRoutes(Router &router) override;

private:
    Services &m_services;
};
