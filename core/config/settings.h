// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"

#include <QMap>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <optional>

using namespace Qt::StringLiterals;

struct OAuthProviderSettings
{
    QString name; // lower case: google, twitter, telegram, or any OIDC provider name
    QString clientId;
    QString clientSecret; // from the environment or the SecretStore, never the file
    QString issuer;       // enables OIDC discovery
    QString authorizeUrl;
    QString tokenUrl;
    QString userinfoUrl;
};

// Everything configurable that is not a secret. Loaded once at start; precedence is
// command line > environment > config file > defaults. What each member means, its
// default, its range and its names in the file and the environment are in the settings
// table (settingstable.cpp): the default constructor fills in its defaults.
struct Settings
{
    Settings();

    QString dataDir;
    QString configFile; // the file actually read, empty if none
    QString listenHost;
    quint16 listenPort = 0;
    QString database; // sqlite:PATH or postgresql://…
    QString publicUrl;
    // Passkeys (WebAuthn): the relying-party id and allowed origins; empty: from publicUrl.
    QString webauthnRpId;
    QStringList webauthnOrigins;
    int webauthnCeremonySecs = 0; // how long an options answer stays good

    // HTTP guard
    int listenerThreads = 0; // 0: one per core
    int workerThreads = 0;   // slow work (argon2id, outbound HTTP); 0: one per core
    qint64 maxBodyBytes = 0;
    int maxHeaderBytes = 0;
    int maxConnections = 0;
    int idleTimeoutSecs = 0;
    int requestTimeoutSecs = 0;
    int maxConnectionsPerIp = 0; // 0: no cap (behind a proxy every client is the proxy)
    int maxPipelined = 0;        // requests of one connection read but not yet answered
    qint64 maxOutputBytes = 0;   // answers one connection holds for a client not reading
    int maxBodyChunks = 0;       // chunks in one chunked request body
    QStringList corsOrigins;
    // HTTPS: PEM files (the certificate chain, leaf first, and its private key). Both
    // empty: plain HTTP, for a TLS proxy in front.
    QString tlsCertificateFile;
    QString tlsKeyFile;

    // Surfaces, each can be switched off
    bool namespaceSurface = false;
    bool walletSurface = false;
    bool pinSurface = false;
    bool deviceSurface = false;
    bool accountSurface = false;
    bool oidcSurface = false; // the OpenID provider (docs/oidc.md)

    // Namespace surface
    bool namespaceAutoCreate = false;
    bool requireAdminSecondFactor = false; // an admin without a second factor cannot sign in
    int namespaceTokenMinutes = 0;

    // Token lifetimes (the seeds' values by default)
    int pinAccessSecs = 0;
    int pinRefreshDays = 0;
    int deviceSessionDays = 0;
    int walletSessionDays = 0;
    int accountTokenDays = 0;
    int apiTokenDays = 0;
    int oidcAccessTokenSecs = 0;  // OpenID provider (docs/oidc.md)
    int oidcRefreshTokenDays = 0; // OpenID provider, offline_access

    // Rate limits on what can be guessed
    int pinFreeFailures = 0; // per name and per address, then a doubling wait
    int pinLockSecs = 0;     // the first wait
    int codeAttempts = 0;    // per emailed or texted one-time code
    int codeResendSecs = 0;  // between two codes to one recipient
    // Anonymous writes (registrations, mailed codes and links, challenges, OAuth starts,
    // device logins): per client address and per target address; 0 switches one off.
    int anonymousWritesPerMinute = 0; // per IP (IPv6: per /64), each instance
    int messagesPerTargetPerHour = 0; // per email address or phone number, all instances
    // Retention: expired or finished rows older than this are purged; unverified
    // account sign-ups after `unverifiedAccountDays`.
    int retentionDays = 0;
    int unverifiedAccountDays = 0;
    int purgeIntervalMinutes = 0;
    // OpenID provider: how long a retired signing key stays in the JWKS
    int oidcKeyOverlapHours = 0;

    // Delivery
    QString smtpUrl;
    QString mailFrom;
    QString smsWebhookUrl;

    // Providers
    QMap<QString, OAuthProviderSettings> oauthProviders;
    QStringList redirectAllowlist;
    QString appleClientId;
    QString appleJwksUrl;

    QString secretStore; // auto | keychain | file
    // Several instances on one database: one secrets file they all read (secrets.json
    // format) in place of the keychain or the data folder's file. Empty: not shared.
    QString secretsFile;
    // Peers (CIDR or single addresses) whose X-Forwarded-For / Forwarded headers name
    // the client. Empty: the TCP peer is the client, whatever the headers say.
    QStringList trustedProxies;
    // Log lines on stderr: "text" (Qt's own) or "json" (one object per line).
    QString logFormat = u"text"_s;

    QString listenAddress() const;
    bool servesTls() const { return !tlsCertificateFile.isEmpty(); }
    // http(s)://HOST:PORT for the listen address, with the port actually bound.
    QString listenUrl(quint16 boundPort) const;
    bool listensOnLoopbackOnly() const;
};

// What the command line may override (GATEHOUSE_* names cover the same for the environment).
struct SettingsOverrides
{
    std::optional<QString> dataDir;
    std::optional<QString> listen;
    std::optional<QString> database;
    std::optional<QString> configFile;
    std::optional<QString> logFormat =
        std::nullopt; // initialised: callers list only the first four
};

QString defaultDataDir();
Result<Settings> loadSettings(const SettingsOverrides &overrides, const QProcessEnvironment &env);
// Parses HOST:PORT ([v6]:PORT too); the host must be an IP address or localhost.
Result<std::pair<QString, quint16>> parseListenAddress(const QString &text);
// Writes the non-secret settings back to `path` (the console's Settings page).
Result<Done> saveSettingsFile(const Settings &settings, const QString &path);
