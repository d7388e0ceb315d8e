// SPDX-License-Identifier: GPL-3.0-or-later
#include "oidc/flowparams.h"

#include "http/request.h"

#include <QRegularExpression>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace {

constexpr int kMaxClientId = 64;
constexpr int kMaxUri = 2000;
constexpr int kMaxState = 1024;
constexpr int kMaxNonce = 512;
constexpr int kMaxScope = 512;
constexpr int kMaxOther = 512; // prompt, max_age, response_mode, hints, locales…

using Kind = AuthorizeCheck::Kind;

AuthorizeCheck page(const QString &error, const QString &description)
{
    AuthorizeCheck out;
    out.kind = Kind::Page;
    out.error = error;
    out.description = description;
    return out;
}

AuthorizeCheck &refuse(AuthorizeCheck &check, const QString &error, const QString &description)
{
    check.kind = Kind::Redirect;
    check.error = error;
    check.description = description;
    return check;
}

bool isS256Challenge(const QString &challenge)
{
    // base64url of a SHA-256: 43 characters, no padding
    static const QRegularExpression shape(u"^[A-Za-z0-9_-]{43}$"_s);
    return shape.match(challenge).hasMatch();
}

// Space-separated prompt values (OIDC Core 3.1.2.1); empty on success, else why not.
QString promptProblem(const QString &prompt)
{
    static const QStringList known = {u"none"_s, u"login"_s, u"consent"_s, u"select_account"_s};
    const QStringList values = prompt.split(u' ', Qt::SkipEmptyParts);
    for (const QString &v : values)
        if (!known.contains(v))
            return u"Unsupported prompt value: "_s + v.left(40);
    if (values.contains(u"none"_s) && values.size() > 1)
        return u"prompt=none cannot be combined with other values"_s;
    return {};
}

// The requested scopes the client may have, in the request's order, each once.
QStringList grantedScopes(const QString &scope, const OidcClient &client)
{
    QStringList out;
    for (const QString &s : scope.split(u' ', Qt::SkipEmptyParts))
        if (client.scopes.contains(s) && !out.contains(s))
            out << s;
    return out;
}

// Everything after client_id and redirect_uri; fills check.request on success.
AuthorizeCheck &checkRest(const FlowParams &p, AuthorizeCheck &check)
{
    static const QStringList tooLongCheck = {
        u"response_type"_s, u"response_mode"_s, u"prompt"_s,        u"max_age"_s,
        u"login_hint"_s,    u"ui_locales"_s,    u"id_token_hint"_s, u"code_challenge_method"_s,
        u"acr_values"_s,    u"display"_s,       u"claims_locales"_s};
    for (const QString &name :
         {u"response_type"_s, u"scope"_s, u"state"_s, u"nonce"_s, u"code_challenge"_s,
          u"code_challenge_method"_s, u"response_mode"_s, u"prompt"_s, u"max_age"_s})
        if (p.repeated(name))
            return refuse(check, u"invalid_request"_s, u"Parameter repeated: "_s + name);
    for (const QString &name : tooLongCheck)
        if (p.value(name).size() > (name == u"id_token_hint" ? 8192 : kMaxOther))
            return refuse(check, u"invalid_request"_s, u"Parameter too long: "_s + name);
    if (p.value(u"nonce"_s).size() > kMaxNonce || p.value(u"scope"_s).size() > kMaxScope)
        return refuse(check, u"invalid_request"_s, u"Parameter too long: nonce or scope"_s);

    const QString responseType = p.value(u"response_type"_s);
    if (responseType.isEmpty())
        return refuse(check, u"invalid_request"_s, u"response_type is required"_s);
    if (responseType != u"code")
        return refuse(check, u"unsupported_response_type"_s,
                      u"Only the authorization code flow (response_type=code) is supported"_s);
    if (p.has(u"request"_s))
        return refuse(check, u"request_not_supported"_s, u"Request objects are not supported"_s);
    if (p.has(u"request_uri"_s))
        return refuse(check, u"request_uri_not_supported"_s, u"request_uri is not supported"_s);
    const QStringList requested = p.value(u"scope"_s).split(u' ', Qt::SkipEmptyParts);
    if (!requested.contains(u"openid"_s))
        return refuse(check, u"invalid_scope"_s, u"The scope must include openid"_s);
    const QString challenge = p.value(u"code_challenge"_s);
    const QString method = p.value(u"code_challenge_method"_s);
    // Only a confidential client registered without PKCE may leave it out; whoever sends
    // a challenge sends an S256 one.
    const bool mayOmit = !check.client.requirePkce && !check.client.isPublic;
    if (challenge.isEmpty() && (!mayOmit || !method.isEmpty()))
        return refuse(check, u"invalid_request"_s, u"PKCE with S256 is required"_s);
    if (!challenge.isEmpty() && method != u"S256")
        return refuse(check, u"invalid_request"_s, u"PKCE with S256 is required"_s);
    if (!challenge.isEmpty() && !isS256Challenge(challenge))
        return refuse(check, u"invalid_request"_s,
                      u"code_challenge must be 43 base64url characters (S256)"_s);
    const QString prompt = p.value(u"prompt"_s).split(u' ', Qt::SkipEmptyParts).join(u' ');
    if (const QString problem = promptProblem(prompt); !problem.isEmpty())
        return refuse(check, u"invalid_request"_s, problem);
    qint64 maxAge = -1;
    if (p.has(u"max_age"_s)) {
        bool ok = false;
        maxAge = p.value(u"max_age"_s).toLongLong(&ok);
        if (!ok || maxAge < 0 || p.value(u"max_age"_s).size() > 9)
            return refuse(check, u"invalid_request"_s,
                          u"max_age must be a whole number of seconds"_s);
    }
    AuthRequest &r = check.request;
    r.scope = grantedScopes(p.value(u"scope"_s), check.client).join(u' ');
    r.nonce = p.value(u"nonce"_s);
    r.codeChallenge = challenge;
    r.prompt = prompt;
    r.maxAgeSecs = maxAge;
    check.kind = Kind::Valid;
    return check;
}

} // namespace

FlowParams FlowParams::from(const Request &request)
{
    QString text = request.method == "POST" ? QString::fromUtf8(request.body)
                                            : request.query.query(QUrl::FullyEncoded);
    text.replace(u'+', u' '); // form encoding; a literal '+' arrives as %2B
    FlowParams out;
    for (const auto &[name, value] : QUrlQuery(text).queryItems(QUrl::FullyDecoded)) {
        if (out.m_values.contains(name))
            out.m_repeated.insert(name, true);
        else
            out.m_values.insert(name, value);
    }
    return out;
}

AuthorizeCheck checkAuthorize(const FlowParams &p, const OidcClients &clients)
{
    const QString clientId = p.value(u"client_id"_s);
    if (clientId.isEmpty() || p.repeated(u"client_id"_s))
        return page(u"invalid_request"_s, u"The request names no application (client_id)."_s);
    std::optional<OidcClient> client;
    if (clientId.size() <= kMaxClientId)
        client = clients.byId(clientId);
    if (!client)
        return page(u"invalid_client"_s, u"The application that sent you here is not "
                                         u"registered with this server."_s);
    const QString redirectUri = p.value(u"redirect_uri"_s);
    if (redirectUri.isEmpty() || p.repeated(u"redirect_uri"_s) || redirectUri.size() > kMaxUri ||
        !client->redirectUris.contains(redirectUri))
        return page(u"invalid_request"_s,
                    u"The application asked to send you back to an address it has not "
                    u"registered (redirect_uri), so this server will not send you there."_s);

    AuthorizeCheck check;
    check.client = *client;
    AuthRequest &r = check.request;
    r.clientId = client->id;
    r.redirectUri = redirectUri;
    // The state goes back with any error from here on; one too long is not echoed.
    const QString state = p.value(u"state"_s);
    r.state = state.size() <= kMaxState ? state : QString();
    const QString mode = p.value(u"response_mode"_s);
    r.responseMode = mode == u"form_post" ? mode : u"query"_s;
    if (!mode.isEmpty() && mode != u"query" && mode != u"form_post")
        return refuse(check, u"invalid_request"_s, u"response_mode must be query or form_post"_s);
    if (state.size() > kMaxState)
        return refuse(check, u"invalid_request"_s, u"Parameter too long: state"_s);
    return checkRest(p, check);
}
