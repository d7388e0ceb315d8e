// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

class Clock;
class RemoteJsonCache;
class Secrets;
struct Settings;

// Where a provider's endpoints are: explicit URLs from the settings win, then the
// issuer's /.well-known/openid-configuration, then built-in defaults (Google's issuer,
// Twitter/X's OAuth 2.0 endpoints).
struct OAuthEndpoints
{
    QString issuer; // empty for plain OAuth 2.0 (no ID token checks)
    QString authorize;
    QString token;
    QString userinfo;
    QString jwks;
    QString scope;
};

struct OAuthIdentity
{
    QString subject;
    QString email; // only when the provider says it is verified
    QString name;
};

// The authorization-code flow with PKCE S256 against Google, Twitter/X, Telegram or
// any OpenID Connect provider in Settings::oauthProviders. Every call that may touch
// the network runs on the worker pool. Failures throw Refusal: Invalid for an
// unknown or incomplete provider, Unauthorized when the provider refuses (bad code,
// verifier or token), ProviderUnreachable when it cannot be reached.
class OAuthProviders
{
public:
    OAuthProviders(const Settings &settings, const Secrets &secrets, const Clock &clock,
                   RemoteJsonCache &cache);

    // Configured with a client id, and not a name the wallet surface uses otherwise.
    [[nodiscard]] bool known(const QString &provider) const;
    [[nodiscard]] QString clientId(const QString &provider) const;
    [[nodiscard]] OAuthEndpoints endpoints(const QString &provider);
    [[nodiscard]] QString authorizeUrl(const QString &provider, const QString &redirectUri,
                                       const QString &state, const QString &codeChallenge);
    // Exchanges the code (with the PKCE verifier) at the token endpoint, then reads the
    // subject from the verified ID token (OIDC) or the userinfo endpoint.
    [[nodiscard]] OAuthIdentity exchange(const QString &provider, const QString &code,
                                         const QString &codeVerifier, const QString &redirectUri);

private:
    QString clientSecret(const QString &provider) const;
    OAuthIdentity fromUserinfo(const QString &provider, const OAuthEndpoints &endpoints,
                               const QString &accessToken);

    const Settings &m_settings;
    const Secrets &m_secrets;
    const Clock &m_clock;
    RemoteJsonCache &m_cache;
};
