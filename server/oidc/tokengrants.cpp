// SPDX-License-Identifier: GPL-3.0-or-later
// POST /oauth2/token: the authorization_code grant (RFC 6749 4.1.3, RFC 7636 4.6, OIDC
// Core 3.1.3) and the refresh_token grant (RFC 6749 6, rotated on every use).
#include "oidc/tokenendpoint.h"

#include "crypto/base64url.h"
#include "crypto/digest.h"
#include "oidc/claims.h"
#include "services.h"

#include <QJsonArray>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kIdTokenSecs = 600;

ApiError invalidGrant(const QString &why)
{
    return ApiError(400, u"invalid_grant"_s, why);
}

ApiError invalidRequest(const QString &why)
{
    return ApiError(400, u"invalid_request"_s, why);
}

// RFC 7636 4.1: 43 to 128 of the unreserved characters.
bool wellFormedVerifier(const QString &verifier)
{
    if (verifier.size() < 43 || verifier.size() > 128)
        return false;
    return std::all_of(verifier.begin(), verifier.end(), [](QChar c) {
        return (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') ||
               c == u'-' || c == u'.' || c == u'_' || c == u'~';
    });
}

bool verifierMatches(const QString &verifier, const QString &challenge)
{
    const QByteArray computed = Base64Url::encode(Digest::sha256(verifier.toLatin1()));
    return Digest::equal(computed, challenge.toLatin1());
}

QStringList scopes(const QString &scope)
{
    return scope.split(u' ', Qt::SkipEmptyParts);
}

} // namespace

Response noStore(Response response)
{
    response.header("Cache-Control", "no-store");
    response.header("Pragma", "no-cache");
    return response;
}

Response TokenEndpoint::token(const Request &request)
{
    const Form form = TokenClientAuth::parseForm(request);
    const OidcClient client = TokenClientAuth::authenticate(m_services, request, form);
    const QString grantType = form.value(u"grant_type"_s);
    if (grantType == u"authorization_code")
        return authorizationCode(request, form, client);
    if (grantType == u"refresh_token")
        return refreshToken(request, form, client);
    if (grantType.isEmpty())
        throw invalidRequest(u"no grant_type"_s);
    throw ApiError(400, u"unsupported_grant_type"_s,
                   u"grant_type is authorization_code or refresh_token"_s);
}

Response TokenEndpoint::authorizationCode(const Request &request, const Form &form,
                                          const OidcClient &client)
{
    // Everything the request itself must hold is checked before the code is spent.
    const QString code = form.value(u"code"_s);
    const QString redirectUri = form.value(u"redirect_uri"_s);
    const QString verifier = form.value(u"code_verifier"_s);
    if (code.isEmpty())
        throw invalidRequest(u"no code"_s);
    if (redirectUri.isEmpty())
        throw invalidRequest(u"no redirect_uri"_s);
    // PKCE is required of every client but a confidential one registered without it.
    if (verifier.isEmpty() && (client.requirePkce || client.isPublic))
        throw invalidRequest(u"no code_verifier (PKCE is required)"_s);
    if (!verifier.isEmpty() && !wellFormedVerifier(verifier))
        throw invalidRequest(u"code_verifier must be 43-128 unreserved characters"_s);

    const AuthCodes::Redeemed redeemed = m_services.oidc.codes.redeem(code);
    switch (redeemed.outcome) {
    case AuthCodes::Outcome::Granted:
        break;
    case AuthCodes::Outcome::Unknown:
        throw invalidGrant(u"unknown code"_s);
    case AuthCodes::Outcome::Expired:
        throw invalidGrant(u"the code has expired"_s);
    case AuthCodes::Outcome::Reused: { // RFC 6749 4.1.2: revoke what the code gave
        const int revoked = m_services.oidc.tokens.revokeFamily(redeemed.grant.familyId);
        audit(u"oidc.code.reuse"_s, redeemed.grant.userId, client, request, u"denied"_s,
              u"family %1, %2 tokens revoked"_s.arg(redeemed.grant.familyId).arg(revoked));
        throw invalidGrant(u"the code was already used; its tokens are revoked"_s);
    }
    }
    const CodeGrant &grant = redeemed.grant;
    if (grant.clientId != client.id)
        throw invalidGrant(u"the code was issued to another client"_s);
    if (grant.redirectUri != redirectUri)
        throw invalidGrant(u"redirect_uri differs from the authorization request's"_s);
    // A code with a challenge needs its verifier, and a verifier for a code without one is
    // refused too (RFC 9700 2.1.1: a PKCE downgrade).
    if (grant.codeChallenge.isEmpty() != verifier.isEmpty())
        throw invalidGrant(u"code_verifier and the code's code_challenge do not go together"_s);
    if (!verifier.isEmpty() && !verifierMatches(verifier, grant.codeChallenge))
        throw invalidGrant(u"code_verifier does not match the code_challenge"_s);
    const User user = activeUser(grant.userId);
    if (user.tokensValidAfter > 0 && user.tokensValidAfter >= grant.authTime)
        throw invalidGrant(u"the user signed out everywhere after this sign-in"_s);

    const TokenFamily family{grant.familyId,  client.id,      grant.userId, grant.scope,
                             grant.sessionId, grant.authTime, grant.amr,    user.tokensValidAfter};
    const bool offline = scopes(grant.scope).contains(u"offline_access"_s);
    const auto issued = m_services.oidc.tokens.issue(family, offline, lifetimes());
    audit(u"oidc.token"_s, user.id, client, request, u"ok"_s,
          u"authorization_code; scope %1"_s.arg(grant.scope));
    return tokenResponse(issued, user, client, grant.nonce);
}

Response TokenEndpoint::refreshToken(const Request &request, const Form &form,
                                     const OidcClient &client)
{
    const QString token = form.value(u"refresh_token"_s);
    if (token.isEmpty())
        throw invalidRequest(u"no refresh_token"_s);
    const auto found = m_services.oidc.tokens.find(token);
    QString scope = form.value(u"scope"_s);
    if (found && !scope.isEmpty()) { // RFC 6749 6: it may only narrow
        const QStringList granted = scopes(found->family.scope);
        for (const QString &s : scopes(scope))
            if (!granted.contains(s))
                throw ApiError(400, u"invalid_scope"_s, u"scope %1 was not granted"_s.arg(s));
        scope = scopes(scope).join(u' ');
    }
    const auto refreshed = m_services.oidc.tokens.refresh(token, client.id, scope, lifetimes());
    using O = OidcTokens::Outcome;
    switch (refreshed.outcome) {
    case O::Rotated:
        break;
    case O::Unknown:
    case O::WrongClient: // RFC 6749 10.4: bound to the client it was issued to
        throw invalidGrant(u"unknown refresh token"_s);
    case O::Expired:
        throw invalidGrant(u"the refresh token has expired"_s);
    case O::Revoked:
        throw invalidGrant(u"the refresh token was revoked"_s);
    case O::UserRefused:
        throw invalidGrant(u"the user can no longer get tokens"_s);
    case O::Reused:
        audit(u"oidc.refresh.reuse"_s, found ? found->family.userId : QString(), client, request,
              u"denied"_s, u"family %1 revoked"_s.arg(refreshed.familyId));
        throw invalidGrant(u"the refresh token was already used; its family is revoked"_s);
    }
    const User user = activeUser(refreshed.issued.family.userId);
    audit(u"oidc.refresh"_s, user.id, client, request, u"ok"_s,
          u"scope %1"_s.arg(refreshed.issued.scope));
    // OIDC Core 12.2: a new ID token for the original sign-in, without a nonce.
    return tokenResponse(refreshed.issued, user, client, QString());
}

Response TokenEndpoint::tokenResponse(const OidcTokens::Issued &issued, const User &user,
                                      const OidcClient &client, const QString &nonce)
{
    const qint64 now = m_services.clock.nowMs();
    QJsonObject body{{u"access_token"_s, issued.accessToken},
                     {u"token_type"_s, u"Bearer"_s},
                     {u"expires_in"_s, (issued.accessExpiresAt - now) / 1000},
                     {u"scope"_s, issued.scope}};
    if (!issued.refreshToken.isEmpty())
        body.insert(u"refresh_token"_s, issued.refreshToken);
    const QStringList granted = scopes(issued.scope);
    if (granted.contains(u"openid"_s)) {
        const Claims::IdToken claims{m_services.settings.publicUrl,
                                     client.id,
                                     nonce,
                                     issued.family.sessionId,
                                     issued.family.amr,
                                     issued.family.authTime,
                                     now,
                                     kIdTokenSecs};
        const auto alg = client.idTokenAlg == u"ES256" ? SigningKeys::Algorithm::ES256
                                                       : SigningKeys::Algorithm::RS256;
        body.insert(u"id_token"_s, QString::fromLatin1(m_services.oidc.keys.sign(
                                       Claims::idToken(user, granted, claims), alg)));
    }
    return noStore(Response::json(body));
}

User TokenEndpoint::activeUser(const QString &userId) const
{
    const auto user = m_services.users.byId(userId); // not the cache: this decides
    if (!user)
        throw invalidGrant(u"the user no longer exists"_s);
    if (user->disabled)
        throw invalidGrant(u"the user is disabled"_s);
    return *user;
}

OidcTokens::Lifetimes TokenEndpoint::lifetimes() const
{
    return {m_services.settings.oidcAccessTokenSecs * 1000LL,
            m_services.settings.oidcRefreshTokenDays * 24LL * 3600'000};
}

void TokenEndpoint::audit(const QString &action, const QString &userId, const OidcClient &client,
                          const Request &request, const QString &result, const QString &detail)
{
    m_services.audit.record({.actor = userId.isEmpty() ? u"client:"_s + client.id : userId,
                             .action = action,
                             .subject = u"client:"_s + client.id,
                             .surface = u"oidc"_s,
                             .ip = request.ip,
                             .result = result,
                             .detail = detail});
}
