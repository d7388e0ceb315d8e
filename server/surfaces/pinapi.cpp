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

QByteArray orNull(const QString &s)
{
    return s.isEmpty() ? QByteArray("null") : jsonText(s);
}

// Ambrosia's UserResponse, keys in its order: the role as its roles table names it; no
// phone numbers here (null).
QByteArray userText(const User &user, const PinRole &role)
{
    return orderedJsonText({{u"userId"_qs, jsonText(user.id)},
                            {u"name"_qs, jsonText(user.username)},
                            {u"email"_qs, orNull(user.email)},
                            {u"phone"_qs, QByteArray("null")},
                            {u"role"_qs, jsonText(role.name)},
                            {u"roleId"_qs, jsonText(role.id)},
                            {u"isAdmin"_qs, jsonText(user.isAdmin)}});
}

// Ambrosia's Permission list: [{id, name, description, enabled}], by name.
QByteArray permsText(const PinRole &role)
{
    QByteArray out = "[";
    for (const PinPermission &p : role.permissions) {
        if (out.size() > 1)
            out += ',';
        out += orderedJsonText({{u"id"_qs, jsonText(p.id)},
                                {u"name"_qs, jsonText(p.name)},
                                {u"description"_qs, jsonText(p.description)},
                                {u"enabled"_qs, jsonText(p.enabled)}});
    }
    return out + ']';
}

// A right PIN whose role signs no one in. Ambrosia answers the first with this message
// (its client shows it) and the second with an empty 403; ours says why.
ApiError roleRefusal(PinAuth::Failure failure)
{
    if (failure == PinAuth::Failure::NoRole)
        return ApiError(401, u"No assigned role for this user, contact Admin"_qs);
    return ApiError(403, u"The role of this user has no permissions, contact Admin"_qs);
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
    router.add({"GET", u"/users/me"_qs, [this](const Request &r) { return me(r); }, Runs::Inline,
                Metrics::Pin, ErrorShape::Message}); // accessToken cookie
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
        if (refusal->failure != PinAuth::Failure::InvalidCredentials)
            throw roleRefusal(refusal->failure);
        throw ApiError(401, kInvalidCredentials);
    }
    const auto &session = std::get<PinAuth::Session>(outcome);
    m_services.metrics.countLogin(Metrics::Pin, true);
    const PinAuth::Options &o = m_services.pinAuth.options();
    // Ambrosia's LoginResponse, keys in its order.
    Response response = orderedJson({{u"message"_qs, jsonText(u"Login successful"_qs)},
                                     {u"user"_qs, userText(session.user, session.role)},
                                     {u"perms"_qs, permsText(session.role)}});
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

// Ambrosia's AuthProvider restores a session on page load with this route.
Response PinApi::me(const Request &request)
{
    const auto user = m_services.pinAuth.verifyAccess(accessTokenOf(request));
    if (!user)
        throw ApiError(401, user.error());
    const auto role = m_services.pinAuth.roleFor(*user);
    if (const auto *failure = std::get_if<PinAuth::Failure>(&role))
        throw roleRefusal(*failure);
    const PinRole &granted = std::get<PinRole>(role);
    return orderedJson({{u"user"_qs, userText(*user, granted)}, {u"perms"_qs, permsText(granted)}});
}
