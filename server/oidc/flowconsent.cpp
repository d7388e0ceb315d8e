// SPDX-License-Identifier: GPL-3.0-or-later
// The consent page: GET shows it, POST records Allow (then finishes the request) or
// Deny (access_denied to the application). The form's token is an HMAC of the
// provider session and the request, so another site cannot post an Allow for anyone.
#include "oidc/flowhandler.h"
#include "oidc/flowpages.h"
#include "services.h"

#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace {

const QString kConsent = u"consent"_s;

QString formValue(const Request &request, const QString &name)
{
    QString text = QString::fromUtf8(request.body);
    text.replace(u'+', u' '); // form encoding; a literal '+' arrives as %2B
    return QUrlQuery(text).queryItemValue(name, QUrl::FullyDecoded);
}

} // namespace

Response FlowHandler::consentPage(const Request &http)
{
    const std::optional<AuthRequest> request =
        m_services.oidc.requests.byId(http.queryValue(u"request"_s));
    if (!request)
        return staleRequest(http);
    const std::optional<OidcClient> client = m_services.oidc.clients.byId(request->clientId);
    const std::optional<OpSession> s = session(http);
    if (!client || !s || !freshEnough(*request, *s) || !needsConsent(*request, *client, *s))
        return resume(http); // whatever the request needs instead: sign-in, or its answer
    FlowPages::ConsentView view;
    view.clientName = client->name;
    view.user = userLabel(s->userId);
    view.scopes = request->scope.split(u' ', Qt::SkipEmptyParts);
    view.requestId = request->id;
    view.csrf = formToken(kConsent, s->id, request->id);
    view.redirectUri = request->redirectUri;
    return FlowPages::consent(flowRoot(http), view);
}

Response FlowHandler::consentDecision(const Request &http)
{
    const std::optional<AuthRequest> request =
        m_services.oidc.requests.byId(formValue(http, u"request"_s));
    if (!request)
        return staleRequest(http);
    const std::optional<OidcClient> client = m_services.oidc.clients.byId(request->clientId);
    if (!client)
        return staleRequest(http);
    const std::optional<OpSession> s = session(http);
    if (!s || !checkFormToken(formValue(http, u"csrf"_s), kConsent, s->id, request->id))
        return FlowPages::notice(flowRoot(http), u"Nothing was allowed"_s,
                                 u"This consent form does not belong to your current sign-in. "
                                 u"Go back to the application and sign in again."_s,
                                 403, u"invalid_request"_s);
    const QString decision = formValue(http, u"decision"_s);
    if (decision == u"deny") {
        m_services.oidc.requests.remove(request->id);
        m_services.audit.record({.actor = s->userId,
                                 .action = u"oidc.authorize"_s,
                                 .subject = u"client:"_s + client->id,
                                 .surface = u"oidc"_s,
                                 .ip = http.ip,
                                 .result = u"denied"_s,
                                 .detail = u"consent denied"_s});
        return errorAnswer(http, *request, u"access_denied"_s,
                           u"The person did not allow the application"_s);
    }
    if (decision != u"allow")
        return FlowPages::notice(flowRoot(http), u"Nothing was allowed"_s,
                                 u"Press Allow or Deny on the consent page."_s, 400,
                                 u"invalid_request"_s);
    m_services.oidc.consents.grant(s->userId, client->id,
                                   request->scope.split(u' ', Qt::SkipEmptyParts));
    return next(http, *request, *client);
}
