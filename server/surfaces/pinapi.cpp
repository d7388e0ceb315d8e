// SPDX-License-Identifier: GPL-3.0-or-later
#include "surfaces/pinapi.h"

#include "http/apierror.h"
#include "http/body.h"
#include "http/orderedjson.h"
#include "router.h"
#include "services.h"

namespace {

const QString kRequired = QStringLiteral("Name and PIN are required");
const QString kInvalidCredentials = QStringLiteral("Invalid credentials");
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
    const QByteArray fromCookie = request.cookie(kAccessCookie);
    return fromCookie.isEmpty() ? request.bearerToken() : fromCookie;
}

} // namespace

void PinApi::addRoutes(Router &router)
{
    router.addPrefix(u"/auth/refresh"_qs, ErrorShape::Message, Metrics::Pin);
    router.addPrefix(u"/auth/logout"_qs, ErrorShape::Message, Metrics::Pin);
    // method  path              handler                       runs     auth
    router.add({"POST", u"/auth/refresh"_qs, [this](const Request &r) { return refresh(r); },
                Runs::Inline, Metrics::Pin, ErrorShape::Message}); // refreshToken cookie
    router.add({"POST", u"/auth/logout"_qs, [this](const Request &r) { return logout(r); },
                Runs::Inline, Metrics::Pin, ErrorShape::Message}); // accessToken cookie
}

Response PinApi::login(const Request &request, const QJsonObject &body)
{
    const QString name = Body::string(body, u"name"_qs, kRequired, 128);
    const QString pin = Body::string(body, u"pin"_qs, kRequired, 64);
    if (name.trimmed().isEmpty() || pin.isEmpty())
        throw ApiError(400, kRequired);
    const QString label = QString::fromUtf8(request.header("user-agent")).left(128);
    const auto outcome = m_services.pinAuth.login(name.trimmed(), pin, request.ip,
                                                  label.isEmpty() ? u"pin"_qs : label);
    if (const auto *refusal = std::get_if<PinAuth::Refusal>(&outcome)) {
        m_services.metrics.countLogin(Metrics::Pin, false);
        if (refusal->failure == PinAuth::Failure::Locked)
            throw ApiError(429, u"Too many failed attempts"_qs)
                .withBody({{u"retryAfter"_qs, refusal->retryAfterSecs}})
                .withHeader("Retry-After", QByteArray::number(refusal->retryAfterSecs));
        throw ApiError(401, kInvalidCredentials);
    }
    const auto &session = std::get<PinAuth::Session>(outcome);
    m_services.metrics.countLogin(Metrics::Pin, true);
    const PinAuth::Options &o = m_services.pinAuth.options();
    // Keys in the origin's order.
    Response response = orderedJson(
        {{u"message"_qs, jsonText(u"Login successful"_qs)},
         {u"user"_qs, orderedJsonText({{u"userId"_qs, jsonText(session.user.id)},
                                       {u"name"_qs, jsonText(session.user.username)},
                                       {u"role"_qs, jsonText(session.user.role)},
                                       {u"isAdmin"_qs, jsonText(session.user.isAdmin)}})}});
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
        throw ApiError(401, access.error());
    Response response =
        orderedJson({{u"message"_qs, jsonText(u"Access token refreshed successfully"_qs)},
                     {u"accessToken"_qs, jsonText(QString::fromLatin1(*access))}});
    response.header("Set-Cookie", cookie(request, kAccessCookie, *access,
                                         m_services.pinAuth.options().accessSecs));
    return response;
}

Response PinApi::logout(const Request &request)
{
    const auto user = m_services.pinAuth.verifyAccess(accessTokenOf(request));
    if (!user)
        throw ApiError(401, user.error());
    m_services.pinAuth.logout(*user, request.cookie(kRefreshCookie), request.ip);
    Response response = Response::json(QJsonObject{{u"message"_qs, u"Logout successful"_qs}});
    response.header("Set-Cookie", cookie(request, kAccessCookie, QByteArray(), 0));
    response.header("Set-Cookie", cookie(request, kRefreshCookie, QByteArray(), 0));
    return response;
}
