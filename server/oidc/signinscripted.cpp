// SPDX-License-Identifier: GPL-3.0-or-later
// OidcSignin: the methods a script drives (oidc-signin.js) — a passkey, alone or as the
// second step, and a wallet signature. JSON in, {location} (and the cookie) or an OAuth
// error {"error", "error_description"} out.
#include "anonymouslimits.h"
#include "http/body.h"
#include "oidc/signin.h"
#include "services.h"
#include "surfaces/passkeyjson.h"

using namespace Qt::StringLiterals;

namespace {

const QString kInvalid = u"invalid_request"_s;
constexpr int kMaxToken = 128;

// A refusal of the core as the OAuth error the script shows: every refusal of a proof is
// one message, so nothing tells whether a credential or an account exists.
ApiError denied(const Refusal &refusal, const QString &proof)
{
    using K = Refusal::Kind;
    switch (refusal.kind) {
    case K::RateLimited:
    case K::Locked:
        return ApiError(429, u"access_denied"_s, refusal.message)
            .withHeader("Retry-After", QByteArray::number(qMax<qint64>(1, refusal.retryAfterSecs)));
    case K::Inactive:
        return ApiError(403, u"access_denied"_s, u"This account is disabled."_s);
    case K::TokenInvalid:
    case K::TokenExpired:
        return ApiError(403, u"access_denied"_s,
                        u"This sign-in took too long. Please sign in again."_s);
    case K::Internal:
    case K::ProviderUnreachable:
        return ApiError(500, u"server_error"_s, u"Something went wrong. Please try again."_s);
    case K::InvalidInput:
        return ApiError(400, kInvalid, refusal.message);
    default:
        return ApiError(401, u"access_denied"_s, proof + u" was not accepted."_s);
    }
}

QJsonObject started(const PasskeyAuth::Started &s)
{
    return {{u"ceremony"_s, s.ceremony}, {u"options"_s, s.options}};
}

} // namespace

// Every scripted POST: the address's budget, a JSON body, a live request and its CSRF.
QJsonObject OidcSignin::openJson(const Request &request, AuthRequest *authRequest)
{
    AnonymousLimits::takeIp(m_services, request);
    const QJsonObject body = Body::object(request, kInvalid);
    const QString id = Body::string(body, u"request"_s, kInvalid, kMaxToken);
    const auto found = m_services.oidc.requests.byId(id);
    if (!found)
        throw ApiError(400, kInvalid,
                       u"This sign-in has expired. Go back to the application and start again."_s);
    const QString csrf = Body::string(body, u"csrf"_s, kInvalid, kMaxToken);
    if (!SigninPage::csrfMatches(m_services.secrets.signingKey(), id, csrf.toLatin1())) {
        auditRefusal(request, u"script"_s, found->clientId, u"CSRF token did not match"_s);
        throw ApiError(403, u"access_denied"_s, u"This page is out of date. Reload it."_s);
    }
    *authRequest = *found;
    return body;
}

// {request, csrf} -> {ceremony, options}: a passwordless passkey ceremony.
Response OidcSignin::passkeyOptions(const Request &request)
{
    AuthRequest authRequest;
    openJson(request, &authRequest);
    return Response::json(started(m_services.passkeys.loginOptions()));
}

// {request, csrf, ceremony, response: AuthenticationResponseJSON} -> {location}
Response OidcSignin::passkey(const Request &request)
{
    AuthRequest authRequest;
    const QJsonObject body = openJson(request, &authRequest);
    const QString ceremony = Body::string(body, u"ceremony"_s, kInvalid, kMaxToken);
    const auto response = PasskeyJson::assertion(body, u"response"_s);
    try {
        const auto grant = m_services.passkeys.login(ceremony, response, request.ip);
        return signedIn(request, authRequest, grant.user.id, u"hwk"_s, u"passkey"_s, true);
    } catch (const Refusal &refusal) {
        m_services.metrics.countLogin(Metrics::Oidc, false);
        auditRefusal(request, u"passkey"_s, authRequest.clientId, refusal.message);
        throw denied(refusal, u"The passkey"_s);
    }
}

// {request, csrf, challenge, first} -> {ceremony, options} naming the user's passkeys.
Response OidcSignin::secondPasskeyOptions(const Request &request)
{
    AuthRequest authRequest;
    const QJsonObject body = openJson(request, &authRequest);
    const QString challenge = Body::string(body, u"challenge"_s, kInvalid, kMaxToken);
    const bool afterCode = body.value(u"first"_s).toString() == u"otp";
    try {
        if (!afterCode)
            return Response::json(started(m_services.passkeys.secondStepOptions(challenge)));
        const Result<QString> userId = m_services.secondStep.peek(challenge, kCodePurpose);
        if (!userId)
            throw userId.refusal();
        const auto user = m_services.users.byId(*userId);
        if (!user || user->disabled)
            throw Refusal(Refusal::Kind::Inactive, u"this account is disabled"_s);
        return Response::json(started(m_services.passkeys.secondFactorOptions(*user)));
    } catch (const Refusal &refusal) {
        throw denied(refusal, u"The passkey"_s);
    }
}

// {request, csrf, challenge, first, ceremony, response} -> {location}
Response OidcSignin::secondPasskey(const Request &request)
{
    AuthRequest authRequest;
    const QJsonObject body = openJson(request, &authRequest);
    const QString challenge = Body::string(body, u"challenge"_s, kInvalid, kMaxToken);
    const bool afterCode = body.value(u"first"_s).toString() == u"otp";
    const QString ceremony = Body::string(body, u"ceremony"_s, kInvalid, kMaxToken);
    const auto response = PasskeyJson::assertion(body, u"response"_s);
    try {
        QString userId;
        if (!afterCode) {
            userId =
                m_services.passkeys.completeSecondStep(challenge, ceremony, response, request.ip)
                    .user.id;
        } else {
            const Result<QString> tried = m_services.secondStep.countTry(challenge, kCodePurpose);
            if (!tried)
                throw tried.refusal();
            const auto user = m_services.users.byId(*tried);
            if (!user || user->disabled)
                throw Refusal(Refusal::Kind::Inactive, u"this account is disabled"_s);
            m_services.passkeys.verifySecondFactor(*user, ceremony, response, request.ip);
            const Result<QString> finished = m_services.secondStep.finish(challenge, kCodePurpose);
            if (!finished)
                throw finished.refusal();
            userId = *finished;
        }
        return signedIn(request, authRequest, userId,
                        afterCode ? u"otp hwk mfa"_s : u"pwd hwk mfa"_s,
                        u"second factor (passkey)"_s, true);
    } catch (const Refusal &refusal) {
        m_services.metrics.countLogin(Metrics::Oidc, false);
        auditRefusal(request, u"second factor (passkey)"_s, authRequest.clientId, refusal.message);
        throw denied(refusal, u"The passkey"_s);
    }
}
