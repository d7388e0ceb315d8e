// SPDX-License-Identifier: GPL-3.0-or-later
#include "surfaces/walletapi.h"

#include "anonymouslimits.h"
#include "http/apierror.h"
#include "http/body.h"
#include "identity/walletrefusal.h"
#include "router.h"
#include "services.h"

#include <functional>

namespace {

const QString kInvalidBody = QStringLiteral("Invalid body");

int statusOf(WalletRefusal::Kind kind)
{
    switch (kind) {
    case WalletRefusal::Invalid:
    case WalletRefusal::RateLimited:
        return 400;
    case WalletRefusal::Unauthorized:
        return 401;
    case WalletRefusal::Conflict:
        return 409;
    case WalletRefusal::NotConfigured:
        return 503;
    case WalletRefusal::ProviderUnreachable:
    case WalletRefusal::Failed:
        break;
    }
    return 500;
}

// Core refusals become ApiErrors in the surface's shape.
Response guarded(const std::function<Response()> &work)
{
    try {
        return work();
    } catch (const WalletRefusal &refusal) {
        throw ApiError(statusOf(refusal.kind), refusal.message);
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
    const QJsonValue data = body.value(u"data"_qs);
    if (!data.isObject())
        throw ApiError(400, kInvalidBody, u"field 'data' must be an object"_qs);
    return data.toObject();
}

} // namespace

void WalletApi::addRoutes(Router &router)
{
    for (const QString &prefix : {u"/oauth/"_qs, u"/send_verification"_qs, u"/challenge"_qs,
                                  u"/login"_qs, u"/session"_qs, u"/logout"_qs, u"/bind"_qs})
        router.addPrefix(prefix, ErrorShape::Error, Metrics::Wallet);
    auto add = [&](const char *method, const QString &path,
                   Response (WalletApi::*handler)(const Request &), Runs runs,
                   bool anonymousWrite = false) {
        Handler h = [this, handler](const Request &r) {
            return guarded([&] { return (this->*handler)(r); });
        };
        if (anonymousWrite) // writes a row or a message for anyone who asks: per-IP limit
            h = AnonymousLimits::wrap(m_services, std::move(h));
        router.add({method, path, std::move(h), runs, Metrics::Wallet, ErrorShape::Error});
    };
    // method  path                  handler                    runs          auth
    add("POST", u"/oauth/init"_qs, &WalletApi::oauthInit, Runs::OnPool, true);  // none; discovery
    add("GET", u"/oauth/callback"_qs, &WalletApi::oauthCallback, Runs::Inline); // state
    add("POST", u"/send_verification"_qs, &WalletApi::sendVerification, Runs::Inline,
        true);                                                               // none
    add("GET", u"/challenge"_qs, &WalletApi::challenge, Runs::Inline, true); // none
    add("POST", u"/login"_qs, &WalletApi::login, Runs::OnPool);              // the proof itself
    add("GET", u"/session"_qs, &WalletApi::session, Runs::Inline);           // session cookie
    add("POST", u"/logout"_qs, &WalletApi::logout, Runs::Inline);            // session cookie
    add("POST", u"/bind"_qs, &WalletApi::bind, Runs::OnPool); // session cookie + proof
}

// {provider, redirect_uri, state, code_challenge} -> {client_id, url}
Response WalletApi::oauthInit(const Request &request)
{
    const QJsonObject body = Body::object(request, kInvalidBody);
    const QString provider = Body::string(body, u"provider"_qs, kInvalidBody, 64).toLower();
    const QString redirectUri = Body::string(body, u"redirect_uri"_qs, kInvalidBody, 2048);
    const QString state = Body::string(body, u"state"_qs, kInvalidBody, 256);
    const QString challenge = Body::string(body, u"code_challenge"_qs, kInvalidBody, 128);
    const auto start =
        m_services.walletAuth.startOAuth(provider, redirectUri, state, challenge, request.ip);
    return Response::json({{u"client_id"_qs, start.clientId}, {u"url"_qs, start.url}});
}

// ?state&code (or &error) from the provider -> 302 to the client's redirect_uri.
Response WalletApi::oauthCallback(const Request &request)
{
    const QString location = m_services.walletAuth.oauthCallback(
        request.queryValue(u"state"_qs), request.queryValue(u"code"_qs),
        request.queryValue(u"error"_qs), request.ip);
    return Response::redirect(location.toUtf8());
}

// {email} or {phone} -> "Verification code sent"
Response WalletApi::sendVerification(const Request &request)
{
    const QJsonObject body = Body::object(request, kInvalidBody);
    const QString email =
        Body::optionalString(body, u"email"_qs, kInvalidBody, 254).value_or(QString());
    const QString phone =
        Body::optionalString(body, u"phone"_qs, kInvalidBody, 32).value_or(QString());
    if (!email.isEmpty())
        AnonymousLimits::takeTarget(m_services, u"email"_qs, email);
    else if (!phone.isEmpty())
        AnonymousLimits::takeTarget(m_services, u"phone"_qs, phone);
    m_services.walletAuth.sendCode(email, phone, request.ip);
    return Response::jsonValue(u"Verification code sent"_qs);
}

// ?method&id -> {challenge, nonce, expires_at}
Response WalletApi::challenge(const Request &request)
{
    const QString method = request.queryValue(u"method"_qs);
    const QString id = request.queryValue(u"id"_qs);
    if (method.isEmpty() || id.isEmpty() || id.size() > 64)
        throw ApiError(400, u"Invalid params"_qs, u"method and id are required"_qs);
    const auto issued = m_services.walletAuth.challenge(method, id, request.ip);
    return Response::json({{u"challenge"_qs, issued.message},
                           {u"nonce"_qs, issued.nonce},
                           {u"expires_at"_qs, issued.expiresAtSecs}});
}

// {type, data} -> the user object, and the session cookie.
Response WalletApi::login(const Request &request)
{
    const QJsonObject body = Body::object(request, kInvalidBody);
    const QString type = Body::string(body, u"type"_qs, kInvalidBody, 64);
    const QJsonObject data = loginData(body);
    const QString label = QString::fromUtf8(request.header("user-agent")).left(128);
    try {
        const auto session = m_services.walletAuth.login(type, data, request.ip,
                                                         label.isEmpty() ? u"wallet"_qs : label);
        m_services.metrics.countLogin(Metrics::Wallet, true);
        Response response = Response::json(session.profile.toJson());
        response.header("Set-Cookie",
                        sessionCookie(request, session.token,
                                      m_services.walletAuth.sessionLifetimeMs() / 1000));
        response.header("Cache-Control", "no-store");
        return response;
    } catch (const WalletRefusal &) {
        m_services.metrics.countLogin(Metrics::Wallet, false);
        throw;
    }
}

Response WalletApi::session(const Request &request)
{
    const auto profile = m_services.walletAuth.current(request.cookie(kCookie));
    if (!profile)
        throw ApiError(401, u"Not authenticated"_qs);
    Response response = Response::json(profile->toJson());
    response.header("Cache-Control", "no-store");
    return response;
}

Response WalletApi::logout(const Request &request)
{
    m_services.walletAuth.logout(request.cookie(kCookie), request.ip);
    Response response = Response::jsonValue(u"Logged out successfully"_qs);
    response.header("Set-Cookie", sessionCookie(request, QByteArray(), 0));
    return response;
}

// Same payloads as /login; links the method to the session's user (409 if it is
// someone else's).
Response WalletApi::bind(const Request &request)
{
    const QByteArray token = request.cookie(kCookie);
    if (token.isEmpty())
        throw ApiError(401, u"Not authenticated"_qs);
    const QJsonObject body = Body::object(request, kInvalidBody);
    const QString type = Body::string(body, u"type"_qs, kInvalidBody, 64);
    const QJsonObject data = loginData(body);
    const auto profile = m_services.walletAuth.bind(token, type, data, request.ip);
    return Response::json(profile.toJson());
}
