// SPDX-License-Identifier: GPL-3.0-or-later
#include "routeauth.h"

using namespace Qt::StringLiterals;

namespace RouteAuth {

QByteArray oidcAccessToken(const Request &request)
{
    const QByteArray header = request.bearerToken();
    if (!header.isEmpty() || request.method != "POST")
        return header;
    const QByteArray type = request.header("content-type").split(';').first().trimmed().toLower();
    if (type != "application/x-www-form-urlencoded")
        return {};
    for (const QByteArray &pair : request.body.split('&')) // RFC 6750 2.2
        if (pair.startsWith("access_token="))
            return QByteArray::fromPercentEncoding(pair.mid(13).replace('+', ' '));
    return {};
}

QByteArray cookieName(Auth auth)
{
    switch (auth) {
    case Auth::PinAccess:
        return "accessToken"_ba;
    case Auth::PinRefresh:
        return "refreshToken"_ba;
    case Auth::WalletSession:
        return "wallet_session"_ba;
    case Auth::None:
    case Auth::AccountBearer:
    case Auth::ResetBearer:
    case Auth::DeviceBearer:
    case Auth::MetricsToken:
    case Auth::OidcAccessToken:
        break;
    }
    return {};
}

QByteArray credential(Auth auth, const Request &request)
{
    switch (auth) {
    case Auth::None:
        return {};
    case Auth::AccountBearer:
    case Auth::ResetBearer:
    case Auth::DeviceBearer:
    case Auth::MetricsToken:
        return request.bearerToken();
    case Auth::PinAccess: { // the cookie for the web client, the header for API clients
        const QByteArray fromCookie = request.cookie(cookieName(auth));
        return fromCookie.isEmpty() ? request.bearerToken() : fromCookie;
    }
    case Auth::PinRefresh:
    case Auth::WalletSession:
        return request.cookie(cookieName(auth));
    case Auth::OidcAccessToken:
        return oidcAccessToken(request);
    }
    return {};
}

// Each is the 401 its surface's documents give for a request without the credential,
// the same bytes its handler (or core) answered before the router checked.
ApiError missingCredential(Auth auth)
{
    switch (auth) {
    case Auth::AccountBearer:
    case Auth::ResetBearer: // {"error", "detail"}: the reason as a sentence, then as core says it
        return ApiError(401, u"Missing bearer token"_s, u"missing bearer token"_s)
            .withHeader("WWW-Authenticate", "Bearer");
    case Auth::DeviceBearer:
        return ApiError(401, u"Invalid or expired session token"_s)
            .withHeader("WWW-Authenticate", "Bearer");
    case Auth::PinAccess:
        return ApiError(401, u"Access token not found"_s);
    case Auth::PinRefresh:
        return ApiError(401, u"Refresh token not found"_s);
    case Auth::WalletSession:
        return ApiError(401, u"Not authenticated"_s);
    case Auth::MetricsToken:
        return ApiError(401, u"metrics need Authorization: Bearer <metrics token>"_s)
            .withHeader("WWW-Authenticate", "Bearer");
    case Auth::OidcAccessToken: // RFC 6750 3.1: no error code in the challenge when none was sent
        return ApiError(401, u"invalid_token"_s, u"no access token (Authorization: Bearer)"_s)
            .withHeader("WWW-Authenticate", "Bearer");
    case Auth::None:
        break;
    }
    return ApiError(500, u"Internal server error"_s); // a public route is never refused so
}

} // namespace RouteAuth
