// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/apierror.h"
#include "http/request.h"
#include "http/response.h"
#include "oidc/oidctokens.h"
#include "oidc/tokenclientauth.h"

class Services;
struct User;

// The OpenID provider's token routes (docs/oidc.md): the token endpoint with its two
// grants (tokengrants.cpp), and what resource servers and clients do with the tokens:
// userinfo, revocation, introspection (tokenresources.cpp).
class TokenEndpoint
{
public:
    explicit TokenEndpoint(Services &services) : m_services(services) {}

    Response token(const Request &request);      // POST /oauth2/token
    Response userinfo(const Request &request);   // GET, POST /oauth2/userinfo
    Response revoke(const Request &request);     // POST /oauth2/revoke
    Response introspect(const Request &request); // POST /oauth2/introspect

private:
    using Form = TokenClientAuth::Form;
    Response authorizationCode(const Request &request, const Form &form, const OidcClient &client);
    Response refreshToken(const Request &request, const Form &form, const OidcClient &client);
    // The token response (OIDC Core 3.1.3.3) with a fresh ID token.
    Response tokenResponse(const OidcTokens::Issued &issued, const User &user,
                           const OidcClient &client, const QString &nonce);
    User activeUser(const QString &userId) const; // invalid_grant when it cannot get tokens
    OidcTokens::Lifetimes lifetimes() const;
    void audit(const QString &action, const QString &userId, const OidcClient &client,
               const Request &request, const QString &result, const QString &detail = {});

    Services &m_services;
};

// Cache-Control: no-store and Pragma: no-cache (RFC 6749 5.1): every answer that
// carries a token or a claim.
Response noStore(Response response);
