// SPDX-License-Identifier: GPL-3.0-or-later
#include "oidc/oidcroutes.h"
#include "services.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

// OpenID Connect Discovery 1.0 (with RFC 8414's additions) and the JWKS. Both are public
// and fetched by browser relying parties too, so any origin may read them; neither uses
// cookies, so `*` (without credentials) is the right CORS answer.
namespace {

// Relying parties cache the JWKS and fetch it again when they meet an unknown kid: five
// minutes keeps a busy one from asking every time, well inside the overlap window a
// retired key stays published.
constexpr int kJwksMaxAgeSecs = 300;
constexpr int kDiscoveryMaxAgeSecs = 3600;

QJsonArray strings(std::initializer_list<const char16_t *> values)
{
    QJsonArray out;
    for (const char16_t *value : values)
        out.append(QString::fromUtf16(value));
    return out;
}

QJsonObject configuration(const QString &issuer)
{
    const QJsonArray clientAuth = strings({u"client_secret_basic", u"client_secret_post", u"none"});
    return {
        {u"issuer"_s, issuer},
        {u"authorization_endpoint"_s, issuer + u"/oauth2/authorize"_s},
        {u"token_endpoint"_s, issuer + u"/oauth2/token"_s},
        {u"userinfo_endpoint"_s, issuer + u"/oauth2/userinfo"_s},
        {u"jwks_uri"_s, issuer + u"/.well-known/jwks.json"_s},
        {u"end_session_endpoint"_s, issuer + u"/oauth2/logout"_s},
        {u"revocation_endpoint"_s, issuer + u"/oauth2/revoke"_s},
        {u"revocation_endpoint_auth_methods_supported"_s, clientAuth},
        {u"introspection_endpoint"_s, issuer + u"/oauth2/introspect"_s},
        // Introspection is for confidential clients only (a public client has no secret).
        {u"introspection_endpoint_auth_methods_supported"_s,
         strings({u"client_secret_basic", u"client_secret_post"})},
        {u"response_types_supported"_s, strings({u"code"})},
        {u"response_modes_supported"_s, strings({u"query", u"form_post"})},
        {u"grant_types_supported"_s, strings({u"authorization_code", u"refresh_token"})},
        {u"subject_types_supported"_s, strings({u"public"})},
        {u"id_token_signing_alg_values_supported"_s, strings({u"RS256", u"ES256"})},
        {u"token_endpoint_auth_methods_supported"_s, clientAuth},
        {u"code_challenge_methods_supported"_s, strings({u"S256"})},
        {u"scopes_supported"_s, strings({u"openid", u"profile", u"email", u"offline_access"})},
        {u"claims_supported"_s,
         strings({u"sub", u"iss", u"aud", u"exp", u"iat", u"auth_time", u"nonce", u"amr", u"email",
                  u"email_verified", u"name", u"preferred_username"})},
        {u"prompt_values_supported"_s, strings({u"none", u"login", u"consent", u"select_account"})},
        {u"claims_parameter_supported"_s, false},
        {u"request_parameter_supported"_s, false},
        {u"request_uri_parameter_supported"_s, false},
        {u"authorization_response_iss_parameter_supported"_s, true},
    };
}

Response publicJson(const QJsonObject &body, int maxAgeSecs)
{
    Response r = Response::json(body);
    r.header("Access-Control-Allow-Origin", "*");
    r.header("Cache-Control", "public, max-age=" + QByteArray::number(maxAgeSecs));
    return r;
}

} // namespace

void OidcRoutes::addDiscovery(Router &router, Services &services)
{
    Services *s = &services;
    router.add({"GET", u"/.well-known/openid-configuration"_s, Auth::None,
                [s](const Request &) {
                    return publicJson(configuration(s->settings.publicUrl), kDiscoveryMaxAgeSecs);
                },
                Runs::Inline, Metrics::Oidc, ErrorShape::OAuth});
    // The key set reads the table every few seconds (a rotation elsewhere) and makes the
    // first keys on first use: database work, so the pool rather than the listener.
    router.add({"GET", u"/.well-known/jwks.json"_s, Auth::None,
                [s](const Request &) { return publicJson(s->oidc.keys.jwks(), kJwksMaxAgeSecs); },
                Runs::OnPool, Metrics::Oidc, ErrorShape::OAuth});
}
