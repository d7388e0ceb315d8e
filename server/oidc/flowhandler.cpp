// SPDX-License-Identifier: GPL-3.0-or-later
#include "oidc/flowhandler.h"

#include "crypto/base64url.h"
#include "crypto/digest.h"
#include "oidc/flowpages.h"
#include "oidc/flowparams.h"
#include "pages/pageassets.h"
#include "services.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace {

QString encoded(const QString &value)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(value));
}

bool hasPrompt(const AuthRequest &request, const QString &value)
{
    return request.prompt.split(u' ', Qt::SkipEmptyParts).contains(value);
}

} // namespace

QString flowRoot(const Request &request)
{
    // /oauth2/authorize -> "", /oauth2/authorize/continue -> "../"
    const qsizetype depth = request.path.count(u'/') - 2;
    return depth > 0 ? u"../"_s.repeated(depth) : QString();
}

std::optional<Response> asGetWithCookies(const Request &request)
{
    if (request.method != "POST" || !request.cookie(OpSessions::kCookie).isEmpty() ||
        request.body.size() > 8192 || request.body.contains("logout_csrf="))
        return std::nullopt;
    // The body is application/x-www-form-urlencoded: already a query string.
    const QString path = request.path.section(u'/', -1);
    Response r = Response::redirect(path.toUtf8() + '?' + request.body, 303);
    return r.header("Cache-Control", "no-store");
}

Response FlowHandler::authorize(const Request &http)
{
    if (std::optional<Response> again = asGetWithCookies(http))
        return *again;
    const FlowParams params = FlowParams::from(http);
    AuthorizeCheck check = checkAuthorize(params, m_services.oidc.clients);
    if (check.kind == AuthorizeCheck::Kind::Page)
        return FlowPages::notice(flowRoot(http), u"This sign-in cannot continue"_s,
                                 check.description, 400, check.error);
    if (check.kind == AuthorizeCheck::Kind::Redirect)
        return errorAnswer(http, check.request, check.error, check.description);
    const AuthRequest &request = check.request;
    if (hasPrompt(request, u"none"_s)) {
        // Answered now, without a page: nothing is saved.
        const std::optional<OpSession> s = session(http);
        if (!s || !freshEnough(request, *s))
            return errorAnswer(http, request, u"login_required"_s,
                               u"The person is not signed in"_s);
        if (needsConsent(request, check.client, *s))
            return errorAnswer(http, request, u"consent_required"_s,
                               u"The person has not allowed this application yet"_s);
        return finish(http, request, *s);
    }
    const AuthRequest saved = m_services.oidc.requests.save(request);
    if (hasPrompt(saved, u"login"_s) || hasPrompt(saved, u"select_account"_s)) {
        Response r = Response::redirect(
            (flowRoot(http) + u"signin?request="_s + encoded(saved.id)).toUtf8(), 303);
        return r.header("Cache-Control", "no-store");
    }
    return next(http, saved, check.client);
}

Response FlowHandler::resume(const Request &http)
{
    const std::optional<AuthRequest> request =
        m_services.oidc.requests.byId(http.queryValue(u"request"_s));
    if (!request)
        return staleRequest(http);
    const std::optional<OidcClient> client = m_services.oidc.clients.byId(request->clientId);
    if (!client)
        return staleRequest(http);
    return next(http, *request, *client);
}

Response FlowHandler::next(const Request &http, const AuthRequest &request,
                           const OidcClient &client)
{
    const std::optional<OpSession> s = session(http);
    QString step;
    if (!s || !freshEnough(request, *s))
        step = u"signin"_s;
    else if (needsConsent(request, client, *s))
        step = u"consent"_s;
    else
        return finish(http, request, *s);
    Response r = Response::redirect(
        (flowRoot(http) + step + u"?request="_s + encoded(request.id)).toUtf8(), 303);
    return r.header("Cache-Control", "no-store");
}

Response FlowHandler::finish(const Request &http, const AuthRequest &request,
                             const OpSession &session)
{
    CodeGrant grant;
    grant.clientId = request.clientId;
    grant.userId = session.userId;
    grant.redirectUri = request.redirectUri;
    grant.scope = request.scope;
    grant.nonce = request.nonce;
    grant.codeChallenge = request.codeChallenge;
    grant.sessionId = session.id;
    grant.authTime = session.authTime;
    grant.amr = session.amr;
    const QString code = m_services.oidc.codes.issue(grant);
    if (!request.id.isEmpty())
        m_services.oidc.requests.remove(request.id);
    m_services.audit.record({.actor = session.userId,
                             .action = u"oidc.authorize"_s,
                             .subject = u"client:"_s + request.clientId,
                             .surface = u"oidc"_s,
                             .ip = http.ip,
                             .result = u"ok"_s,
                             .detail = u"scope: "_s + request.scope});
    return answer(http, request, {{u"code"_s, code}});
}

Response FlowHandler::answer(const Request &http, const AuthRequest &request, Params params) const
{
    if (!request.state.isEmpty())
        params.append({u"state"_s, request.state});
    params.append({u"iss"_s, m_services.settings.publicUrl});
    if (request.responseMode == u"form_post")
        return FlowPages::formPost(flowRoot(http), request.redirectUri, params);
    QString location = request.redirectUri;
    location += location.contains(u'?') ? u'&' : u'?';
    for (qsizetype i = 0; i < params.size(); ++i)
        location += (i ? u"&"_s : QString()) + params[i].first + u'=' + encoded(params[i].second);
    Response r = Response::redirect(location.toUtf8(), 303);
    return r.header("Cache-Control", "no-store");
}

Response FlowHandler::errorAnswer(const Request &http, const AuthRequest &request,
                                  const QString &error, const QString &description) const
{
    return answer(http, request, {{u"error"_s, error}, {u"error_description"_s, description}});
}

std::optional<OpSession> FlowHandler::session(const Request &http) const
{
    return m_services.oidc.sessions.byCookie(http.cookie(OpSessions::kCookie));
}

bool FlowHandler::freshEnough(const AuthRequest &request, const OpSession &session) const
{
    // Signing in after the request began satisfies prompt=login and any max_age (else
    // max_age=0 could never be met: some time always passes after a sign-in).
    if (session.authTime >= request.createdAt && request.createdAt > 0)
        return true;
    if (hasPrompt(request, u"login"_s) || hasPrompt(request, u"select_account"_s))
        return false;
    return request.maxAgeSecs < 0 ||
           m_services.clock.nowMs() - session.authTime <= request.maxAgeSecs * 1000;
}

bool FlowHandler::needsConsent(const AuthRequest &request, const OidcClient &client,
                               const OpSession &session) const
{
    if (client.firstParty)
        return false;
    const QStringList scopes = request.scope.split(u' ', Qt::SkipEmptyParts);
    const std::optional<Consent> consent =
        m_services.oidc.consents.find(session.userId, client.id);
    if (!consent || !m_services.oidc.consents.covers(session.userId, client.id, scopes))
        return true;
    // prompt=consent asks again, once: an Allow given after the request began answers it.
    return hasPrompt(request, u"consent"_s) &&
           (request.createdAt <= 0 || consent->grantedAt < request.createdAt);
}

QString FlowHandler::userLabel(const QString &userId) const
{
    const std::optional<User> user = m_services.users.byId(userId);
    if (!user)
        return userId;
    if (!user->displayName.isEmpty())
        return user->displayName + (user->email.isEmpty() ? QString() : u" ("_s + user->email + u')');
    return !user->email.isEmpty() ? user->email : user->username;
}

Response FlowHandler::staleRequest(const Request &http) const
{
    return FlowPages::notice(flowRoot(http), u"This sign-in has expired"_s,
                             u"The sign-in request is unknown, expired or already finished. "
                             u"Go back to the application and sign in again."_s,
                             400, u"invalid_request"_s);
}

QString FlowHandler::formToken(const QString &purpose, const QString &sessionId,
                               const QString &requestId) const
{
    const QByteArray key =
        Digest::hmacSha256(m_services.secrets.signingKey(), "gatehouse oidc form tokens");
    const QString input = purpose + u'\n' + sessionId + u'\n' + requestId;
    return QString::fromLatin1(Base64Url::encode(Digest::hmacSha256(key, input.toUtf8())));
}

bool FlowHandler::checkFormToken(const QString &token, const QString &purpose,
                                 const QString &sessionId, const QString &requestId) const
{
    return !token.isEmpty() &&
           Digest::equal(token.toUtf8(), formToken(purpose, sessionId, requestId).toUtf8());
}

Response FlowHandler::asset(const Request &http)
{
    return PageAssets::file(http.path.section(u'/', -1));
}
