// SPDX-License-Identifier: GPL-3.0-or-later
#include "providers/oauthproviders.h"

#include "clock.h"
#include "config/secrets.h"
#include "config/settings.h"
#include "jsonnumber.h"
#include "providers/idtoken.h"
#include "providers/outboundhttp.h"
#include "providers/remotejsoncache.h"
#include "refusal.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace {

const QStringList kReserved = {u"email"_s, u"phone"_s, u"apple"_s, u"solana"_s, u"ethereum"_s};

[[noreturn]] void refuse(Refusal::Kind kind, const QString &message)
{
    throw Refusal(kind, message);
}

QJsonObject parseObject(const QByteArray &body)
{
    return QJsonDocument::fromJson(body).object();
}

// The provider's own words for a refusal: RFC 6749 error (+ description).
QString providerError(const OutboundHttp::Reply &reply)
{
    const QJsonObject body = parseObject(reply.body);
    QString what = body.value(u"error"_s).toString();
    const QString description = body.value(u"error_description"_s).toString();
    if (!description.isEmpty())
        what += (what.isEmpty() ? u""_s : u": "_s) + description;
    return what.isEmpty() ? u"HTTP %1"_s.arg(reply.status) : what.left(300);
}

QString stringOrNumber(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (const auto number = jsonInteger(value))
        return QString::number(*number);
    return {};
}

} // namespace

OAuthProviders::OAuthProviders(const Settings &settings, const Secrets &secrets, const Clock &clock,
                               RemoteJsonCache &cache)
    : m_settings(settings), m_secrets(secrets), m_clock(clock), m_cache(cache)
{}

bool OAuthProviders::known(const QString &provider) const
{
    const auto it = m_settings.oauthProviders.constFind(provider);
    return it != m_settings.oauthProviders.cend() && !it->clientId.isEmpty() &&
           !kReserved.contains(provider);
}

QString OAuthProviders::clientId(const QString &provider) const
{
    return m_settings.oauthProviders.value(provider).clientId;
}

QString OAuthProviders::clientSecret(const QString &provider) const
{
    const QString fromSettings = m_settings.oauthProviders.value(provider).clientSecret;
    if (!fromSettings.isEmpty())
        return fromSettings;
    return QString::fromUtf8(m_secrets.value(SecretName::oauthClientSecret(provider)));
}

OAuthEndpoints OAuthProviders::endpoints(const QString &provider)
{
    if (!known(provider))
        refuse(Refusal::Kind::InvalidInput, u"Invalid provider"_s);
    const OAuthProviderSettings p = m_settings.oauthProviders.value(provider);
    OAuthEndpoints e;
    e.issuer = p.issuer;
    if (provider == u"google" && e.issuer.isEmpty() && p.authorizeUrl.isEmpty())
        e.issuer = u"https://accounts.google.com"_s;
    if (provider == u"twitter") {
        e.authorize = u"https://twitter.com/i/oauth2/authorize"_s;
        e.token = u"https://api.twitter.com/2/oauth2/token"_s;
        e.userinfo = u"https://api.twitter.com/2/users/me"_s;
        e.scope = u"users.read tweet.read"_s;
    }
    while (e.issuer.endsWith(u'/') && e.issuer.size() > 8)
        e.issuer.chop(1);
    if (!e.issuer.isEmpty()) {
        const QString url = e.issuer + u"/.well-known/openid-configuration"_s;
        const RemoteJsonCache::Fetched doc = m_cache.get(url);
        if (!doc.ok())
            refuse(Refusal::Kind::ProviderUnreachable,
                   u"OIDC discovery for %1 failed: %2"_s.arg(provider, doc.error));
        const QJsonObject &d = doc.document;
        QString announced = d.value(u"issuer"_s).toString();
        while (announced.endsWith(u'/') && announced.size() > 8)
            announced.chop(1);
        if (announced != e.issuer)
            refuse(Refusal::Kind::Internal,
                   u"OIDC discovery for %1 names another issuer"_s.arg(provider));
        e.issuer = d.value(u"issuer"_s).toString(); // exactly as the ID tokens carry it
        e.authorize = d.value(u"authorization_endpoint"_s).toString();
        e.token = d.value(u"token_endpoint"_s).toString();
        e.userinfo = d.value(u"userinfo_endpoint"_s).toString();
        e.jwks = d.value(u"jwks_uri"_s).toString();
        e.scope = u"openid email profile"_s;
    }
    if (!p.authorizeUrl.isEmpty())
        e.authorize = p.authorizeUrl;
    if (!p.tokenUrl.isEmpty())
        e.token = p.tokenUrl;
    if (!p.userinfoUrl.isEmpty())
        e.userinfo = p.userinfoUrl;
    if (e.scope.isEmpty())
        e.scope = u"openid"_s;
    if (e.authorize.isEmpty() || e.token.isEmpty() || (e.jwks.isEmpty() && e.userinfo.isEmpty()))
        refuse(Refusal::Kind::InvalidInput,
               u"Invalid provider: %1 has no issuer or endpoints configured"_s.arg(provider));
    return e;
}

QString OAuthProviders::authorizeUrl(const QString &provider, const QString &redirectUri,
                                     const QString &state, const QString &codeChallenge)
{
    const OAuthEndpoints e = endpoints(provider);
    QUrl url(e.authorize);
    QUrlQuery query(url);
    query.addQueryItem(u"response_type"_s, u"code"_s);
    query.addQueryItem(u"client_id"_s, clientId(provider));
    query.addQueryItem(u"redirect_uri"_s, redirectUri);
    query.addQueryItem(u"scope"_s, e.scope);
    query.addQueryItem(u"state"_s, state);
    query.addQueryItem(u"code_challenge"_s, codeChallenge);
    query.addQueryItem(u"code_challenge_method"_s, u"S256"_s);
    // QUrlQuery leaves '+' alone, which a form decoder reads as a space.
    QString encoded = query.toString(QUrl::FullyEncoded).replace(u'+', u"%2B"_s);
    url.setQuery(encoded, QUrl::StrictMode);
    return url.toString(QUrl::FullyEncoded);
}

OAuthIdentity OAuthProviders::exchange(const QString &provider, const QString &code,
                                       const QString &codeVerifier, const QString &redirectUri)
{
    const OAuthEndpoints e = endpoints(provider);
    const QString id = clientId(provider);
    const QString secret = clientSecret(provider);
    OutboundHttp::Form form = {{u"grant_type"_s, u"authorization_code"_s},
                               {u"code"_s, code},
                               {u"redirect_uri"_s, redirectUri},
                               {u"code_verifier"_s, codeVerifier}};
    OutboundHttp::Options options;
    if (secret.isEmpty()) {
        form.append({u"client_id"_s, id}); // a public client: PKCE alone
    } else {
        // client_secret_basic, which RFC 6749 makes every server support.
        const QByteArray basic =
            QUrl::toPercentEncoding(id) + ':' + QUrl::toPercentEncoding(secret);
        options.headers.append(
            std::pair<QByteArray, QByteArray>("Authorization", "Basic " + basic.toBase64()));
    }
    const OutboundHttp::Reply reply = OutboundHttp::postForm(e.token, form, options);
    if (reply.transportFailed())
        refuse(Refusal::Kind::ProviderUnreachable,
               u"Cannot reach the %1 token endpoint: %2"_s.arg(provider, reply.error));
    if (reply.status != 200)
        refuse(reply.status >= 500 ? Refusal::Kind::ProviderUnreachable
                                   : Refusal::Kind::BadCredentials,
               u"%1 refused the code: %2"_s.arg(provider, providerError(reply)));
    const QJsonObject tokens = parseObject(reply.body);
    const QString accessToken = tokens.value(u"access_token"_s).toString();
    const QString idToken = tokens.value(u"id_token"_s).toString();
    if (!idToken.isEmpty() && !e.jwks.isEmpty() && !e.issuer.isEmpty()) {
        const QJsonObject claims = IdToken::verify(
            idToken.toLatin1(), {e.jwks, e.issuer, id, provider}, m_clock.nowSecs(), m_cache);
        OAuthIdentity identity;
        identity.subject = claims.value(u"sub"_s).toString();
        if (claims.value(u"email_verified"_s).toBool())
            identity.email = claims.value(u"email"_s).toString();
        identity.name = claims.value(u"name"_s).toString();
        // Many providers keep the profile claims for userinfo (OIDC Core 5.4): ask it,
        // for the same subject only; the login does not depend on it.
        if (identity.email.isEmpty() && !accessToken.isEmpty() && !e.userinfo.isEmpty()) {
            try {
                const OAuthIdentity info = fromUserinfo(provider, e, accessToken);
                if (info.subject == identity.subject) {
                    identity.email = info.email;
                    if (identity.name.isEmpty())
                        identity.name = info.name;
                }
            } catch (const Refusal &) {
            }
        }
        return identity;
    }
    if (accessToken.isEmpty())
        refuse(Refusal::Kind::BadCredentials, u"%1 returned no access token"_s.arg(provider));
    return fromUserinfo(provider, e, accessToken);
}

OAuthIdentity OAuthProviders::fromUserinfo(const QString &provider, const OAuthEndpoints &e,
                                           const QString &accessToken)
{
    if (e.userinfo.isEmpty())
        refuse(Refusal::Kind::BadCredentials,
               u"%1 returned no ID token and has no userinfo endpoint"_s.arg(provider));
    OutboundHttp::Options options;
    options.headers.append(
        std::pair<QByteArray, QByteArray>("Authorization", "Bearer " + accessToken.toUtf8()));
    const OutboundHttp::Reply reply = OutboundHttp::get(e.userinfo, options);
    if (reply.transportFailed())
        refuse(Refusal::Kind::ProviderUnreachable,
               u"Cannot reach the %1 userinfo endpoint: %2"_s.arg(provider, reply.error));
    if (reply.status != 200)
        refuse(reply.status >= 500 ? Refusal::Kind::ProviderUnreachable
                                   : Refusal::Kind::BadCredentials,
               u"%1 userinfo refused the token: %2"_s.arg(provider, providerError(reply)));
    QJsonObject info = parseObject(reply.body);
    if (info.value(u"data"_s).isObject()) // Twitter/X: {"data": {"id", "username"}}
        info = info.value(u"data"_s).toObject();
    OAuthIdentity identity;
    identity.subject = stringOrNumber(info.value(u"sub"_s));
    if (identity.subject.isEmpty())
        identity.subject = stringOrNumber(info.value(u"id"_s));
    if (identity.subject.isEmpty())
        refuse(Refusal::Kind::BadCredentials, u"%1 userinfo names no subject"_s.arg(provider));
    if (info.value(u"email_verified"_s).toBool())
        identity.email = info.value(u"email"_s).toString();
    identity.name = info.value(u"username"_s).toString();
    if (identity.name.isEmpty())
        identity.name = info.value(u"name"_s).toString();
    return identity;
}
