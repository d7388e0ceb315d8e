// SPDX-License-Identifier: GPL-3.0-or-later
#include "surfaces/accountpasskeys.h"

#include "http/body.h"
#include "pages/pageassets.h"
#include "pages/pagetemplate.h"
#include "router.h"
#include "services.h"
#include "surface.h"
#include "surfaces/accountapi.h"
#include "surfaces/passkeyjson.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace {

const QString kInvalid = u"Invalid body"_s;
constexpr int kMaxCeremony = 128;

QString labelField(const QJsonObject &body, bool required)
{
    const auto label =
        required ? std::optional(Body::string(body, u"label"_s, kInvalid, Passkeys::kMaxLabel))
                 : Body::optionalString(body, u"label"_s, kInvalid, Passkeys::kMaxLabel);
    return label.value_or(QString()).trimmed();
}

} // namespace

void AccountPasskeys::addRoutes(Router &router)
{
    using P = AccountPasskeys;
    const RouteTable<P> table(*this, m_services, Metrics::Account, ErrorShape::ErrorDetail,
                              &AccountApi::mapRefusals);
    table.add(
        router,
        {
            {"POST", u"/api/auth/me/passkeys/register/options", Auth::AccountBearer, Runs::Inline,
             &P::registerOptions},
            {"POST", u"/api/auth/me/passkeys/register", Auth::AccountBearer, Runs::Inline,
             &P::registerPasskey},
            {"GET", u"/api/auth/me/passkeys", Auth::AccountBearer, Runs::Inline, &P::list},
            {"PUT", u"/api/auth/me/passkeys/{id}", Auth::AccountBearer, Runs::Inline, &P::rename},
            {"DELETE", u"/api/auth/me/passkeys/{id}", Auth::AccountBearer, Runs::OnPool,
             &P::remove},
            // anonymous: each writes a ceremony row (options) or checks a signature
            {"POST", u"/api/auth/passkey/options", Auth::None, Runs::Inline, &P::loginOptions,
             Budget::PerIp},
            {"POST", u"/api/auth/passkey/login", Auth::None, Runs::Inline, &P::login,
             Budget::PerIp},
            // the second step of a login: its challenge is in the body
            {"POST", u"/api/auth/login/second-factor/passkey-options", Auth::None, Runs::Inline,
             &P::secondStepOptions, Budget::PerIp},
            // the sign-in page and its files
            {"GET", u"/signin", Auth::None, Runs::Inline, &P::signinPage},
            {"GET", u"/assets/signin.js", Auth::None, Runs::Inline, &P::asset},
            {"GET", u"/assets/signin.css", Auth::None, Runs::Inline, &P::asset},
        });
}

User AccountPasskeys::bearerUser(const Request &request) const
{
    return m_services.accounts.authenticate(request.bearerToken());
}

// -> PublicKeyCredentialCreationOptionsJSON
Response AccountPasskeys::registerOptions(const Request &request)
{
    const User user = bearerUser(request);
    return Response::json(m_services.passkeys.registrationOptions(user));
}

// {response: RegistrationResponseJSON, label?} -> the stored passkey
Response AccountPasskeys::registerPasskey(const Request &request)
{
    const User user = bearerUser(request);
    const QJsonObject body = Body::object(request, kInvalid);
    QStringList transports;
    const auto response = PasskeyJson::registration(body, u"response"_s, &transports);
    const QString label = labelField(body, false);
    const Passkey passkey =
        m_services.passkeys.finishRegistration(user, response, transports, label, request.ip);
    return Response::json(PasskeyJson::describe(passkey));
}

// -> [passkey…], oldest first
Response AccountPasskeys::list(const Request &request)
{
    const User user = bearerUser(request);
    QHash<QString, QString> labels; // as /me/factors shows them (and PUT there renames them)
    for (const Factor &f : m_services.factors.list(user.id))
        labels.insert(f.id, f.label);
    QJsonArray out;
    for (Passkey p : m_services.passkeys.store().forUser(user.id)) {
        p.label = labels.value(p.factorId, p.label);
        out.append(PasskeyJson::describe(p));
    }
    return Response::json(out);
}

// {label} -> true
Response AccountPasskeys::rename(const Request &request)
{
    const User user = bearerUser(request);
    const QJsonObject body = Body::object(request, kInvalid);
    const QString label = labelField(body, true);
    if (label.isEmpty())
        throw Refusal(Refusal::Kind::InvalidInput, u"field 'label' must not be empty"_s);
    m_services.passkeys.rename(user, request.params.value(u"id"_s), label, request.ip);
    return Response::jsonValue(true);
}

// {password} -> true: as removing any second factor, it takes the password.
Response AccountPasskeys::remove(const Request &request)
{
    const User user = bearerUser(request);
    const QJsonObject body = Body::object(request, kInvalid);
    const QString password =
        Body::string(body, u"password"_s, kInvalid, Accounts::kMaxPasswordLength);
    if (!m_services.accounts.passwordMatches(user, password))
        throw Refusal(Refusal::Kind::Forbidden, u"the password is wrong"_s);
    m_services.passkeys.remove(user, request.params.value(u"id"_s), request.ip);
    return Response::jsonValue(true);
}

// -> {ceremony, options: PublicKeyCredentialRequestOptionsJSON}
Response AccountPasskeys::loginOptions(const Request &)
{
    const auto started = m_services.passkeys.loginOptions();
    return Response::json(
        QJsonObject{{u"ceremony"_s, started.ceremony}, {u"options"_s, started.options}});
}

// {ceremony, response: AuthenticationResponseJSON} -> {token, user}
Response AccountPasskeys::login(const Request &request)
{
    const QJsonObject body = Body::object(request, kInvalid);
    const QString ceremony = Body::string(body, u"ceremony"_s, kInvalid, kMaxCeremony);
    const auto response = PasskeyJson::assertion(body, u"response"_s);
    try {
        const auto grant = m_services.passkeys.login(ceremony, response, request.ip);
        m_services.metrics.countLogin(Metrics::Account, true);
        return AccountApi::grantResponse(grant);
    } catch (const Refusal &) {
        m_services.metrics.countLogin(Metrics::Account, false);
        throw;
    }
}

// {challenge} -> {ceremony, options}: the options name the user's passkeys.
Response AccountPasskeys::secondStepOptions(const Request &request)
{
    const QJsonObject body = Body::object(request, kInvalid);
    const QString challenge = Body::string(body, u"challenge"_s, kInvalid, kMaxCeremony);
    const auto started = m_services.passkeys.secondStepOptions(challenge);
    return Response::json(
        QJsonObject{{u"ceremony"_s, started.ceremony}, {u"options"_s, started.options}});
}

Response AccountPasskeys::finishSecondStep(const Request &request, const QJsonObject &body,
                                           const QString &challenge)
{
    const QString ceremony = Body::string(body, u"ceremony"_s, kInvalid, kMaxCeremony);
    const auto response = PasskeyJson::assertion(body, u"passkey"_s);
    try {
        const auto grant =
            m_services.passkeys.completeSecondStep(challenge, ceremony, response, request.ip);
        m_services.metrics.countLogin(Metrics::Account, true);
        return AccountApi::grantResponse(grant);
    } catch (const Refusal &) {
        m_services.metrics.countLogin(Metrics::Account, false);
        throw;
    }
}

Response AccountPasskeys::signinPage(const Request &)
{
    static const QByteArray page = PageTemplate::named(u"signin.html"_s).render();
    return Response::html(page);
}

Response AccountPasskeys::asset(const Request &request)
{
    return PageAssets::file(request.path.section(u'/', -1));
}
