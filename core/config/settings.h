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
// command line > environment > config file > defaults.
struct Settings
{
    QString dataDir;
    QString configFile; // the file actually read, empty if none
    QString listenHost = u"127.0.0.1"_s;
    quint16 listenPort = 3006;
    QString database; // sqlite:PATH or postgresql://…
    QString publicUrl;

    // HTTP guard
    int listenerThreads = 0; // 0: one per core
    int workerThreads = 0;   // slow work (argon2id, outbound HTTP); 0: one per core
    qint64 maxBodyBytes = 1 << 20;
    int maxHeaderBytes = 16 << 10;
    int maxConnections = 4096;
    int idleTimeoutSecs = 60;
    int requestTimeoutSecs = 30;
    int maxConnectionsPerIp = 64;    // 0: no cap (behind a proxy every client is the proxy)
    int maxPipelined = 64;           // requests of one connection read but not yet answered
    qint64 maxOutputBytes = 1 << 20; // answers one connection holds for a client not reading
    int maxBodyChunks = 4096;        // chunks in one chunked request body
    QStringList corsOrigins;
    // HTTPS: PEM files (the certificate chain, leaf first, and its private key). Both
    // empty: plain HTTP, for a TLS proxy in front.
    QString tlsCertificateFile;
    QString tlsKeyFile;

    // Surfaces, each can be switched off
    bool namespaceSurface = true;
    bool walletSurface = true;
    bool pinSurface = true;
    bool deviceSurface = true;
    bool accountSurface = true;

    // Namespace surface
    bool namespaceAutoCreate = true;
    int namespaceTokenMinutes = 15;

    // Token lifetimes (the seeds' values by default)
    int pinAccessSecs = 60;
    int pinRefreshDays = 30;
    int deviceSessionDays = 365;
    int walletSessionDays = 7;
    int accountTokenDays = 7;
    int apiTokenDays = 15;

    // Rate limits on what can be guessed
    int pinFreeFailures = 5; // per name and per address, then a doubling wait
    int pinLockSecs = 30;    // the first wait
    int codeAttempts = 5;    // per emailed or texted one-time code
    int codeResendSecs = 60; // between two codes to one recipient
    // Anonymous writes (registrations, mailed codes and links, challenges, OAuth starts,
    // device logins): per client address and per target address; 0 switches one off.
    int anonymousWritesPerMinute = 60; // per IP (IPv6: per /64), each instance
    int messagesPerTargetPerHour = 10; // per email address or phone number, all instances
    // Retention: expired or finished rows older than this are purged; unverified
    // account sign-ups after `unverifiedAccountDays`.
    int retentionDays = 7;
    int unverifiedAccountDays = 7;
    int purgeIntervalMinutes = 10;

    // Delivery
    QString smtpUrl;
    QString mailFrom;
    QString smsWebhookUrl;

    // Providers
    QMap<QString, OAuthProviderSettings> oauthProviders;
    QStringList redirectAllowlist;
    QString appleClientId;
    QString appleJwksUrl = u"https://appleid.apple.com/auth/keys"_s;

    QString secretStore = u"auto"_s; // auto | keychain | file
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
