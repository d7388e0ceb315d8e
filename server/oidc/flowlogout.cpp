// SPDX-License-Identifier: GPL-3.0-or-later
// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): with a valid
// id_token_hint for the signed-in person the provider session ends at once; without
// one the person confirms first (a form with a token bound to the session), so another
// site cannot sign anyone out. post_logout_redirect_uri is followed only when it is
// registered for the client the request names (client_id, or the hint's audience).
#include "crypto/jws.h"
#include "oidc/flowhandler.h"
#include "oidc/flowpages.h"
#include "oidc/flowparams.h"
#include "services.h"

#include <QJsonArray>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace {

const QString kLogout = u"logout"_s;

struct Hint
{
    bool valid = false;
    QString subject;
    QStringList audience;
};

// The hint's signature and issuer; its expiry does not matter (the spec lets an
// expired ID token name the session to end).
Hint readHint(const QString &token, const Services &services)
{
    Hint out;
    if (token.isEmpty() || token.size() > 8192)
        return out;
    const auto verified = Jws::verify(token.toLatin1(), services.oidc.keys.jwks());
    if (!verified || verified->payload.value(u"iss"_s).toString() != services.settings.publicUrl)
        return out;
    const QJsonValue aud = verified->payload.value(u"aud"_s);
    if (aud.isString())
        out.audience << aud.toString();
    for (const QJsonValue &v : aud.toArray())
        out.audience << v.toString();
    out.subject = verified->payload.value(u"sub"_s).toString();
    out.valid = !out.subject.isEmpty() && !out.audience.isEmpty();
    return out;
}

QString withState(const QString &uri, const QString &state)
{
    if (state.isEmpty())
        return uri;
    return uri + (uri.contains(u'?') ? u'&' : u'?') + u"state="_s +
           QString::fromLatin1(QUrl::toPercentEncoding(state));
}

} // namespace

Response FlowHandler::logout(const Request &http)
{
    const FlowParams p = FlowParams::from(http);
    const QString root = flowRoot(http);
    if (std::optional<Response> again = asGetWithCookies(http))
        return *again;
    const bool hasHint = p.has(u"id_token_hint"_s);
    const Hint hint = readHint(p.value(u"id_token_hint"_s), m_services);
    if (hasHint && !hint.valid)
        return FlowPages::notice(root, u"Sign-out request not valid"_s,
                                 u"The application sent an ID token this server did not "
                                 u"issue. You have not been signed out."_s,
                                 400, u"invalid_request"_s);
    QString clientId = p.value(u"client_id"_s);
    if (hint.valid && clientId.isEmpty())
        clientId = hint.audience.first();
    if (hint.valid && !hint.audience.contains(clientId))
        return FlowPages::notice(root, u"Sign-out request not valid"_s,
                                 u"The client_id does not match the ID token."_s, 400,
                                 u"invalid_request"_s);
    const std::optional<OidcClient> client =
        clientId.isEmpty() || clientId.size() > 64 ? std::nullopt
                                                   : m_services.oidc.clients.byId(clientId);
    const QString wanted = p.value(u"post_logout_redirect_uri"_s);
    const QString redirect =
        client && client->postLogoutRedirectUris.contains(wanted) ? wanted : QString();
    const QString state = p.value(u"state"_s).left(1024);

    const std::optional<OpSession> s = session(http);
    if (s && !(hint.valid && hint.subject == s->userId)) {
        const QString token = p.value(u"logout_csrf"_s);
        if (token.isEmpty() || !checkFormToken(token, kLogout, s->id)) {
            FlowPages::LogoutView view{userLabel(s->userId), formToken(kLogout, s->id),
                                       client ? client->id : QString(), redirect, state};
            return FlowPages::logoutConfirm(root, view);
        }
        if (p.value(u"decision"_s) == u"stay")
            return FlowPages::notice(root, u"Still signed in"_s,
                                     u"You are still signed in. You can close this page."_s, 200);
    }
    Response r = redirect.isEmpty()
                     ? FlowPages::notice(root, u"Signed out"_s,
                                         u"You are signed out of Gatehouse. You can close this "
                                         u"page."_s,
                                         200)
                     : Response::redirect(withState(redirect, state).toUtf8(), 303);
    if (s) {
        m_services.oidc.sessions.end(s->id);
        m_services.audit.record({.actor = s->userId,
                                 .action = u"oidc.logout"_s,
                                 .subject = client ? u"client:"_s + client->id : QString(),
                                 .surface = u"oidc"_s,
                                 .ip = http.ip,
                                 .result = u"ok"_s,
                                 .detail = hint.valid ? u"id_token_hint"_s : u"confirmed"_s});
    }
    r.header("Set-Cookie", clearSessionCookie());
    return r.header("Cache-Control", "no-store");
}

QByteArray FlowHandler::clearSessionCookie() const
{
    CookieOptions options;
    options.maxAgeSecs = 0;
    options.secure = m_services.settings.publicUrl.startsWith(u"https:"_s);
    return setCookie(OpSessions::kCookie, QByteArray(), options);
}
