// SPDX-License-Identifier: GPL-3.0-or-later
// AccountApi: second factors (docs/api/account.md "Second factors"): the second step of a
// login, and the caller's own TOTP enrolment, factors and recovery codes.
#include "surfaces/accountapi.h"

#include "http/apierror.h"
#include "http/body.h"
#include "qrsvg.h"
#include "services.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace {
const QString kInvalid = u"Invalid body"_s;
constexpr int kMaxCode = 32;
constexpr int kMaxChallenge = 128;

QJsonValue timeOrNull(qint64 ms)
{
    return ms > 0 ? QJsonValue(ms) : QJsonValue(QJsonValue::Null);
}

QJsonObject factorJson(const Factor &f)
{
    return {{u"id"_s, f.id},
            {u"kind"_s, f.kind},
            {u"label"_s, f.label},
            {u"created_at"_s, f.createdAt},
            {u"last_used_at"_s, timeOrNull(f.lastUsedAt)}};
}

QJsonArray codesJson(const QStringList &codes)
{
    QJsonArray out;
    for (const QString &c : codes)
        out.append(c);
    return out;
}

// The factor named in the path, which must be the caller's.
QString factorIdOf(const Request &request)
{
    return request.params.value(u"id"_s).left(64);
}

} // namespace

// The 401 a right password gets when the account has a second factor: the person reads
// `error` (lncrawl-web shows it), a client that knows second factors reads `second_factor`.
ApiError AccountApi::secondStepRequired(const PendingSecondStep &pending)
{
    const QString error = pending.methods.contains(u"totp"_s)
                              ? u"Enter the code from your authenticator app"_s
                              : u"Confirm with your passkey to finish signing in"_s;
    QJsonArray methods;
    for (const QString &m : pending.methods)
        methods.append(m);
    return ApiError(401, error)
        .withBody({{u"error"_s, error},
                   {u"detail"_s, u"second factor required"_s},
                   {u"second_factor"_s, QJsonObject{{u"challenge"_s, pending.challenge},
                                                    {u"methods"_s, methods},
                                                    {u"expires_in"_s, pending.expiresInSecs}}}})
        .withHeader("WWW-Authenticate", "Bearer");
}

// {challenge, code} or {challenge, recovery_code} -> {token, user}
Response AccountApi::loginSecondFactor(const Request &request)
{
    const QJsonObject body = Body::object(request, kInvalid);
    const QString challenge = Body::string(body, u"challenge"_s, kInvalid, kMaxChallenge);
    if (body.contains(u"passkey"_s)) // {challenge, ceremony, passkey}: accountpasskeys.cpp
        return m_passkeys.finishSecondStep(request, body, challenge);
    const bool recovery = body.contains(u"recovery_code"_s) && !body.contains(u"code"_s);
    const QString code =
        Body::string(body, recovery ? u"recovery_code"_s : u"code"_s, kInvalid, kMaxCode);
    using F = Accounts::SecondFactor;
    try {
        const auto grant = m_services.accounts.completeSecondStep(
            challenge, recovery ? F::RecoveryCode : F::Totp, code, request.ip);
        m_services.metrics.countLogin(Metrics::Account, true);
        return grantResponse(grant);
    } catch (const Refusal &) {
        m_services.metrics.countLogin(Metrics::Account, false);
        throw;
    }
}

// -> {factors: [...], recovery_codes_left}
Response AccountApi::listFactors(const Request &request)
{
    const User user = bearerUser(request);
    QJsonArray factors;
    for (const Factor &f : m_services.factors.list(user.id))
        factors.append(factorJson(f));
    return Response::json(
        QJsonObject{{u"factors"_s, factors},
                    {u"recovery_codes_left"_s, m_services.factors.recoveryCodesLeft(user.id)}});
}

// {label?} -> {factor_id, secret, otpauth_uri, qr_svg}: not a factor until confirmed.
Response AccountApi::startTotp(const Request &request)
{
    const User user = bearerUser(request);
    const QJsonObject body =
        request.body.isEmpty() ? QJsonObject() : Body::object(request, kInvalid);
    const QString label =
        Body::optionalString(body, u"label"_s, kInvalid, Factors::kMaxLabel).value_or(QString());
    const QString account = user.email.isEmpty() ? user.username : user.email;
    const TotpEnrolment e = m_services.factors.beginTotp(user.id, account, label, request.ip);
    return Response::json(QJsonObject{{u"factor_id"_s, e.factor.id},
                                      {u"label"_s, e.factor.label},
                                      {u"secret"_s, e.secret},
                                      {u"otpauth_uri"_s, e.uri},
                                      {u"qr_svg"_s, QrSvg::dataUri(e.uri)}});
}

// {factor_id, code} -> {factor, recovery_codes}: recovery codes shown this once (an empty
// list when the account had them already).
Response AccountApi::confirmTotp(const Request &request)
{
    const User user = bearerUser(request);
    const QJsonObject body = Body::object(request, kInvalid);
    const QString id = Body::string(body, u"factor_id"_s, kInvalid, 64);
    const QString code = Body::string(body, u"code"_s, kInvalid, kMaxCode);
    const Result<QStringList> codes = m_services.factors.confirmTotp(user.id, id, code, request.ip);
    if (!codes)
        throw codes.refusal();
    const auto factor = m_services.factors.byId(user.id, id);
    return Response::json(QJsonObject{{u"factor"_s, factor ? factorJson(*factor) : QJsonObject()},
                                      {u"recovery_codes"_s, codesJson(*codes)}});
}

// {label} -> the factor
Response AccountApi::renameFactor(const Request &request)
{
    const User user = bearerUser(request);
    const QJsonObject body = Body::object(request, kInvalid);
    const QString label = Body::string(body, u"label"_s, kInvalid, Factors::kMaxLabel);
    const QString id = factorIdOf(request);
    const Result<Done> done = m_services.factors.rename(user.id, id, label, request.ip);
    if (!done)
        throw done.refusal();
    return Response::json(factorJson(*m_services.factors.byId(user.id, id)));
}

// The caller's password, checked before a factor goes or the recovery codes change: a
// stolen session alone must not be able to turn the second factor off.
void AccountApi::requirePassword(const User &user, const QJsonObject &body) const
{
    const QString password =
        Body::string(body, u"password"_s, kInvalid, Accounts::kMaxPasswordLength);
    if (!m_services.accounts.passwordMatches(user, password))
        throw Refusal(Refusal::Kind::Forbidden, u"the password is wrong"_s);
}

// {password} -> true
Response AccountApi::removeFactor(const Request &request)
{
    const User user = bearerUser(request);
    const QJsonObject body = Body::object(request, kInvalid);
    requirePassword(user, body);
    const Result<Done> done =
        m_services.factors.remove(user.id, factorIdOf(request), user.id, u"account"_s, request.ip);
    if (!done)
        throw done.refusal();
    return Response::jsonValue(true);
}

// {password} -> {recovery_codes}: ten new codes; the old ones stop working.
Response AccountApi::newRecoveryCodes(const Request &request)
{
    const User user = bearerUser(request);
    const QJsonObject body = Body::object(request, kInvalid);
    requirePassword(user, body);
    if (!m_services.factors.hasConfirmed(user.id))
        throw Refusal(Refusal::Kind::NotFound, u"recovery codes need a second factor first"_s);
    const QStringList codes =
        m_services.factors.regenerateRecoveryCodes(user.id, user.id, request.ip);
    return Response::json(QJsonObject{{u"recovery_codes"_s, codesJson(codes)}});
}
