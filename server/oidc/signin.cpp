// SPDX-License-Identifier: GPL-3.0-or-later
// OidcSignin: the page, the session it starts, and the shared checks of every POST.
#include "oidc/signin.h"

#include "anonymouslimits.h"
#include "http/formdata.h"
#include "pages/pageassets.h"
#include "services.h"

#include <QUrl>

using namespace Qt::StringLiterals;

OidcSignin::OidcSignin(Services &services)
    : m_services(services),
      m_codes(*services.db, services.clock, services.secrets,
              {services.settings.codeAttempts, services.settings.codeResendSecs * 1000LL}),
      m_cache(services.clock),
      m_providers(services.settings, services.secrets, services.clock, m_cache),
      m_states(*services.db, services.clock), m_challenges(*services.db, services.clock),
      m_walletProof(services.settings, services.secrets, services.clock, m_codes, m_challenges,
                    m_states, m_providers, m_cache)
{}

QString OidcSignin::Form::field(const QString &name, int maxLength) const
{
    return QString::fromUtf8(fields.value(name)).left(maxLength);
}

SigninPage::View OidcSignin::view(const AuthRequest &request) const
{
    SigninPage::View v;
    v.requestId = request.id;
    v.redirectUri = request.redirectUri;
    if (const auto client = m_services.oidc.clients.byId(request.clientId))
        v.clientName = client->name;
    v.csrf = SigninPage::csrfToken(m_services.secrets.signingKey(), request.id);
    v.offerEmailCode = !m_services.settings.smtpUrl.isEmpty();
    return v;
}

// GET /oauth2/signin?request=ID
Response OidcSignin::page(const Request &request)
{
    const QString id = request.queryValue(u"request"_s).left(128);
    const auto authRequest = id.isEmpty() ? std::nullopt : m_services.oidc.requests.byId(id);
    if (!authRequest)
        return SigninPage::render({.stage = SigninPage::Stage::Gone}, 400);
    return SigninPage::render(view(*authRequest));
}

Response OidcSignin::fail(const Request &request, SigninPage::View v, const QString &message,
                          int status)
{
    Q_UNUSED(request);
    v.error = message;
    return SigninPage::render(v, status);
}

// Every form POST: spends one of the address's anonymous writes, then needs a live
// request and the CSRF token of that request. What goes wrong is a page, thrown.
OidcSignin::Form OidcSignin::openForm(const Request &request)
{
    try {
        AnonymousLimits::takeIp(m_services, request);
    } catch (const ApiError &limited) {
        Response page = SigninPage::render(
            {.stage = SigninPage::Stage::Gone,
             .error = u"Too many attempts from your network. Wait a minute and try again."_s},
            429);
        for (const auto &[name, value] : limited.headers)
            page.header(name, value);
        throw page;
    }
    Form form;
    try {
        form.fields = FormData::parse(request);
    } catch (const ApiError &) {
        throw SigninPage::render({.stage = SigninPage::Stage::Gone}, 400);
    }
    const QString id = form.field(u"request"_s, 128);
    const auto authRequest = id.isEmpty() ? std::nullopt : m_services.oidc.requests.byId(id);
    if (!authRequest)
        throw SigninPage::render({.stage = SigninPage::Stage::Gone}, 400);
    form.request = *authRequest;
    if (!SigninPage::csrfMatches(m_services.secrets.signingKey(), id,
                                 form.fields.value(u"csrf"_s))) {
        auditRefusal(request, u"form"_s, form.request.clientId, u"CSRF token did not match"_s);
        throw fail(request, view(form.request),
                   u"This page was open too long or came from elsewhere. Please try again."_s, 403);
    }
    return form;
}

void OidcSignin::auditRefusal(const Request &request, const QString &method, const QString &subject,
                              const QString &why)
{
    m_services.audit.record({.actor = u"anonymous"_s,
                             .action = u"oidc.signin"_s,
                             .subject = subject,
                             .surface = u"oidc"_s,
                             .ip = request.ip,
                             .result = u"denied"_s,
                             .detail = method + u": "_s + why});
}

Response OidcSignin::signedIn(const Request &request, const AuthRequest &authRequest,
                              const QString &userId, const QString &amr, const QString &method,
                              bool scripted)
{
    // A new sign-in replaces the browser's earlier provider session, if any.
    if (const auto previous =
            m_services.oidc.sessions.byCookie(request.cookie(OpSessions::kCookie)))
        m_services.oidc.sessions.end(previous->id);
    const auto started = m_services.oidc.sessions.start(userId, amr);
    CookieOptions cookie;
    cookie.secure = m_services.settings.publicUrl.startsWith(u"https:"_s, Qt::CaseInsensitive);
    const QByteArray location =
        "/oauth2/authorize/continue?request=" + QUrl::toPercentEncoding(authRequest.id);
    Response response =
        scripted ? Response::json(QJsonObject{{u"location"_s, QString::fromLatin1(location)}})
                 : Response::redirect(location, 303);
    response.header("Set-Cookie", setCookie(OpSessions::kCookie, started.cookie, cookie));
    response.header("Cache-Control", "no-store");
    m_services.metrics.countLogin(Metrics::Oidc, true);
    m_services.audit.record(
        {.actor = userId,
         .action = u"oidc.signin"_s,
         .subject = u"user:"_s + userId,
         .surface = u"oidc"_s,
         .ip = request.ip,
         .result = u"ok"_s,
         .detail = method + u" for client "_s + authRequest.clientId + u" (amr "_s + amr + u')'});
    return response;
}

Response OidcSignin::secondStepPage(const AuthRequest &authRequest, const QString &challenge,
                                    const QString &first, const QStringList &methods,
                                    const QString &email)
{
    SigninPage::View v = view(authRequest);
    v.stage = SigninPage::Stage::SecondStep;
    v.challenge = challenge;
    v.first = first;
    v.methods = methods;
    v.email = email;
    return SigninPage::render(v, 200);
}

Response OidcSignin::asset(const Request &request)
{
    return PageAssets::file(request.path.section(u'/', -1));
}
