// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/apierror.h"
#include "http/request.h"

#include <QByteArray>

// The authentication a route needs: a column of every surface's route table. Before the
// handler runs, the router refuses a request that does not carry the credential at all
// with that credential's documented 401 (missingCredential); the handler checks that a
// credential it was given is valid, first, and refuses a bad one with a 401 in the same
// shape. tests/api/tst_routeauth.cpp walks every route to hold both to the documents.
enum class Auth {
    None,            // anyone; a secret in the body, query or link is the handler's to check
    AccountBearer,   // Authorization: Bearer <login JWT>             account, docs/api/account.md
    ResetBearer,     // Authorization: Bearer <password-reset JWT>    account
    DeviceBearer,    // Authorization: Bearer <session_token>         device, docs/api/device.md
    PinAccess,       // accessToken cookie, or Authorization: Bearer  pin, docs/api/pin.md
    PinRefresh,      // refreshToken cookie                           pin
    WalletSession,   // wallet_session cookie                         wallet, docs/api/wallet.md
    MetricsToken,    // Authorization: Bearer <metrics token>         GET /metrics, docs/security.md
    OidcAccessToken, // Authorization: Bearer, or a form body's access_token   /oauth2/userinfo,
                     // docs/oidc.md
};

namespace RouteAuth {

// The cookie that carries `auth`, or empty when it travels only in Authorization.
QByteArray cookieName(Auth auth);
// The credential as the request carries it; empty when it has none (or auth is None).
QByteArray credential(Auth auth, const Request &request);
// The documented 401 for a request without the credential, in any route's error shape.
ApiError missingCredential(Auth auth);
// The OpenID provider's access token: the Authorization header's, or on a POST with a
// form body its access_token field (RFC 6750 2.1, 2.2); empty when neither.
QByteArray oidcAccessToken(const Request &request);

} // namespace RouteAuth
