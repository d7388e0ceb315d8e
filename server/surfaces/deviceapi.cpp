// SPDX-License-Identifier: GPL-3.0-or-later
#include "surfaces/deviceapi.h"

#include "anonymouslimits.h"
#include "http/apierror.h"
#include "http/body.h"
#include "http/orderedjson.h"
#include "pages/devicepages.h"
#include "pages/pageassets.h"
#include "pages/pagetemplate.h"
#include "router.h"
#include "services.h"

#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace {

const QString kNotAuthorized = u"The auth id is invalid, expired, or not yet authorized"_s;

QString required(const QJsonObject &body, const QString &field, int maxLength = 320)
{
    return Body::string(body, field, u"Field '%1' is required and must be a string"_s.arg(field),
                        maxLength);
}

void checkPlatform(const QString &platform)
{
    if (!DeviceAuth::isValidPlatform(platform))
        throw ApiError(400, u"session_platform must be 1 to 64 printable characters"_s);
}

DevicePages::LoginRequest pageRequest(const DeviceLogins::Pending &p)
{
    return {.username = p.username,
            .platform = p.platform,
            .ip = p.ip,
            .createdAtMs = p.createdAt,
            .expiresAtMs = p.expiresAt};
}

// The page for a link that no longer (or never did) lead anywhere.
Response stalePage(DeviceLogins::State state)
{
    using S = DeviceLogins::State;
    switch (state) {
    case S::Approved:
        return Response::html(DevicePages::notice(u"Already approved"_s,
                                                  u"This sign-in was already approved. "
                                                  u"The link cannot be used again."_s),
                              410);
    case S::Denied:
        return Response::html(DevicePages::notice(u"Sign-in denied"_s,
                                                  u"This sign-in request was denied. "
                                                  u"The link cannot be used again."_s),
                              410);
    case S::Expired:
        return Response::html(DevicePages::notice(u"Link expired"_s,
                                                  u"This sign-in request has expired. "
                                                  u"Start the login again on your device to get "
                                                  u"a new email."_s),
                              410);
    default:
        return Response::html(DevicePages::notice(u"Link not valid"_s,
                                                  u"This link is not valid. Check that you "
                                                  u"opened the whole link from the email."_s),
                              404);
    }
}

} // namespace

ApiError deviceRefusal(const Refusal &r)
{
    using K = Refusal::Kind;
    switch (r.kind) {
    case K::InvalidInput:
        return ApiError(400, r.message);
    case K::Conflict:
    case K::AlreadyVerified:
        return ApiError(409, r.message);
    case K::RateLimited:
    case K::Locked:
        return ApiError(429, u"Too many login requests for this account, try again later"_s)
            .withHeader("Retry-After", QByteArray::number(qMax<qint64>(1, r.retryAfterSecs)));
    case K::BadCredentials:
    case K::TokenInvalid:
    case K::TokenExpired:
    case K::Inactive:
        return ApiError(401, r.message).withHeader("WWW-Authenticate", "Bearer");
    case K::NoRole:
    case K::Forbidden:
    case K::LastAdmin:
    case K::WrongCode:
        return ApiError(403, r.message);
    case K::NotFound:
        return ApiError(404, r.message);
    case K::NotConfigured:
        return ApiError(503, r.message);
    case K::ProviderUnreachable:
    case K::Internal:
        break;
    }
    return ApiError(500, u"Internal server error"_s);
}

QString formField(const Request &request, const QString &name)
{
    QString text = QString::fromUtf8(request.body);
    text.replace(u'+', u' '); // form encoding; a literal '+' arrives as %2B
    return QUrlQuery(text).queryItemValue(name, QUrl::FullyDecoded);
}

void DeviceApi::addRoutes(Router &router)
{
    PageTemplate::all(); // the pages are read now, not on some listener's first request
    using D = DeviceApi;
    const RouteTable<D> table(*this, m_services, Metrics::Device, ErrorShape::Error);
    table.add(router,
              {
                  {"POST", u"/auth/registration", Auth::None, Runs::Inline, &D::registration,
                   Budget::PerIp},
                  // the auth_id is the poller's own secret
                  {"GET", u"/auth/session/{auth_id}", Auth::None, Runs::Inline, &D::session},
                  // the page behind the emailed link: the code is the credential
                  {"GET", u"/auth/approve", Auth::None, Runs::Inline, &D::approvePage},
                  {"POST", u"/auth/approve", Auth::None, Runs::Inline, &D::approveSubmit},
                  {"GET", u"/auth/assets/page.css", Auth::None, Runs::Inline, &D::asset},
              });
}

Response DeviceApi::asset(const Request &request)
{
    return PageAssets::file(request.path.section(u'/', -1));
}

Response DeviceApi::registration(const Request &request)
{
    const QJsonObject body = Body::object(request, u"Invalid body"_s);
    const QString username = required(body, u"username"_s, 64);
    const QString email = Body::optionalString(body, u"email"_s,
                                               u"Field 'email' must be a "
                                               u"string"_s,
                                               320)
                              .value_or(QString())
                              .trimmed();
    const QString platform = required(body, u"session_platform"_s, 256);
    checkPlatform(platform);
    const auto outcome = m_services.deviceAuth.registerUser(username, email, platform, request.ip);
    if (!outcome)
        throw deviceRefusal(outcome.refusal());
    const DeviceAuth::Session &session = *outcome;
    return Response::json(QJsonObject{{u"session_token"_s, QString::fromLatin1(session.token)}});
}

Response DeviceApi::login(const Request &request, const QJsonObject &body)
{
    AnonymousLimits::takeIp(m_services, request);
    const QString username = required(body, u"username"_s, 256);
    const QString email = required(body, u"email"_s, 320);
    const QString platform = required(body, u"session_platform"_s, 256);
    checkPlatform(platform);
    // Counted whether or not the pair is right, so the limit tells nothing either.
    AnonymousLimits::takeTarget(m_services, u"email"_s, email);
    const auto outcome = m_services.deviceLogins.start(username, email, platform, request.ip);
    if (!outcome) {
        m_services.metrics.countLogin(Metrics::Device, false);
        throw deviceRefusal(outcome.refusal());
    }
    const DeviceLogins::Started &started = *outcome;
    return orderedJson({{u"expiration_date"_s, jsonText(started.expiresAtSecs)}, // seed order
                        {u"auth_id"_s, jsonText(started.authId)}});
}

Response DeviceApi::session(const Request &request)
{
    const auto token =
        m_services.deviceLogins.claim(request.params.value(u"auth_id"_s), request.ip);
    if (!token)
        throw ApiError(400, kNotAuthorized);
    m_services.metrics.countLogin(Metrics::Device, true);
    return Response::json(QJsonObject{{u"session_token"_s, QString::fromLatin1(*token)}});
}

Response DeviceApi::approvePage(const Request &request)
{
    const QString code = request.queryValue(u"code"_s);
    const DeviceLogins::Pending pending = m_services.deviceLogins.byCode(code);
    if (pending.state != DeviceLogins::State::Waiting)
        return stalePage(pending.state);
    return Response::html(DevicePages::approveForm(pageRequest(pending), code));
}

Response DeviceApi::approveSubmit(const Request &request)
{
    const QString code = formField(request, u"code"_s);
    const QString decision = formField(request, u"decision"_s);
    if (decision != u"approve" && decision != u"deny")
        return Response::html(DevicePages::notice(u"Nothing done"_s,
                                                  u"Press Approve or Deny on the page from "
                                                  u"the email."_s),
                              400);
    const bool approve = decision == u"approve";
    const DeviceLogins::State before = m_services.deviceLogins.byCode(code).state;
    if (before != DeviceLogins::State::Waiting)
        return stalePage(before);
    const DeviceLogins::Pending after = m_services.deviceLogins.decide(code, approve, request.ip);
    if (after.state == DeviceLogins::State::Approved && approve)
        return Response::html(DevicePages::notice(
            u"Sign-in approved"_s, u"The device \""_s + after.platform +
                                       u"\" is now signed in. You can close this page."_s));
    if (after.state == DeviceLogins::State::Denied && !approve)
        return Response::html(DevicePages::notice(
            u"Sign-in denied"_s, u"The request was denied; that device is not signed in. "
                                 u"You can close this page."_s));
    return stalePage(after.state);
}
