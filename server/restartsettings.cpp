// SPDX-License-Identifier: GPL-3.0-or-later
#include "restartsettings.h"

namespace {

bool sameProviders(const Settings &a, const Settings &b)
{
    if (a.oauthProviders.keys() != b.oauthProviders.keys())
        return false;
    for (auto it = a.oauthProviders.cbegin(); it != a.oauthProviders.cend(); ++it) {
        const OAuthProviderSettings &x = *it;
        const OAuthProviderSettings &y = b.oauthProviders.value(it.key());
        if (x.clientId != y.clientId || x.issuer != y.issuer || x.authorizeUrl != y.authorizeUrl ||
            x.tokenUrl != y.tokenUrl || x.userinfoUrl != y.userinfoUrl)
            return false;
    }
    return true;
}

} // namespace

QStringList settingsNeedingRestart(const Settings &a, const Settings &b)
{
    QStringList changed;
    const auto check = [&](bool same, const char *key) {
        if (!same)
            changed << QString::fromLatin1(key);
    };
    check(a.dataDir == b.dataDir, "data_dir");
    check(a.listenHost == b.listenHost && a.listenPort == b.listenPort, "server/listen");
    check(a.database == b.database, "database/url");
    check(a.publicUrl == b.publicUrl, "server/public_url");
    check(a.listenerThreads == b.listenerThreads, "server/threads");
    check(a.workerThreads == b.workerThreads, "server/workers");
    check(a.maxConnectionsPerIp == b.maxConnectionsPerIp, "server/max_connections_per_ip");
    check(a.servesTls() == b.servesTls(), "server/tls_certificate (HTTPS on or off)");
    check(a.namespaceSurface == b.namespaceSurface && a.walletSurface == b.walletSurface &&
              a.pinSurface == b.pinSurface && a.deviceSurface == b.deviceSurface &&
              a.accountSurface == b.accountSurface,
          "surfaces/*");
    check(a.namespaceAutoCreate == b.namespaceAutoCreate &&
              a.namespaceTokenMinutes == b.namespaceTokenMinutes,
          "namespace/*");
    check(a.pinAccessSecs == b.pinAccessSecs && a.pinRefreshDays == b.pinRefreshDays &&
              a.deviceSessionDays == b.deviceSessionDays &&
              a.walletSessionDays == b.walletSessionDays &&
              a.accountTokenDays == b.accountTokenDays && a.apiTokenDays == b.apiTokenDays,
          "lifetimes/*");
    check(a.pinFreeFailures == b.pinFreeFailures && a.pinLockSecs == b.pinLockSecs &&
              a.codeAttempts == b.codeAttempts && a.codeResendSecs == b.codeResendSecs,
          "limits/pin_* and limits/code_*");
    check(a.retentionDays == b.retentionDays &&
              a.unverifiedAccountDays == b.unverifiedAccountDays &&
              a.purgeIntervalMinutes == b.purgeIntervalMinutes,
          "limits/retention_*, unverified_account_days, purge_interval_minutes");
    check(a.smtpUrl == b.smtpUrl && a.mailFrom == b.mailFrom, "mail/*");
    check(a.smsWebhookUrl == b.smsWebhookUrl, "sms/webhook_url");
    check(sameProviders(a, b) && a.redirectAllowlist == b.redirectAllowlist, "oauth*");
    check(a.appleClientId == b.appleClientId && a.appleJwksUrl == b.appleJwksUrl, "apple/*");
    check(a.secretStore == b.secretStore && a.secretsFile == b.secretsFile, "secrets/*");
    check(a.logFormat == b.logFormat, "log/format");
    return changed;
}
