// SPDX-License-Identifier: GPL-3.0-or-later
// What is done with the provider's tokens once issued: userinfo (OIDC Core 5.3),
// revocation (RFC 7009) and introspection (RFC 7662).
#include "oidc/tokenendpoint.h"

#include "oidc/claims.h"
#include "routeauth.h"
#include "services.h"

using namespace Qt::StringLiterals;

namespace {

QStringList scopes(const QString &scope)
{
    return scope.split(u' ', Qt::SkipEmptyParts);
}

// RFC 6750 3.1
ApiError bearerRefusal(int status, const QString &error, const QString &why)
{
    return ApiError(status, error, why)
        .withHeader("WWW-Authenticate", "Bearer error=\"" + error.toLatin1() + '"');
}

bool formCarriesToken(const Request &request)
{
    const QByteArray type = request.header("content-type").split(';').first().trimmed().toLower();
    if (request.method != "POST" || type != "application/x-www-form-urlencoded")
        return false;
    for (const QByteArray &pair : request.body.split('&'))
        if (pair.startsWith("access_token="))
            return true;
    return false;
}

} // namespace

Response TokenEndpoint::userinfo(const Request &request)
{
    // RFC 6750 2: one way of sending the token per request.
    if (!request.bearerToken().isEmpty() && formCarriesToken(request))
        throw bearerRefusal(400, u"invalid_request"_s,
                            u"the access token is both in the header and in the body"_s);
    const QString token = QString::fromLatin1(RouteAuth::oidcAccessToken(request));
    const auto active = m_services.oidc.tokens.active(token);
    if (!active || active->kind != OidcToken::Kind::Access)
        throw bearerRefusal(401, u"invalid_token"_s,
                            u"the access token is invalid, expired or revoked"_s);
    const QStringList granted = scopes(active->scope);
    if (!granted.contains(u"openid"_s))
        throw bearerRefusal(403, u"insufficient_scope"_s, u"userinfo needs the openid scope"_s);
    const auto user = m_services.users.byId(active->family.userId);
    if (!user) // removed between the two reads
        throw bearerRefusal(401, u"invalid_token"_s, u"the user no longer exists"_s);
    return noStore(Response::json(Claims::forScope(*user, granted)));
}

Response TokenEndpoint::revoke(const Request &request)
{
    const Form form = TokenClientAuth::parseForm(request);
    const OidcClient client = TokenClientAuth::authenticate(m_services, request, form);
    const QString token = form.value(u"token"_s);
    if (token.isEmpty())
        throw ApiError(400, u"invalid_request"_s, u"no token"_s);
    // token_type_hint only speeds a search up (RFC 7009 2.1); both kinds share one table.
    const auto found = m_services.oidc.tokens.find(token);
    if (!found) // RFC 7009 2.2: an unknown token is not an error
        return Response::empty(200);
    if (found->family.clientId != client.id) { // RFC 7009 2.1: not this client's to revoke
        audit(u"oidc.revoke"_s, found->family.userId, client, request, u"denied"_s,
              u"a token of another client"_s);
        return Response::empty(200);
    }
    const int revoked = m_services.oidc.tokens.revoke(*found);
    const bool refresh = found->kind == OidcToken::Kind::Refresh;
    audit(u"oidc.revoke"_s, found->family.userId, client, request, u"ok"_s,
          u"%1 token, %2 rows revoked"_s.arg(refresh ? u"refresh"_s : u"access"_s).arg(revoked));
    return Response::empty(200);
}

Response TokenEndpoint::introspect(const Request &request)
{
    const Form form = TokenClientAuth::parseForm(request);
    // RFC 7662 2.1 leaves who may ask to the provider: any confidential client (a
    // resource server registers as one), for any token (docs/oidc.md).
    TokenClientAuth::authenticate(m_services, request, form,
                                  TokenClientAuth::Require::Confidential);
    const QString token = form.value(u"token"_s);
    if (token.isEmpty())
        throw ApiError(400, u"invalid_request"_s, u"no token"_s);
    const QJsonObject inactive{{u"active"_s, false}};
    const auto active = m_services.oidc.tokens.active(token);
    if (!active)
        return noStore(Response::json(inactive));
    const auto user = m_services.users.byId(active->family.userId);
    if (!user)
        return noStore(Response::json(inactive));
    const bool refresh = active->kind == OidcToken::Kind::Refresh;
    QJsonObject body{{u"active"_s, true},
                     {u"scope"_s, active->scope},
                     {u"client_id"_s, active->family.clientId},
                     {u"token_type"_s, refresh ? u"refresh_token"_s : u"Bearer"_s},
                     {u"exp"_s, active->expiresAt / 1000},
                     {u"iat"_s, active->createdAt / 1000},
                     {u"sub"_s, user->id},
                     {u"aud"_s, active->family.clientId},
                     {u"iss"_s, m_services.settings.publicUrl}};
    if (!user->username.isEmpty())
        body.insert(u"username"_s, user->username);
    return noStore(Response::json(body));
}
