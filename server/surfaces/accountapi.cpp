// SPDX-License-Identifier: GPL-3.0-or-later
#include "surfaces/accountapi.h"

#include "anonymouslimits.h"
#include "http/apierror.h"
#include "http/body.h"
#include "http/formdata.h"
#include "pages/pageassets.h"
#include "pages/pagetemplate.h"
#include "pages/resetpasswordpage.h"
#include "router.h"
#include "services.h"
#include "surfaces/userjson.h"

#include <QRegularExpression>
#include <functional>

using namespace Qt::StringLiterals;

namespace {

const QString kInvalid = u"Invalid body"_s;
constexpr int kMaxEmail = 254;
constexpr int kMaxName = 128;
constexpr int kMaxPassword = Accounts::kMaxPasswordLength;

// "field 'new_password' must be…" -> "New password must be…": the person reads the
// reason (lncrawl-web's stringifyError shows `error`); `detail` keeps the field's name.
QString sentence(const QString &detail)
{
    static const QRegularExpression named(u"^(?:field|query parameter) '([a-z_]+)' (.*)$"_s);
    QString text = detail;
    if (const auto m = named.match(detail); m.hasMatch()) {
        QString label = m.captured(1) == u"otp" ? u"OTP"_s : m.captured(1);
        text = label.replace(u'_', u' ') + u' ' + m.captured(2);
    }
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    return text;
}

// The surface's one refusal mapping. Where the origin (lncrawl/exceptions.py) has a fixed
// wording it goes in `error` and our reason in `detail`; where its wording would hide
// the reason ("Unauthorized", "Invalid body", "Too Many Requests"), `error` is the
// reason as a sentence and `detail` the same reason as before (naming the field).
ApiError toApiError(const Refusal &r)
{
    using K = Refusal::Kind;
    const QString &why = r.message;
    switch (r.kind) {
    case K::BadCredentials:
        return ApiError(401, sentence(why), why).withHeader("WWW-Authenticate", "Bearer");
    case K::Inactive:
        return ApiError(403, u"User is inactive"_s, why);
    case K::TokenInvalid:
        return ApiError(403, u"Invalid token"_s, why);
    case K::TokenExpired:
        return ApiError(403, u"Token expired"_s, why);
    case K::Conflict:
        return ApiError(409, u"User already exists"_s, why);
    case K::AlreadyVerified:
        return ApiError(409, u"Email is already verified"_s, why);
    case K::WrongCode:
        return ApiError(403, u"Wrong OTP"_s, why);
    case K::LastAdmin:
        return ApiError(403, u"You are not allowed to delete your own account"_s, why);
    case K::NoRole:
    case K::Forbidden:
        return ApiError(403, sentence(why), why);
    case K::Locked:
        return ApiError(429, sentence(why), why);
    case K::RateLimited:
        return ApiError(429, sentence(why), why)
            .withHeader("Retry-After", QByteArray::number(qMax<qint64>(1, r.retryAfterSecs)));
    case K::NotFound:
        return ApiError(404, sentence(why), why);
    case K::NotConfigured:
        return ApiError(503, sentence(why), why);
    case K::ProviderUnreachable:
    case K::Internal:
        return ApiError(500, u"Internal server error"_s);
    case K::InvalidInput:
        break;
    }
    return ApiError(400, sentence(why), why);
}

// Runs a handler: core refusals and the body parsers' 400s leave through toApiError.
Response mapped(const std::function<Response()> &handler)
{
    try {
        return handler();
    } catch (const Refusal &error) {
        throw toApiError(error);
    } catch (const ApiError &error) {
        if (error.status != 400 || error.body)
            throw;
        throw toApiError(Refusal(Refusal::Kind::InvalidInput,
                                 error.detail.isEmpty() ? error.message : error.detail));
    }
}

Response grantJson(const Accounts::Grant &grant)
{
    return Response::json(QJsonObject{{u"token"_s, QString::fromLatin1(grant.token)},
                                      {u"user"_s, userJson(grant.user)}});
}

// A new password field: present, a string, and acceptable.
QString newPassword(const QJsonObject &body, const QString &field, const User &user)
{
    const QString password = Body::string(body, field, kInvalid, kMaxPassword);
    if (const QString problem = Accounts::passwordProblem(user, password); !problem.isEmpty())
        throw Refusal(Refusal::Kind::InvalidInput, u"field '%1' %2"_s.arg(field, problem));
    return password;
}

QString emailField(const QJsonObject &body, const QString &field)
{
    const QString email = Body::string(body, field, kInvalid, kMaxEmail).trimmed();
    if (!Users::isValidEmail(email))
        throw Refusal(Refusal::Kind::InvalidInput,
                      u"field '%1' is not a valid email address"_s.arg(field));
    return email;
}

} // namespace

void AccountApi::addRoutes(Router &router)
{
    PageTemplate::all(); // the pages are read now, not on some listener's first request
    router.addPrefix(u"/api/auth/"_s, ErrorShape::ErrorDetail, Metrics::Account);
    using A = AccountApi;
    const RouteTable<A> table(*this, m_services, Metrics::Account, ErrorShape::ErrorDetail,
                              &mapped);
    table.add(
        router,
        {
            {"POST", u"/api/auth/login", Auth::None, Runs::OnPool, &A::login},
            // the referrer's API token is in the body
            {"POST", u"/api/auth/signup", Auth::None, Runs::OnPool, &A::signup, Budget::PerIp},
            // a login JWT, or a reset token (this route only)
            {"GET", u"/api/auth/me", Auth::AccountBearer, Runs::Inline, &A::me},
            {"DELETE", u"/api/auth/me", Auth::AccountBearer, Runs::Inline, &A::deactivate},
            {"PUT", u"/api/auth/me/name", Auth::AccountBearer, Runs::Inline, &A::setName},
            {"PUT", u"/api/auth/me/password", Auth::AccountBearer, Runs::OnPool,
             &A::changePassword},
            {"POST", u"/api/auth/send-password-reset-link", Auth::None, Runs::Inline,
             &A::sendResetLink, Budget::PerIp},
            {"POST", u"/api/auth/reset-password-with-token", Auth::ResetBearer, Runs::OnPool,
             &A::resetWithToken},
            {"POST", u"/api/auth/me/send-otp", Auth::AccountBearer, Runs::Inline, &A::sendOtp},
            // the OTP session token is in the form
            {"POST", u"/api/auth/verify-otp", Auth::None, Runs::Inline, &A::verifyOtp,
             Budget::PerIp},
            {"POST", u"/api/auth/me/create-token", Auth::AccountBearer, Runs::Inline,
             &A::createToken},
            {"GET", u"/api/auth/verify-token", Auth::None, Runs::Inline, &A::verifyToken},
            {"POST", u"/api/auth/me/tokens", Auth::AccountBearer, Runs::Inline, &A::listTokens},
            // second factors (accountfactorsapi.cpp); the challenge is in the body
            {"POST", u"/api/auth/login/second-factor", Auth::None, Runs::Inline,
             &A::loginSecondFactor, Budget::PerIp},
            {"GET", u"/api/auth/me/factors", Auth::AccountBearer, Runs::Inline, &A::listFactors},
            {"POST", u"/api/auth/me/factors/totp", Auth::AccountBearer, Runs::Inline,
             &A::startTotp},
            {"POST", u"/api/auth/me/factors/totp/confirm", Auth::AccountBearer, Runs::Inline,
             &A::confirmTotp},
            {"PUT", u"/api/auth/me/factors/{id}", Auth::AccountBearer, Runs::Inline,
             &A::renameFactor},
            {"DELETE", u"/api/auth/me/factors/{id}", Auth::AccountBearer, Runs::OnPool,
             &A::removeFactor},
            {"POST", u"/api/auth/me/factors/recovery-codes", Auth::AccountBearer, Runs::OnPool,
             &A::newRecoveryCodes},
            // the page the reset mail links to, and its files
            {"GET", u"/reset-password", Auth::None, Runs::Inline, &A::resetPage},
            {"GET", u"/assets/reset-password.js", Auth::None, Runs::Inline, &A::asset},
            {"GET", u"/assets/form.css", Auth::None, Runs::Inline, &A::asset},
        });
    m_passkeys.addRoutes(router); // /api/auth/me/passkeys…, /api/auth/passkey/…, /signin
}

Response AccountApi::mapRefusals(const std::function<Response()> &handler)
{
    return mapped(handler);
}

Response AccountApi::grantResponse(const Accounts::Grant &grant)
{
    return grantJson(grant);
}

User AccountApi::bearerUser(const Request &request) const
{
    return m_services.accounts.authenticate(request.bearerToken());
}

// {email, password} -> {token, user}; email may be a username (the default admin).
Response AccountApi::login(const Request &request)
{
    const QJsonObject body = Body::object(request, kInvalid);
    const QString email = Body::string(body, u"email"_s, kInvalid, kMaxEmail);
    const QString password = Body::string(body, u"password"_s, kInvalid, kMaxPassword);
    try {
        const auto grant = m_services.accounts.login(email, password, request.ip);
        if (grant.secondStep) // a right password, but the account has a second factor
            throw secondStepRequired(*grant.secondStep);
        m_services.metrics.countLogin(Metrics::Account, true);
        return grantJson(grant);
    } catch (const Refusal &) {
        m_services.metrics.countLogin(Metrics::Account, false);
        throw;
    }
}

// {referrer, email, password, name?} -> {token, user}
Response AccountApi::signup(const Request &request)
{
    const QJsonObject body = Body::object(request, kInvalid);
    Accounts::SignupRequest signup;
    signup.referrer = Body::string(body, u"referrer"_s, kInvalid, 64);
    signup.email = emailField(body, u"email"_s);
    signup.password = newPassword(body, u"password"_s, User());
    signup.name = Body::optionalString(body, u"name"_s, kInvalid, kMaxName).value_or(QString());
    return grantJson(m_services.accounts.signup(signup, request.ip));
}

// A login JWT, or a reset token: the reset page shows whose password it changes. The
// reset token reads this one route and nothing else (resetTokenOwner grants no session).
Response AccountApi::me(const Request &request)
{
    const QByteArray token = request.bearerToken();
    try {
        return Response::jsonBody(userJsonText(m_services.accounts.authenticate(token)));
    } catch (const Refusal &loginRefusal) {
        if (loginRefusal.kind != Refusal::Kind::BadCredentials || token.isEmpty())
            throw;
        try {
            return Response::json(userJson(m_services.accounts.resetTokenOwner(token)));
        } catch (const Refusal &) {
            throw loginRefusal; // the reason for a login token, as before
        }
    }
}

// Closes the caller's own account -> true (the origin's "Deactivate current user").
Response AccountApi::deactivate(const Request &request)
{
    const User user = bearerUser(request);
    m_services.accounts.deactivate(user, request.ip);
    return Response::jsonValue(true);
}

// {name} -> true
Response AccountApi::setName(const Request &request)
{
    const User user = bearerUser(request);
    const QJsonObject body = Body::object(request, kInvalid);
    const QString name = Body::string(body, u"name"_s, kInvalid, kMaxName).trimmed();
    m_services.accounts.setDisplayName(user, name, request.ip);
    return Response::jsonValue(true);
}

// {old_password, new_password} -> true ("password" is accepted for new_password).
Response AccountApi::changePassword(const Request &request)
{
    const User user = bearerUser(request);
    const QJsonObject body = Body::object(request, kInvalid);
    const QString oldPassword = Body::string(body, u"old_password"_s, kInvalid, kMaxPassword);
    const QString field = body.contains(u"new_password"_s) || !body.contains(u"password"_s)
                              ? u"new_password"_s
                              : u"password"_s;
    const QString password = newPassword(body, field, user);
    m_services.accounts.changePassword(user, oldPassword, password, request.ip);
    return Response::jsonValue(true);
}

// {email} -> true, whether or not the address has an account.
Response AccountApi::sendResetLink(const Request &request)
{
    const QJsonObject body = Body::object(request, kInvalid);
    const QString email = emailField(body, u"email"_s);
    AnonymousLimits::takeTarget(m_services, u"email"_s, email); // whether or not it exists
    m_services.accounts.requestPasswordReset(email, request.ip);
    return Response::jsonValue(true);
}

// Bearer <reset token>, {password} -> true
Response AccountApi::resetWithToken(const Request &request)
{
    const QByteArray token = request.bearerToken();
    m_services.accounts.resetTokenOwner(token); // the credential before the body
    const QJsonObject body = Body::object(request, kInvalid);
    const QString password = Body::string(body, u"password"_s, kInvalid, kMaxPassword);
    m_services.accounts.resetPassword(token, password, request.ip);
    return Response::jsonValue(true);
}

// -> {token}: the OTP session token for verify-otp.
Response AccountApi::sendOtp(const Request &request)
{
    const User user = bearerUser(request);
    const QByteArray token = m_services.accountOtp.send(user, request.ip);
    return Response::json(QJsonObject{{u"token"_s, QString::fromLatin1(token)}});
}

// multipart/form-data {otp, token} -> true
Response AccountApi::verifyOtp(const Request &request)
{
    const auto fields = FormData::parse(request, kInvalid);
    const QString otp = FormData::field(fields, u"otp"_s, kInvalid, 16).trimmed();
    const QString token = FormData::field(fields, u"token"_s, kInvalid, 2048).trimmed();
    m_services.accountOtp.verify(token.toLatin1(), otp, request.ip);
    return Response::jsonValue(true);
}

// -> {token}: the origin's TokenResponse (lncrawl-web reads `data.token`).
Response AccountApi::createToken(const Request &request)
{
    const User user = bearerUser(request);
    const QString token = m_services.apiTokens.createOrReuse(user);
    m_services.audit.record({.actor = user.id,
                             .action = u"account.token.create"_s,
                             .subject = u"user:"_s + user.id,
                             .surface = u"account"_s,
                             .ip = request.ip,
                             .result = u"ok"_s});
    return Response::json(QJsonObject{{u"token"_s, token}});
}

// ?token=… -> true when the token is live and its account active, else false.
Response AccountApi::verifyToken(const Request &request)
{
    if (!request.query.hasQueryItem(u"token"_s))
        throw Refusal(Refusal::Kind::InvalidInput, u"query parameter 'token' is required"_s);
    const QString token = request.queryValue(u"token"_s).trimmed();
    if (token.size() > 64)
        throw Refusal(Refusal::Kind::InvalidInput, u"query parameter 'token' is too long"_s);
    return Response::jsonValue(m_services.apiTokens.activeOwner(token).has_value());
}

// -> [{token, user_id, expires_at}]
Response AccountApi::listTokens(const Request &request)
{
    const User user = bearerUser(request);
    QJsonArray out;
    for (const ApiTokenInfo &t : m_services.apiTokens.list(user.id))
        out.append(QJsonObject{
            {u"token"_s, t.token}, {u"user_id"_s, t.userId}, {u"expires_at"_s, t.expiresAt}});
    return Response::json(out);
}

Response AccountApi::resetPage(const Request &)
{
    return Response::html(ResetPasswordPage::html());
}

Response AccountApi::asset(const Request &request)
{
    return PageAssets::file(request.path.section(u'/', -1));
}
