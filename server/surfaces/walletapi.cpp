// SPDX-License-Identifier: GPL-3.0-or-later
#include "surfaces/walletapi.h"

#include "anonymouslimits.h"
#include "http/apierror.h"
#include "http/body.h"
#include "refusal.h"
#include "router.h"
#include "services.h"

#include <functional>

using namespace Qt::StringLiterals;

namespace {

const QString kInvalidBody = u"Invalid body"_s;

// The surface's one refusal mapping: {"error": message}. A wrong, expired or
// exhausted one-time code is a 400 like any bad input (the origin's wording).
ApiError toApiError(const Refusal &r)
{
    using K = Refusal::Kind;
    switch (r.kind) {
    case K::InvalidInput:
    case K::RateLimited:
    case K::WrongCode:
    case K::TokenExpired:
    case K::Locked:
        return ApiError(400, r.message);
    case K::BadCredentials:
    case K::TokenInvalid:
    case K::Inactive:
        return ApiError(401, r.message);
    case K::NoRole:
    case K::Forbidden:
    case K::LastAdmin:
        return ApiError(403, r.message);
    case K::NotFound:
        return ApiError(404, r.message);
    case K::Conflict:
    case K::AlreadyVerified:
        return ApiError(409, r.message);
    case K::NotConfigured:
        return ApiError(503, r.message);
    case K::ProviderUnreachable:
    case K::Internal:
        break;
    }
    return ApiError(500, r.message);
}

// Core refusals leave every handler through toApiError.
Response guarded(const std::function<Response()> &work)
{
    try {
        return work();
    } catch (const Refusal &refusal) {
        throw toApiError(refusal);
    }
}

QByteArray sessionCookie(const Request &request, const QByteArray &value, qint64 maxAgeSecs)
{
    CookieOptions options;
    options.maxAgeSecs = maxAgeSecs;
    options.secure = request.secure;
    return setCookie(WalletApi::kCookie, value, options);
}

QJsonObject loginData(const QJsonObject &body)
{
    const QJsonValue data = body.value(u"data"_s);
    if (!data.isObject())
        throw ApiError(400, kInvalidBody, u"field 'data' must be an object"_s);
    return data.toObject();
}

} // namespace

void WalletApi::addRoutes(Router &router)
{
    for (const QString &prefix : {u"/oauth/"_s, u"/send_verification"_s, u"/challenge"_s,
                                  u"/login"_s, u"/session"_s, u"/logout"_s, u"/bind"_s})
        router.addPrefix(prefix, ErrorShape::Error, Metrics::Wallet);
    using W = WalletApi;
    const RouteTable<W> table(*this, m_services, Metrics::Wallet, ErrorShape::Error, &guarded);
    table.add(router,
              {
                  // provider discovery: on the pool
                  {"POST", u"/oauth/init", Auth::None, Runs::OnPool, &W::oauthInit, Budget::PerIp},
                  // the state from /oauth/init
                  {"GET", u"/oauth/callback", Auth::None, Runs::Inline, &W::oauthCallback},
                  {"POST", u"/send_verification", Auth::None, Runs::Inline, &W::sendVerification,
                   Budget::PerIp},
                  {"GET", u"/challenge", Auth::None, Runs::Inline, &W::challenge, Budget::PerIp},
                  // the proof itself
                  {"POST", u"/login", Auth::None, Runs::OnPool, &W::login},
                  {"GET", u"/session", Auth::WalletSession, Runs::Inline, &W::session},
                  // ends the cookie's session if there is one: always 200
                  {"POST", u"/logout", Auth::None, Runs::Inline, &W::logout},
                  // the session cookie and a proof of the method to link
                  {"POST", u"/bind", Auth::WalletSession, Runs::OnPool, &W::bind},
              });
}

// {provider, redirect_uri, state, code_challenge} -> {client_id, url}
Response WalletApi::oauthInit(const Request &request)
{
    const QJsonObject body = Body::object(request, kInvalidBody);
    const QString provider = Body::string(body, u"provider"_s, kInvalidBody, 64).toLower();
    const QString redirectUri = Body::string(body, u"redirect_uri"_s, kInvalidBody, 2048);
    const QString state = Body::string(body, u"state"_s, kInvalidBody, 256);
    const QString challenge = Body::string(body, u"code_challenge"_s, kInvalidBody, 128);
    const auto start =
        m_services.walletAuth.startOAuth(provider, redirectUri, state, challenge, request.ip);
    return Response::json({{u"client_id"_s, start.clientId}, {u"url"_s, start.url}});
}

// ?state&code (or &error) from the provider -> 302 to the client's redirect_uri.
Response WalletApi::oauthCallback(const Request &request)
{
    const QString location = m_services.walletAuth.oauthCallback(
        request.queryValue(u"state"_s), request.queryValue(u"code"_s),
        request.queryValue(u"error"_s), request.ip);
    return Response::redirect(location.toUtf8());
}

// {email} or {phone} -> "Verification code sent"
Response WalletApi::sendVerification(const Request &request)
{
    const QJsonObject body = Body::object(request, kInvalidBody);
    const QString email =
        Body::optionalString(body, u"email"_s, kInvalidBody, 254).value_or(QString());
    const QString phone =
        Body::optionalString(body, u"phone"_s, kInvalidBody, 32).value_or(QString());
    if (!email.isEmpty())
        AnonymousLimits::takeTarget(m_services, u"email"_s, email);
    else if (!phone.isEmpty())
        AnonymousLimits::takeTarget(m_services, u"phone"_s, phone);
    m_services.walletAuth.sendCode(email, phone, request.ip);
    return Response::jsonValue(u"Verification code sent"_s);
}

// ?method&id -> {challenge, nonce, expires_at}
Response WalletApi::challenge(const Request &request)
{
    const QString method = request.queryValue(u"method"_s);
    const QString id = request.queryValue(u"id"_s);
    if (method.isEmpty() || id.isEmpty() || id.size() > 64)
        throw ApiError(400, u"Invalid params"_s, u"method and id are required"_s);
    const auto issued = m_services.walletAuth.challenge(method, id, request.ip);
    return Response::json({{u"challenge"_s, issued.message},
                           {u"nonce"_s, issued.nonce},
                           {u"expires_at"_s, issued.expiresAtSecs}});
}

// {type, data} -> the user object, and the session cookie.
Response WalletApi::login(const Request &request)
{
    const QJsonObject body = Body::object(request, kInvalidBody);
    const QString type = Body::string(body, u"type"_s, kInvalidBody, 64);
    const QJsonObject data = loginData(body);
    const QString label = QString::fromUtf8(request.header("user-agent")).left(128);
    try {
        const auto session = m_services.walletAuth.login(type, data, request.ip,
                                                         label.isEmpty() ? u"wallet"_s : label);
        m_services.metrics.countLogin(Metrics::Wallet, true);
        Response response = Response::json(session.profile.toJson());
        response.header("Set-Cookie",
                        sessionCookie(request, session.token,
                                      m_services.walletAuth.sessionLifetimeMs() / 1000));
        response.header("Cache-Control", "no-store");
        return response;
    } catch (const Refusal &) {
        m_services.metrics.countLogin(Metrics::Wallet, false);
        throw;
    }
}

Response WalletApi::session(const Request &request)
{
    const auto profile = m_services.walletAuth.current(request.cookie(kCookie));
    if (!profile)
        throw toApiError(profile.refusal());
    Response response = profile->json.isEmpty() ? Response::json(profile->toJson())
                                                : Response::jsonBody(profile->json);
    response.header("Cache-Control", "no-store");
    return response;
}

Response WalletApi::logout(const Request &request)
{
    m_services.walletAuth.logout(request.cookie(kCookie), request.ip);
    Response response = Response::jsonValue(u"Logged out successfully"_s);
    response.header("Set-Cookie", sessionCookie(request, QByteArray(), 0));
    return response;
}

// Same payloads as /login; links the method to the session's user (409 if it is
// someone else's).
Response WalletApi::bind(const Request &request)
{
    const QByteArray token = request.cookie(kCookie);
    if (!m_services.walletAuth.current(token)) // the credential before the body
        throw ApiError(401, u"Not authenticated"_s);
    const QJsonObject body = Body::object(request, kInvalidBody);
    const QString type = Body::string(body, u"type"_s, kInvalidBody, 64);
    const QJsonObject data = loginData(body);
    const auto profile = m_services.walletAuth.bind(token, type, data, request.ip);
    return Response::json(profile.toJson());
}
