// SPDX-License-Identifier: GPL-3.0-or-later
#include "surfaces/pinapi.h"

#include "http/apierror.h"
#include "http/body.h"
#include "http/orderedjson.h"
#include "router.h"
#include "services.h"

using namespace Qt::StringLiterals;

namespace {

const QString kRequired = u"Name and PIN are required"_s;
const QString kInvalidCredentials = u"Invalid credentials"_s;
const QByteArray kAccessCookie = "accessToken";
const QByteArray kRefreshCookie = "refreshToken";

QByteArray cookie(const Request &request, const QByteArray &name, const QByteArray &value,
                  qint64 maxAgeSecs)
{
    CookieOptions options;
    options.maxAgeSecs = maxAgeSecs;
    options.secure = request.secure;
    return setCookie(name, value, options);
}

// The access token from its cookie, or from `Authorization: Bearer` for API clients.
QByteArray accessTokenOf(const Request &request)
{
    return RouteAuth::credential(Auth::PinAccess, request);
}

// Ambrosia's UserResponse, keys in its order: the role as its roles table names it; no
// phone numbers here (null).
QByteArray userText(const User &user, const PinRole &role)
{
    return orderedJsonText({{u"userId"_s, jsonText(user.id)},
                            {u"name"_s, jsonText(user.username)},
                            {u"email"_s, jsonTextOrNull(user.email)},
                            {u"phone"_s, QByteArray("null")},
                            {u"role"_s, jsonText(role.name)},
                            {u"roleId"_s, jsonText(role.id)},
                            {u"isAdmin"_s, jsonText(user.isAdmin)}});
}

// The surface's one refusal mapping, in Ambrosia's words where it has them. A right PIN
// whose role signs no one in: Ambrosia answers the first (NoRole) with this message (its
// client shows it) and the second (Forbidden) with an empty 403; ours says why.
ApiError toApiError(const Refusal &r)
{
    using K = Refusal::Kind;
    switch (r.kind) {
    case K::BadCredentials:
        return ApiError(401, kInvalidCredentials);
    case K::Locked:
        return ApiError(429, u"Too many failed attempts"_s)
            .withBody({{u"retryAfter"_s, r.retryAfterSecs}})
            .withHeader("Retry-After", QByteArray::number(r.retryAfterSecs));
    case K::NoRole:
        return ApiError(401, u"No assigned role for this user, contact Admin"_s);
    case K::Forbidden:
        return ApiError(403, u"The role of this user has no permissions, contact Admin"_s);
    case K::TokenInvalid:
    case K::TokenExpired:
    case K::Inactive:
        return ApiError(401, r.message);
    case K::InvalidInput:
        return ApiError(400, r.message);
    case K::Conflict:
    case K::AlreadyVerified:
        return ApiError(409, r.message);
    case K::NotFound:
        return ApiError(404, r.message);
    case K::WrongCode:
    case K::LastAdmin:
        return ApiError(403, r.message);
    case K::RateLimited:
        return ApiError(429, r.message)
            .withHeader("Retry-After", QByteArray::number(qMax<qint64>(1, r.retryAfterSecs)));
    case K::NotConfigured:
        return ApiError(503, r.message);
    case K::ProviderUnreachable:
    case K::Internal:
        break;
    }
    return ApiError(500, u"Internal server error"_s);
}

} // namespace

void PinApi::addRoutes(Router &router)
{
    router.addPrefix(u"/auth/refresh"_s, ErrorShape::Message, Metrics::Pin);
    router.addPrefix(u"/auth/logout"_s, ErrorShape::Message, Metrics::Pin);
    using P = PinApi;
    const RouteTable<P> table(*this, m_services, Metrics::Pin, ErrorShape::Message);
    table.add(router, {
                          {"POST", u"/auth/refresh", Auth::PinRefresh, Runs::Inline, &P::refresh},
                          {"POST", u"/auth/logout", Auth::PinAccess, Runs::Inline, &P::logout},
                          {"GET", u"/users/me", Auth::PinAccess, Runs::Inline, &P::me},
                      });
}

Response PinApi::login(const Request &request, const QJsonObject &body)
{
    const QString name = Body::string(body, u"name"_s, kRequired, 128);
    const QString pin = Body::string(body, u"pin"_s, kRequired, 64);
    if (name.trimmed().isEmpty() || pin.isEmpty())
        throw ApiError(400, kRequired);
    const QString label = QString::fromUtf8(request.header("user-agent")).left(128);
    const auto outcome = m_services.pinAuth.login(name.trimmed(), pin, request.ip,
                                                  label.isEmpty() ? u"pin"_s : label);
    if (!outcome) {
        m_services.metrics.countLogin(Metrics::Pin, false);
        throw toApiError(outcome.refusal());
    }
    const PinAuth::Session &session = *outcome;
    m_services.metrics.countLogin(Metrics::Pin, true);
    const PinAuth::Options &o = m_services.pinAuth.options();
    // Ambrosia's LoginResponse, keys in its order.
    Response response = orderedJson({{u"message"_s, jsonText(u"Login successful"_s)},
                                     {u"user"_s, userText(session.user, session.role)},
                                     {u"perms"_s, pinPermsText(session.role)}});
    response.header("Set-Cookie",
                    cookie(request, kAccessCookie, session.accessToken, o.accessSecs));
    response.header("Set-Cookie",
                    cookie(request, kRefreshCookie, session.refreshToken, o.refreshSecs));
    return response;
}

Response PinApi::refresh(const Request &request)
{
    const auto access = m_services.pinAuth.refresh(request.cookie(kRefreshCookie), request.ip);
    if (!access)
        throw toApiError(access.refusal());
    // A JWT is base64url and dots: JSON text as it stands, between quotes.
    Response response =
        orderedJson({{u"message"_s, jsonText(u"Access token refreshed successfully"_s)},
                     {u"accessToken"_s, '"' + *access + '"'}});
    response.header("Set-Cookie", cookie(request, kAccessCookie, *access,
                                         m_services.pinAuth.options().accessSecs));
    return response;
}

Response PinApi::logout(const Request &request)
{
    const auto user = m_services.pinAuth.verifyAccess(accessTokenOf(request));
    if (!user)
        throw toApiError(user.refusal());
    m_services.pinAuth.logout(*user, request.cookie(kRefreshCookie), request.ip);
    Response response = Response::json(QJsonObject{{u"message"_s, u"Logout successful"_s}});
    response.header("Set-Cookie", cookie(request, kAccessCookie, QByteArray(), 0));
    response.header("Set-Cookie", cookie(request, kRefreshCookie, QByteArray(), 0));
    return response;
}

// Ambrosia's AuthProvider restores a session on page load with this route.
Response PinApi::me(const Request &request)
{
    const auto user = m_services.pinAuth.verifyAccess(accessTokenOf(request));
    if (!user)
        throw toApiError(user.refusal());
    const auto role = m_services.pinAuth.roleFor(*user);
    if (!role)
        throw toApiError(role.refusal());
    const PinRole &granted = *role;
    return Response::jsonBody(m_meBody.body(*user, granted, [&] {
        return orderedJsonText(
            {{u"user"_s, userText(*user, granted)}, {u"perms"_s, m_permsText.text(granted)}});
    }));
}
