// SPDX-License-Identifier: GPL-3.0-or-later
#include "surfaces/deviceaccountapi.h"

#include "anonymouslimits.h"
#include "http/apierror.h"
#include "http/body.h"
#include "http/orderedjson.h"
#include "pages/devicepages.h"
#include "router.h"
#include "services.h"
#include "surfaces/deviceapi.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace {

qint64 secs(qint64 ms)
{
    return ms / 1000;
}

// The account object as compact JSON text, keys sorted as QJsonDocument prints them
// (GET /auth/me answers with it on every check).
QByteArray accountJson(const User &user)
{
    return orderedJsonText({{u"created_at"_s, QByteArray::number(secs(user.createdAt))},
                            {u"email"_s, jsonTextOrNull(user.email)},
                            {u"email_verified"_s, jsonText(user.emailVerified)},
                            {u"id"_s, jsonText(user.id)},
                            {u"username"_s, jsonText(user.username)}});
}

Response linkPage(DeviceAuth::LinkState state)
{
    using S = DeviceAuth::LinkState;
    if (state == S::Used)
        return Response::html(DevicePages::notice(u"Link already used"_s,
                                                  u"This confirmation link was already used "
                                                  u"(or replaced by a newer one)."_s),
                              410);
    if (state == S::Expired)
        return Response::html(DevicePages::notice(u"Link expired"_s,
                                                  u"This confirmation link has expired. Set "
                                                  u"the email address again to get a new one."_s),
                              410);
    return Response::html(DevicePages::notice(u"Link not valid"_s,
                                              u"This link is not valid. Check that you opened "
                                              u"the whole link from the email."_s),
                          404);
}

} // namespace

void DeviceAccountApi::addRoutes(Router &router)
{
    using D = DeviceAccountApi;
    const RouteTable<D> table(*this, m_services, Metrics::Device, ErrorShape::Error);
    table.add(
        router,
        {
            {"GET", u"/auth/me", Auth::DeviceBearer, Runs::Inline, &D::me},
            {"PUT", u"/auth/me/email", Auth::DeviceBearer, Runs::Inline, &D::changeEmail},
            {"GET", u"/auth/sessions", Auth::DeviceBearer, Runs::Inline, &D::sessions},
            {"DELETE", u"/auth/sessions/{id}", Auth::DeviceBearer, Runs::Inline, &D::revokeSession},
            {"POST", u"/auth/sessions/revoke-others", Auth::DeviceBearer, Runs::Inline,
             &D::revokeOthers},
            // the page behind the emailed link: the code is the credential
            {"GET", u"/auth/verify-email", Auth::None, Runs::Inline, &D::verifyEmailPage},
            {"POST", u"/auth/verify-email", Auth::None, Runs::Inline, &D::verifyEmailSubmit},
        });
}

DeviceAuth::Caller DeviceAccountApi::caller(const Request &request)
{
    auto found = m_services.deviceAuth.authenticate(request.bearerToken());
    if (!found)
        throw deviceRefusal(found.refusal());
    return *found;
}

Response DeviceAccountApi::me(const Request &request)
{
    return Response::jsonBody(accountJson(caller(request).user));
}

Response DeviceAccountApi::changeEmail(const Request &request)
{
    const DeviceAuth::Caller who = caller(request);
    const QJsonObject body = Body::object(request, u"Invalid body"_s);
    const QString email =
        Body::string(body, u"email"_s, u"Field 'email' is required and must be a string"_s, 320);
    // Anyone can register and get a session, so this mailing route is limited like the
    // anonymous ones: per IP and per address.
    AnonymousLimits::takeIp(m_services, request);
    AnonymousLimits::takeTarget(m_services, u"email"_s, email);
    // A taken address answers like a free one: only a malformed one is refused.
    if (const auto changed = m_services.deviceAuth.changeEmail(who, email, request.ip); !changed)
        throw deviceRefusal(changed.refusal());
    const auto user = m_services.users.byId(who.user.id);
    if (!user)
        throw ApiError(401, u"Invalid or expired session token"_s);
    return Response::jsonBody(accountJson(*user));
}

Response DeviceAccountApi::sessions(const Request &request)
{
    const DeviceAuth::Caller who = caller(request);
    QJsonArray list;
    for (const IssuedToken &t : m_services.deviceAuth.sessions(who.user.id))
        list.append(QJsonObject{{u"id"_s, t.id},
                                {u"platform"_s, t.label},
                                {u"created_at"_s, secs(t.createdAt)},
                                {u"last_used_at"_s, secs(t.lastUsedAt)},
                                {u"expires_at"_s, secs(t.expiresAt)},
                                {u"current"_s, t.id == who.session.id}});
    return Response::json(QJsonObject{{u"sessions"_s, list}});
}

Response DeviceAccountApi::revokeSession(const Request &request)
{
    const DeviceAuth::Caller who = caller(request);
    QString id = request.params.value(u"id"_s);
    if (id == u"current")
        id = who.session.id;
    if (!m_services.deviceAuth.revokeSession(who, id, request.ip))
        throw ApiError(404, u"Session not found"_s);
    return Response::empty(204);
}

Response DeviceAccountApi::revokeOthers(const Request &request)
{
    const DeviceAuth::Caller who = caller(request);
    const int count = m_services.deviceAuth.revokeOtherSessions(who, request.ip);
    return Response::json(QJsonObject{{u"revoked"_s, count}});
}

Response DeviceAccountApi::verifyEmailPage(const Request &request)
{
    const QString code = request.queryValue(u"code"_s);
    const DeviceAuth::EmailLink link = m_services.deviceAuth.emailLink(code);
    if (link.state != DeviceAuth::LinkState::Pending)
        return linkPage(link.state);
    return Response::html(DevicePages::confirmEmailForm(link.username, link.email, code));
}

Response DeviceAccountApi::verifyEmailSubmit(const Request &request)
{
    const DeviceAuth::EmailLink link =
        m_services.deviceAuth.confirmEmail(formField(request, u"code"_s), request.ip);
    if (link.state != DeviceAuth::LinkState::Pending)
        return linkPage(link.state);
    return Response::html(DevicePages::notice(
        u"Email address confirmed"_s,
        link.email + u" is now the confirmed email address of "_s + link.username + u"."_s));
}
