// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/settings.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QSettings>
#include <QStandardPaths>
#include <QThread>

using namespace Qt::StringLiterals;

namespace {

QStringList splitList(const QString &text)
{
    QStringList out;
    for (const QString &item : text.split(u',', Qt::SkipEmptyParts))
        if (const QString trimmed = item.trimmed(); !trimmed.isEmpty())
            out << trimmed;
    return out;
}

Result<int> positive(const QVariant &value, const char *key, int min, int max)
{
    bool ok = false;
    const int n = value.toString().toInt(&ok);
    if (!ok || n < min || n > max)
        return Result<int>::failure(
            u"setting %1 must be a whole number from %2 to %3"_s.arg(QLatin1StringView(key))
                .arg(min)
                .arg(max));
    return n;
}

Result<bool> boolean(const QVariant &value, const char *key)
{
    const QString text = value.toString().trimmed().toLower();
    if (text == u"true" || text == u"1" || text == u"yes" || text == u"on")
        return true;
    if (text == u"false" || text == u"0" || text == u"no" || text == u"off")
        return false;
    return Result<bool>::failure(u"setting %1 must be true or false"_s.arg(QLatin1StringView(key)));
}

// Reads the INI file; every key is optional.
Result<Done> applyFile(Settings &s, const QString &path, bool cliSetsListen, bool cliSetsDb)
{
    QSettings ini(path, QSettings::IniFormat);
    if (ini.status() != QSettings::NoError)
        return Result<Done>::failure(u"cannot read config file %1"_s.arg(path));
    QString problem;
    auto intKey = [&](const char *key, int &target, int min, int max) {
        if (!ini.contains(QLatin1StringView(key)) || !problem.isEmpty())
            return;
        auto v = positive(ini.value(QLatin1StringView(key)), key, min, max);
        v ? void(target = *v) : void(problem = v.error());
    };
    auto boolKey = [&](const char *key, bool &target) {
        if (!ini.contains(QLatin1StringView(key)) || !problem.isEmpty())
            return;
        auto v = boolean(ini.value(QLatin1StringView(key)), key);
        v ? void(target = *v) : void(problem = v.error());
    };
    auto stringKey = [&](const char *key, QString &target) {
        if (ini.contains(QLatin1StringView(key)))
            target = ini.value(QLatin1StringView(key)).toString();
    };

    if (ini.contains(u"server/listen"_s) && !cliSetsListen) {
        auto listen = parseListenAddress(ini.value(u"server/listen"_s).toString());
        if (!listen)
            return Result<Done>::failure(u"%1 (in %2)"_s.arg(listen.error(), path));
        std::tie(s.listenHost, s.listenPort) = *listen;
    }
    if (!cliSetsDb)
        stringKey("database/url", s.database);
    stringKey("server/public_url", s.publicUrl);
    intKey("server/threads", s.listenerThreads, 0, 256);
    intKey("server/workers", s.workerThreads, 0, 256);
    int body = int(s.maxBodyBytes);
    intKey("server/max_body_bytes", body, 1024, 64 << 20);
    s.maxBodyBytes = body;
    intKey("server/max_header_bytes", s.maxHeaderBytes, 1024, 1 << 20);
    intKey("server/max_connections", s.maxConnections, 1, 1 << 20);
    intKey("server/idle_timeout", s.idleTimeoutSecs, 1, 3600);
    intKey("server/request_timeout", s.requestTimeoutSecs, 1, 3600);
    intKey("server/max_connections_per_ip", s.maxConnectionsPerIp, 0, 1 << 20);
    intKey("server/max_pipelined", s.maxPipelined, 1, 1 << 16);
    int output = int(s.maxOutputBytes);
    intKey("server/max_output_bytes", output, 4096, 1 << 30);
    s.maxOutputBytes = output;
    intKey("server/max_body_chunks", s.maxBodyChunks, 1, 1 << 24);
    if (ini.contains(u"server/cors_origins"_s))
        s.corsOrigins = splitList(ini.value(u"server/cors_origins"_s).toStringList().join(u','));
    stringKey("server/tls_certificate", s.tlsCertificateFile);
    stringKey("server/tls_key", s.tlsKeyFile);
    boolKey("surfaces/namespace", s.namespaceSurface);
    boolKey("surfaces/wallet", s.walletSurface);
    boolKey("surfaces/pin", s.pinSurface);
    boolKey("surfaces/device", s.deviceSurface);
    boolKey("surfaces/account", s.accountSurface);
    boolKey("namespace/auto_create", s.namespaceAutoCreate);
    intKey("namespace/token_minutes", s.namespaceTokenMinutes, 1, 24 * 60);
    intKey("lifetimes/pin_access_seconds", s.pinAccessSecs, 10, 24 * 3600);
    intKey("lifetimes/pin_refresh_days", s.pinRefreshDays, 1, 3650);
    intKey("lifetimes/device_session_days", s.deviceSessionDays, 1, 3650);
    intKey("lifetimes/wallet_session_days", s.walletSessionDays, 1, 3650);
    intKey("lifetimes/account_token_days", s.accountTokenDays, 1, 3650);
    intKey("lifetimes/api_token_days", s.apiTokenDays, 1, 3650);
    intKey("limits/pin_free_failures", s.pinFreeFailures, 1, 100);
    intKey("limits/pin_lock_seconds", s.pinLockSecs, 1, 24 * 3600);
    intKey("limits/code_attempts", s.codeAttempts, 1, 100);
    intKey("limits/code_resend_seconds", s.codeResendSecs, 0, 24 * 3600);
    intKey("limits/anonymous_writes_per_minute", s.anonymousWritesPerMinute, 0, 1'000'000);
    intKey("limits/messages_per_address_per_hour", s.messagesPerTargetPerHour, 0, 1'000'000);
    intKey("limits/retention_days", s.retentionDays, 1, 3650);
    intKey("limits/unverified_account_days", s.unverifiedAccountDays, 1, 3650);
    intKey("limits/purge_interval_minutes", s.purgeIntervalMinutes, 1, 24 * 60);
    stringKey("mail/smtp_url", s.smtpUrl);
    stringKey("mail/from", s.mailFrom);
    stringKey("sms/webhook_url", s.smsWebhookUrl);
    if (ini.contains(u"oauth/redirect_allowlist"_s))
        s.redirectAllowlist =
            splitList(ini.value(u"oauth/redirect_allowlist"_s).toStringList().join(u','));
    stringKey("apple/client_id", s.appleClientId);
    stringKey("apple/jwks_url", s.appleJwksUrl);
    stringKey("secrets/store", s.secretStore);
    stringKey("secrets/file", s.secretsFile);
    stringKey("log/format", s.logFormat);
    if (ini.contains(u"server/trusted_proxies"_s))
        s.trustedProxies =
            splitList(ini.value(u"server/trusted_proxies"_s).toStringList().join(u','));
    for (const QString &group : ini.childGroups()) {
        if (!group.startsWith(u"oauth."))
            continue;
        OAuthProviderSettings p;
        p.name = group.mid(6).toLower();
        ini.beginGroup(group);
        p.clientId = ini.value(u"client_id"_s).toString();
        p.issuer = ini.value(u"issuer"_s).toString();
        p.authorizeUrl = ini.value(u"authorize_url"_s).toString();
        p.tokenUrl = ini.value(u"token_url"_s).toString();
        p.userinfoUrl = ini.value(u"userinfo_url"_s).toString();
        ini.endGroup();
        s.oauthProviders.insert(p.name, p);
    }
    if (!problem.isEmpty())
        return Result<Done>::failure(u"%1 (in %2)"_s.arg(problem, path));
    return Done{};
}

void applyEnvironment(Settings &s, const QProcessEnvironment &env)
{
    auto take = [&](const char *name, QString &target) {
        if (env.contains(QLatin1StringView(name)))
            target = env.value(QLatin1StringView(name));
    };
    take("GATEHOUSE_PUBLIC_URL", s.publicUrl);
    take("GATEHOUSE_TLS_CERTIFICATE", s.tlsCertificateFile);
    take("GATEHOUSE_TLS_KEY", s.tlsKeyFile);
    take("GATEHOUSE_SMTP_URL", s.smtpUrl);
    take("GATEHOUSE_MAIL_FROM", s.mailFrom);
    take("GATEHOUSE_SMS_WEBHOOK_URL", s.smsWebhookUrl);
    take("GATEHOUSE_APPLE_CLIENT_ID", s.appleClientId);
    take("GATEHOUSE_APPLE_JWKS_URL", s.appleJwksUrl);
    take("GATEHOUSE_SECRET_STORE", s.secretStore);
    take("GATEHOUSE_SECRETS_FILE", s.secretsFile);
    take("GATEHOUSE_LOG_FORMAT", s.logFormat);
    if (env.contains(u"GATEHOUSE_TRUSTED_PROXIES"_s))
        s.trustedProxies = splitList(env.value(u"GATEHOUSE_TRUSTED_PROXIES"_s));
    if (env.contains(u"GATEHOUSE_OAUTH_REDIRECT_ALLOWLIST"_s))
        s.redirectAllowlist = splitList(env.value(u"GATEHOUSE_OAUTH_REDIRECT_ALLOWLIST"_s));
    if (env.contains(u"GATEHOUSE_CORS_ORIGINS"_s))
        s.corsOrigins = splitList(env.value(u"GATEHOUSE_CORS_ORIGINS"_s));

    // GATEHOUSE_OAUTH_<PROVIDER>_<FIELD>
    static const QString prefix = u"GATEHOUSE_OAUTH_"_s;
    static const QStringList fields = {u"_CLIENT_ID"_s, u"_CLIENT_SECRET"_s,
                                       u"_ISSUER"_s,    u"_AUTHORIZE_URL"_s,
                                       u"_TOKEN_URL"_s, u"_USERINFO_URL"_s};
    for (const QString &key : env.keys()) {
        if (!key.startsWith(prefix) || key == u"GATEHOUSE_OAUTH_REDIRECT_ALLOWLIST")
            continue;
        for (int f = 0; f < fields.size(); ++f) {
            if (!key.endsWith(fields[f]) || key.size() <= prefix.size() + fields[f].size())
                continue;
            const QString name =
                key.mid(prefix.size(), key.size() - prefix.size() - fields[f].size()).toLower();
            OAuthProviderSettings &p = s.oauthProviders[name];
            p.name = name;
            QString *targets[] = {&p.clientId,     &p.clientSecret, &p.issuer,
                                  &p.authorizeUrl, &p.tokenUrl,     &p.userinfoUrl};
            *targets[f] = env.value(key);
            break;
        }
    }
}

} // namespace

QString Settings::listenAddress() const
{
    const bool v6 = listenHost.contains(u':');
    return (v6 ? u'[' + listenHost + u']' : listenHost) + u':' + QString::number(listenPort);
}

QString Settings::listenUrl(quint16 boundPort) const
{
    const QString host = listenHost.contains(u':') ? u'[' + listenHost + u']' : listenHost;
    return (servesTls() ? u"https://"_s : u"http://"_s) + host + u':' + QString::number(boundPort);
}

bool Settings::listensOnLoopbackOnly() const
{
    return listenHost == u"localhost" || QHostAddress(listenHost).isLoopback();
}

QString defaultDataDir()
{
    const QString base = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    return QDir(base.isEmpty() ? QDir::homePath() : base).filePath(u"gatehouse"_s);
}

Result<std::pair<QString, quint16>> parseListenAddress(const QString &text)
{
    using R = Result<std::pair<QString, quint16>>;
    const auto bad = [&] {
        return R::failure(u"bad listen address '%1' (expected HOST:PORT, "
                          u"e.g. 127.0.0.1:3006 or [::1]:3006)"_s.arg(text));
    };
    QString host;
    QString port;
    if (text.startsWith(u'[')) {
        const qsizetype close = text.indexOf(u"]:");
        if (close < 0)
            return bad();
        host = text.mid(1, close - 1);
        port = text.mid(close + 2);
    } else {
        const qsizetype colon = text.lastIndexOf(u':');
        if (colon <= 0 || text.indexOf(u':') != colon)
            return bad();
        host = text.left(colon);
        port = text.mid(colon + 1);
    }
    bool ok = false;
    const uint number = port.toUInt(&ok);
    if (!ok || number > 65535)
        return bad();
    if (host != u"localhost" && QHostAddress(host).isNull())
        return bad();
    return std::pair{host, quint16(number)};
}

Result<Settings> loadSettings(const SettingsOverrides &overrides, const QProcessEnvironment &env)
{
    using R = Result<Settings>;
    Settings s;
    s.dataDir = overrides.dataDir.value_or(env.value(u"GATEHOUSE_DATA_DIR"_s, defaultDataDir()));
    const auto listenText =
        overrides.listen
            ? overrides.listen
            : (env.contains(u"GATEHOUSE_LISTEN"_s) ? std::optional(env.value(u"GATEHOUSE_LISTEN"_s))
                                                   : std::nullopt);
    const auto databaseText = overrides.database
                                  ? overrides.database
                                  : (env.contains(u"GATEHOUSE_DATABASE"_s)
                                         ? std::optional(env.value(u"GATEHOUSE_DATABASE"_s))
                                         : std::nullopt);

    QString config = overrides.configFile.value_or(env.value(u"GATEHOUSE_CONFIG"_s));
    if (!config.isEmpty() && !QFileInfo(config).isReadable())
        return R::failure(u"cannot read config file %1"_s.arg(config));
    if (config.isEmpty() && QFileInfo::exists(QDir(s.dataDir).filePath(u"gatehouse.conf"_s)))
        config = QDir(s.dataDir).filePath(u"gatehouse.conf"_s);
    if (!config.isEmpty()) {
        s.configFile = config;
        if (auto applied = applyFile(s, config, listenText.has_value(), databaseText.has_value());
            !applied)
            return R::failure(applied.error());
    }
    applyEnvironment(s, env);

    if (listenText) {
        auto listen = parseListenAddress(*listenText);
        if (!listen)
            return R::failure(listen.error());
        std::tie(s.listenHost, s.listenPort) = *listen;
    }
    if (databaseText)
        s.database = *databaseText;
    if (s.database.isEmpty())
        s.database = u"sqlite:"_s + QDir(s.dataDir).filePath(u"gatehouse.db"_s);
    if (s.tlsCertificateFile.isEmpty() != s.tlsKeyFile.isEmpty())
        return R::failure(u"HTTPS needs both a certificate file and a key file "
                          u"(tls_certificate and tls_key)"_s);
    for (QString *file : {&s.tlsCertificateFile, &s.tlsKeyFile})
        if (!file->isEmpty())
            *file = QDir(s.dataDir).absoluteFilePath(*file); // relative: to the data folder
    if (s.publicUrl.isEmpty())
        s.publicUrl = (s.servesTls() ? u"https://"_s : u"http://"_s) + s.listenAddress();
    while (s.publicUrl.endsWith(u'/'))
        s.publicUrl.chop(1);
    if (overrides.logFormat)
        s.logFormat = *overrides.logFormat;
    s.logFormat = s.logFormat.trimmed().toLower();
    if (s.logFormat != u"text" && s.logFormat != u"json")
        return R::failure(u"log format must be text or json"_s);
    if (s.secretStore != u"auto" && s.secretStore != u"keychain" && s.secretStore != u"file")
        return R::failure(u"secret store must be auto, keychain or file"_s);
    for (const QString &proxy : std::as_const(s.trustedProxies)) {
        // A single address is a range of one.
        const QString range = proxy.contains(u'/')   ? proxy
                              : proxy.contains(u':') ? proxy + u"/128"_s
                                                     : proxy + u"/32"_s;
        if (QHostAddress::parseSubnet(range).first.isNull())
            return R::failure(u"trusted_proxies: '%1' is not an address or a "
                              u"CIDR range (e.g. 10.0.0.0/8, ::1)"_s.arg(proxy));
    }
    const int cores = qMax(1, QThread::idealThreadCount());
    if (s.listenerThreads == 0)
        s.listenerThreads = cores;
    if (s.workerThreads == 0)
        s.workerThreads = cores;
    return s;
}

Result<Done> saveSettingsFile(const Settings &s, const QString &path)
{
    // The database URL may carry a password: make the file 0600 before anything is
    // written (QSettings' atomic save keeps the permissions of the file it replaces).
    if (QFile file(path); !file.exists())
        (void)file.open(QIODevice::WriteOnly);
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    QSettings ini(path, QSettings::IniFormat);
    ini.setValue(u"server/listen"_s, s.listenAddress());
    ini.setValue(u"server/public_url"_s, s.publicUrl);
    ini.setValue(u"server/threads"_s, s.listenerThreads);
    ini.setValue(u"server/workers"_s, s.workerThreads);
    ini.setValue(u"server/max_body_bytes"_s, s.maxBodyBytes);
    ini.setValue(u"server/max_header_bytes"_s, s.maxHeaderBytes);
    ini.setValue(u"server/max_connections"_s, s.maxConnections);
    ini.setValue(u"server/idle_timeout"_s, s.idleTimeoutSecs);
    ini.setValue(u"server/request_timeout"_s, s.requestTimeoutSecs);
    ini.setValue(u"server/max_connections_per_ip"_s, s.maxConnectionsPerIp);
    ini.setValue(u"server/max_pipelined"_s, s.maxPipelined);
    ini.setValue(u"server/max_output_bytes"_s, s.maxOutputBytes);
    ini.setValue(u"server/max_body_chunks"_s, s.maxBodyChunks);
    ini.setValue(u"server/cors_origins"_s, s.corsOrigins.join(u','));
    ini.setValue(u"server/tls_certificate"_s, s.tlsCertificateFile);
    ini.setValue(u"server/tls_key"_s, s.tlsKeyFile);
    ini.setValue(u"database/url"_s, s.database);
    ini.setValue(u"surfaces/namespace"_s, s.namespaceSurface);
    ini.setValue(u"surfaces/wallet"_s, s.walletSurface);
    ini.setValue(u"surfaces/pin"_s, s.pinSurface);
    ini.setValue(u"surfaces/device"_s, s.deviceSurface);
    ini.setValue(u"surfaces/account"_s, s.accountSurface);
    ini.setValue(u"namespace/auto_create"_s, s.namespaceAutoCreate);
    ini.setValue(u"namespace/token_minutes"_s, s.namespaceTokenMinutes);
    ini.setValue(u"lifetimes/pin_access_seconds"_s, s.pinAccessSecs);
    ini.setValue(u"lifetimes/pin_refresh_days"_s, s.pinRefreshDays);
    ini.setValue(u"lifetimes/device_session_days"_s, s.deviceSessionDays);
    ini.setValue(u"lifetimes/wallet_session_days"_s, s.walletSessionDays);
    ini.setValue(u"lifetimes/account_token_days"_s, s.accountTokenDays);
    ini.setValue(u"lifetimes/api_token_days"_s, s.apiTokenDays);
    ini.setValue(u"limits/pin_free_failures"_s, s.pinFreeFailures);
    ini.setValue(u"limits/pin_lock_seconds"_s, s.pinLockSecs);
    ini.setValue(u"limits/code_attempts"_s, s.codeAttempts);
    ini.setValue(u"limits/code_resend_seconds"_s, s.codeResendSecs);
    ini.setValue(u"limits/anonymous_writes_per_minute"_s, s.anonymousWritesPerMinute);
    ini.setValue(u"limits/messages_per_address_per_hour"_s, s.messagesPerTargetPerHour);
    ini.setValue(u"limits/retention_days"_s, s.retentionDays);
    ini.setValue(u"limits/unverified_account_days"_s, s.unverifiedAccountDays);
    ini.setValue(u"limits/purge_interval_minutes"_s, s.purgeIntervalMinutes);
    ini.setValue(u"mail/smtp_url"_s, s.smtpUrl);
    ini.setValue(u"mail/from"_s, s.mailFrom);
    ini.setValue(u"sms/webhook_url"_s, s.smsWebhookUrl);
    ini.setValue(u"oauth/redirect_allowlist"_s, s.redirectAllowlist.join(u','));
    ini.setValue(u"apple/client_id"_s, s.appleClientId);
    ini.setValue(u"apple/jwks_url"_s, s.appleJwksUrl);
    ini.setValue(u"secrets/store"_s, s.secretStore);
    if (!s.secretsFile.isEmpty())
        ini.setValue(u"secrets/file"_s, s.secretsFile);
    if (!s.trustedProxies.isEmpty())
        ini.setValue(u"server/trusted_proxies"_s, s.trustedProxies.join(u','));
    for (const OAuthProviderSettings &p : s.oauthProviders) {
        ini.beginGroup(u"oauth."_s + p.name);
        ini.setValue(u"client_id"_s, p.clientId);
        ini.setValue(u"issuer"_s, p.issuer);
        ini.setValue(u"authorize_url"_s, p.authorizeUrl);
        ini.setValue(u"token_url"_s, p.tokenUrl);
        ini.setValue(u"userinfo_url"_s, p.userinfoUrl);
        ini.endGroup();
    }
    ini.sync();
    if (ini.status() != QSettings::NoError)
        return Result<Done>::failure(u"cannot write config file %1"_s.arg(path));
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    return Done{};
}
