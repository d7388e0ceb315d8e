// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/settingstable.h"

#include "config/settings.h"

#include <QtGlobal>

using namespace Qt::StringLiterals;

namespace {

// QT_TRANSLATE_NOOP in the "Settings" context: the console translates the group words.
#define GROUP(text) QT_TRANSLATE_NOOP("Settings", text)

SettingSpec number(const QString &key, SettingField field, qint64 value, qint64 min, qint64 max,
                   const char *group, const QString &description)
{
    SettingSpec s;
    s.key = key;
    s.type = SettingType::Integer;
    s.defaultText = QString::number(value);
    s.min = min;
    s.max = max;
    s.group = group;
    s.description = description;
    s.field = field;
    return s;
}

SettingSpec flag(const QString &key, bool Settings::*field, const char *group,
                 const QString &description)
{
    SettingSpec s = number(key, field, 0, 0, 0, group, description);
    s.type = SettingType::Boolean;
    s.defaultText = u"true"_s; // every switch is on by default
    return s;
}

SettingSpec offByDefault(SettingSpec s)
{
    s.defaultText = u"false"_s;
    return s;
}

SettingSpec text(const QString &key, SettingField field, const QString &env, const char *group,
                 const QString &description, const QString &value = {})
{
    SettingSpec s = number(key, field, 0, 0, 0, group, description);
    s.type = SettingType::Text;
    s.defaultText = value;
    s.env = env;
    return s;
}

SettingSpec list(const QString &key, QStringList Settings::*field, const QString &env,
                 const char *group, const QString &description)
{
    SettingSpec s = text(key, field, env, group, description);
    s.type = SettingType::List;
    return s;
}

SettingSpec withOption(SettingSpec s, const QString &option, bool inFile)
{
    s.option = option;
    s.inFile = inFile;
    return s;
}

// [oauth.NAME] keys and GATEHOUSE_OAUTH_<NAME>_* variables, one provider each.
SettingSpec provider(const QString &name, QString OAuthProviderSettings::*field,
                     const QString &description)
{
    return text(u"oauth.NAME/"_s + name, field, u"GATEHOUSE_OAUTH_<NAME>_"_s + name.toUpper(),
                GROUP("sign-in providers"), description);
}

SettingSpec secret(const QString &name, const QString &env, const QString &description,
                   bool shared = false)
{
    SettingSpec s = text(name, std::monostate{}, env, nullptr, description);
    s.inFile = false;
    s.secret = true;
    s.shared = shared;
    s.applies = Applies::AtOnce;
    return s;
}

// A row a reload (SIGHUP) applies to the running server (see HttpServer::reload).
SettingSpec reloads(SettingSpec s)
{
    s.applies = Applies::AtReload;
    return s;
}

QList<SettingSpec> serverRows()
{
    const char *limits = GROUP("limits and timeouts");
    using S = Settings;
    SettingSpec listen =
        text(u"server/listen"_s, std::monostate{}, u"GATEHOUSE_LISTEN"_s, GROUP("listen address"),
             u"HOST:PORT, the host an IP address or `localhost`"_s, u"127.0.0.1:3006"_s);
    listen.type = SettingType::Address;
    return {
        withOption(listen, u"--listen"_s, true),
        withOption(text(u"database/url"_s, &S::database, u"GATEHOUSE_DATABASE"_s, GROUP("database"),
                        u"`sqlite:PATH` (default `sqlite:<data folder>/gatehouse.db`) or "
                        u"`postgresql://user:pass@host:port/db[?sslmode=require]`"_s),
                   u"--database"_s, true),
        text(u"server/public_url"_s, &S::publicUrl, u"GATEHOUSE_PUBLIC_URL"_s, GROUP("public URL"),
             u"base of links in emails (default `http://<listen address>`, `https://` with a "
             u"certificate)"_s),
        text(u"webauthn/rp_id"_s, &S::webauthnRpId, u"GATEHOUSE_WEBAUTHN_RP_ID"_s,
             GROUP("passkeys"),
             u"passkeys' relying-party id (default: the host of `public_url`)"_s),
        list(u"webauthn/origins"_s, &S::webauthnOrigins, u"GATEHOUSE_WEBAUTHN_ORIGINS"_s,
             GROUP("passkeys"),
             u"origins passkey ceremonies may come from (default: that of `public_url`)"_s),
        number(u"webauthn/ceremony_seconds"_s, &S::webauthnCeremonySecs, 300, 5, 3600,
               GROUP("passkeys"), u"seconds a browser has to finish a passkey ceremony"_s),
        number(u"server/threads"_s, &S::listenerThreads, 0, 0, 256, GROUP("threads"),
               u"listener threads (0: one per core)"_s),
        number(u"server/workers"_s, &S::workerThreads, 0, 0, 256, GROUP("threads"),
               u"worker pool for argon2id, outbound HTTP, SMTP (0: one per core)"_s),
        reloads(number(u"server/max_body_bytes"_s, &S::maxBodyBytes, 1 << 20, 1024, 64 << 20,
                       limits, u"largest request body"_s)),
        reloads(number(u"server/max_header_bytes"_s, &S::maxHeaderBytes, 16 << 10, 1024, 1 << 20,
                       limits, u"largest request head"_s)),
        reloads(number(u"server/max_connections"_s, &S::maxConnections, 4096, 1, 1 << 20, limits,
                       u"open connections, all clients together"_s)),
        reloads(number(u"server/idle_timeout"_s, &S::idleTimeoutSecs, 60, 1, 3600, limits,
                       u"seconds a keep-alive connection may sit idle"_s)),
        reloads(number(u"server/request_timeout"_s, &S::requestTimeoutSecs, 30, 1, 3600, limits,
                       u"seconds a client has to send a whole request"_s)),
        number(u"server/max_connections_per_ip"_s, &S::maxConnectionsPerIp, 64, 0, 1 << 20, limits,
               u"open connections per client address (IPv6: per /64); 0: no cap"_s),
        reloads(number(u"server/max_pipelined"_s, &S::maxPipelined, 64, 1, 1 << 16, limits,
                       u"requests of one connection read but not yet answered"_s)),
        reloads(number(u"server/max_output_bytes"_s, &S::maxOutputBytes, 1 << 20, 4096, 1 << 30,
                       limits,
                       u"answers one connection may hold for a client that does not read"_s)),
        reloads(number(u"server/max_body_chunks"_s, &S::maxBodyChunks, 4096, 1, 1 << 24, limits,
                       u"chunks in one chunked request body"_s)),
        reloads(list(u"server/cors_origins"_s, &S::corsOrigins, u"GATEHOUSE_CORS_ORIGINS"_s,
                     GROUP("CORS origins"), u"origins allowed to call the APIs from a browser"_s)),
        reloads(
            text(u"server/tls_certificate"_s, &S::tlsCertificateFile,
                 u"GATEHOUSE_TLS_CERTIFICATE"_s, GROUP("HTTPS certificate"),
                 u"serve HTTPS: PEM certificate chain, leaf first (relative: in the data folder); "
                 u"both or neither with `tls_key`"_s)),
        reloads(text(u"server/tls_key"_s, &S::tlsKeyFile, u"GATEHOUSE_TLS_KEY"_s,
                     GROUP("HTTPS certificate"),
                     u"the certificate's unencrypted RSA or EC private key (PEM)"_s)),
    };
}

QList<SettingSpec> policyRows()
{
    using S = Settings;
    const char *surfaces = GROUP("surfaces");
    const char *lifetimes = GROUP("token lifetimes");
    const char *limits = GROUP("rate limits");
    const char *retention = GROUP("retention");
    const qint64 day = 24 * 3600;
    return {
        flag(u"surfaces/namespace"_s, &S::namespaceSurface, surfaces,
             u"the namespace surface (`/api/auth`, `/api/bind`)"_s),
        flag(u"surfaces/wallet"_s, &S::walletSurface, surfaces, u"the wallet surface"_s),
        flag(u"surfaces/pin"_s, &S::pinSurface, surfaces, u"the PIN surface"_s),
        flag(u"surfaces/device"_s, &S::deviceSurface, surfaces, u"the device surface"_s),
        flag(u"surfaces/account"_s, &S::accountSurface, surfaces, u"the account surface"_s),
        flag(u"surfaces/oidc"_s, &S::oidcSurface, surfaces,
             u"the OpenID provider (`/.well-known/openid-configuration`, `/oauth2/…`)"_s),
        flag(u"namespace/auto_create"_s, &S::namespaceAutoCreate, GROUP("namespace options"),
             u"create a namespace on its first login"_s),
        number(u"namespace/token_minutes"_s, &S::namespaceTokenMinutes, 15, 1, 24 * 60,
               GROUP("namespace options"), u"namespace JWT lifetime"_s),
        number(u"lifetimes/pin_access_seconds"_s, &S::pinAccessSecs, 60, 10, day, lifetimes,
               u"PIN accessToken cookie/JWT"_s),
        number(u"lifetimes/pin_refresh_days"_s, &S::pinRefreshDays, 30, 1, 3650, lifetimes,
               u"PIN refreshToken"_s),
        number(u"oidc/access_token_seconds"_s, &S::oidcAccessTokenSecs, 600, 60, day, lifetimes,
               u"OpenID provider access tokens"_s),
        number(u"oidc/refresh_token_days"_s, &S::oidcRefreshTokenDays, 30, 1, 3650, lifetimes,
               u"OpenID provider refresh tokens (offline_access), renewed at each rotation"_s),
        number(u"lifetimes/device_session_days"_s, &S::deviceSessionDays, 365, 1, 3650, lifetimes,
               u"device session"_s),
        number(u"lifetimes/wallet_session_days"_s, &S::walletSessionDays, 7, 1, 3650, lifetimes,
               u"wallet_session cookie"_s),
        number(u"lifetimes/account_token_days"_s, &S::accountTokenDays, 7, 1, 3650, lifetimes,
               u"account login JWT"_s),
        number(u"lifetimes/api_token_days"_s, &S::apiTokenDays, 15, 1, 3650, lifetimes,
               u"user API tokens (referrer tokens)"_s),
        number(u"limits/pin_free_failures"_s, &S::pinFreeFailures, 5, 1, 100, limits,
               u"PIN failures per name and per address before a lockout"_s),
        number(u"limits/pin_lock_seconds"_s, &S::pinLockSecs, 30, 1, day, limits,
               u"the first PIN lockout, doubling with each further failure (at most an hour)"_s),
        number(u"limits/code_attempts"_s, &S::codeAttempts, 5, 1, 100, limits,
               u"wrong tries per emailed/texted one-time code"_s),
        number(u"limits/code_resend_seconds"_s, &S::codeResendSecs, 60, 0, day, limits,
               u"seconds between two codes to the same recipient"_s),
        reloads(number(
            u"limits/anonymous_writes_per_minute"_s, &S::anonymousWritesPerMinute, 60, 0, 1'000'000,
            limits,
            u"anonymous writes per client address (IPv6: per /64), each instance; 0: off"_s)),
        reloads(number(u"limits/messages_per_address_per_hour"_s, &S::messagesPerTargetPerHour, 10,
                       0, 1'000'000, limits,
                       u"codes/links mailed or texted to one address or number; 0: off"_s)),
        number(u"limits/retention_days"_s, &S::retentionDays, 7, 1, 3650, retention,
               u"finished outbox messages and ended tokens are purged after this"_s),
        number(u"limits/unverified_account_days"_s, &S::unverifiedAccountDays, 7, 1, 3650,
               retention, u"unverified account sign-ups are purged after this"_s),
        number(u"limits/purge_interval_minutes"_s, &S::purgeIntervalMinutes, 10, 1, 24 * 60,
               retention, u"how often expired rows are purged (and once at start)"_s),
        number(u"oidc/key_overlap_hours"_s, &S::oidcKeyOverlapHours, 24, 1, 24 * 90,
               GROUP("OpenID provider"),
               u"a rotated signing key stays in the JWKS this long (`gatehouse keys rotate`)"_s),
        offByDefault(flag(u"security/require_admin_second_factor"_s, &S::requireAdminSecondFactor,
                          GROUP("second factors"),
                          u"admins sign in with a password only once they have a second factor "
                          u"(docs/security.md)"_s)),
    };
}

QList<SettingSpec> deliveryRows()
{
    using S = Settings;
    const char *delivery = GROUP("email and SMS delivery");
    const char *providers = GROUP("sign-in providers");
    using P = OAuthProviderSettings;
    SettingSpec clientSecret =
        secret(u"oauth-NAME-client-secret"_s, u"GATEHOUSE_OAUTH_<NAME>_CLIENT_SECRET"_s,
               u"an OAuth/OIDC provider's client secret"_s);
    clientSecret.field = &P::clientSecret;
    return {
        text(u"mail/smtp_url"_s, &S::smtpUrl, u"GATEHOUSE_SMTP_URL"_s, delivery,
             u"`smtp://` or `smtps://user@host:port` (the password is a secret)"_s),
        text(u"mail/from"_s, &S::mailFrom, u"GATEHOUSE_MAIL_FROM"_s, delivery,
             u"sender of emails"_s),
        text(u"sms/webhook_url"_s, &S::smsWebhookUrl, u"GATEHOUSE_SMS_WEBHOOK_URL"_s, delivery,
             u"SMS gateway: POST `{\"to\",\"text\"}`"_s),
        list(u"oauth/redirect_allowlist"_s, &S::redirectAllowlist,
             u"GATEHOUSE_OAUTH_REDIRECT_ALLOWLIST"_s, providers,
             u"allowed `redirect_uri` prefixes"_s),
        provider(u"client_id"_s, &P::clientId,
                 u"an OAuth/OIDC provider (`google`, `twitter`, `telegram` or any name)"_s),
        provider(u"issuer"_s, &P::issuer, u"the provider's issuer; enables OIDC discovery"_s),
        provider(u"authorize_url"_s, &P::authorizeUrl, u"authorization endpoint"_s),
        provider(u"token_url"_s, &P::tokenUrl, u"token endpoint"_s),
        provider(u"userinfo_url"_s, &P::userinfoUrl, u"userinfo endpoint"_s),
        clientSecret,
        text(u"apple/client_id"_s, &S::appleClientId, u"GATEHOUSE_APPLE_CLIENT_ID"_s, providers,
             u"Sign in with Apple audience"_s),
        text(u"apple/jwks_url"_s, &S::appleJwksUrl, u"GATEHOUSE_APPLE_JWKS_URL"_s, providers,
             u"Sign in with Apple key set"_s, u"https://appleid.apple.com/auth/keys"_s),
    };
}

QList<SettingSpec> storageRows()
{
    using S = Settings;
    SettingSpec store = text(
        u"secrets/store"_s, &S::secretStore, u"GATEHOUSE_SECRET_STORE"_s, GROUP("secret store"),
        u"`auto` (keychain, else a 0600 file), `keychain` or `file`"_s, u"auto"_s);
    store.type = SettingType::Choice;
    store.choices = {u"auto"_s, u"keychain"_s, u"file"_s};
    SettingSpec log = withOption(
        text(u"log/format"_s, &S::logFormat, u"GATEHOUSE_LOG_FORMAT"_s, GROUP("log format"),
             u"log lines on stderr: `text` or `json` (one object a line)"_s, u"text"_s),
        u"--log-format"_s, true);
    log.type = SettingType::Choice;
    log.choices = {u"text"_s, u"json"_s};
    return {
        store,
        log,
        withOption(text(u"secrets/file"_s, &S::secretsFile, u"GATEHOUSE_SECRETS_FILE"_s,
                        GROUP("secret store"),
                        u"one secrets file (the `secrets.json` format) shared by every instance "
                        u"on one database, in place of the keychain or the data folder's file"_s),
                   u"--secrets-file"_s, true),
        reloads(list(
            u"server/trusted_proxies"_s, &S::trustedProxies, u"GATEHOUSE_TRUSTED_PROXIES"_s,
            GROUP("trusted proxies"),
            u"addresses or CIDR ranges of proxies allowed to name the client (default none)"_s)),
        withOption(text(u"data_dir"_s, &S::dataDir, u"GATEHOUSE_DATA_DIR"_s, GROUP("data folder"),
                        u"data folder (default `~/.local/share/gatehouse`)"_s),
                   u"--data-dir"_s, false),
        withOption(text(u"config"_s, &S::configFile, u"GATEHOUSE_CONFIG"_s, GROUP("config file"),
                        u"config file (default `<data folder>/gatehouse.conf` when it exists)"_s),
                   u"--config"_s, false),
    };
}

QList<SettingSpec> secretRows()
{
    return {
        // The generated four, which instances sharing a database must share (checked at start).
        secret(u"signing-key"_s, u"GATEHOUSE_SIGNING_KEY"_s,
               u"JWT signing key (generated); the same on every instance when scaling out"_s, true),
        secret(u"wallet-seal-key"_s, u"GATEHOUSE_WALLET_SEAL_KEY"_s,
               u"key that seals embedded wallet keys (generated)"_s, true),
        secret(u"cli-api-token"_s, u"CLI_API_TOKEN"_s, u"namespace base secret (generated)"_s,
               true),
        secret(u"introspection-secret"_s, u"GATEHOUSE_INTROSPECTION_SECRET"_s,
               u"token introspection secret (generated)"_s, true),
        secret(u"telegram-bot-token"_s, u"TELEGRAM_BOT_TOKEN"_s,
               u"Telegram bot token (namespace Mini App logins, wallet Telegram logins)"_s),
        secret(u"smtp-password"_s, u"GATEHOUSE_SMTP_PASSWORD"_s, u"SMTP password"_s),
        secret(u"metrics-token"_s, u"GATEHOUSE_METRICS_TOKEN"_s,
               u"bearer token that opens `GET /metrics`; unset: it answers 401 to everyone"_s),
    };
}

QString joinedChoices(const QStringList &choices)
{
    if (choices.size() < 2)
        return choices.join(QString());
    return choices.mid(0, choices.size() - 1).join(u", "_s) + u" or "_s + choices.last();
}

} // namespace

QString SettingSpec::allowedText() const
{
    switch (type) {
    case SettingType::Integer:
        return u"a whole number from %1 to %2"_s.arg(min).arg(max);
    case SettingType::Boolean:
        return u"true or false"_s;
    case SettingType::Choice:
        return joinedChoices(choices);
    case SettingType::Address:
        return u"HOST:PORT"_s;
    case SettingType::Text:
    case SettingType::List:
        return {};
    }
    return {};
}

const QList<SettingSpec> &settingsTable()
{
    static const QList<SettingSpec> table =
        serverRows() + policyRows() + deliveryRows() + storageRows() + secretRows();
    return table;
}

const SettingSpec *findSetting(QStringView key)
{
    for (const SettingSpec &spec : settingsTable())
        if (spec.key == key)
            return &spec;
    return nullptr;
}

QList<const SettingSpec *> secretSettings()
{
    QList<const SettingSpec *> out;
    for (const SettingSpec &spec : settingsTable())
        if (spec.secret && !spec.perProvider())
            out << &spec;
    return out;
}
