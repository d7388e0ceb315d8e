// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/settingschanges.h"

#include <QObject>

QStringList settingsNeedingRestart(const Settings &a, const Settings &b)
{
    QStringList out;
    auto check = [&out](bool differs, const QString &what) {
        if (differs)
            out << what;
    };
    check(a.listenHost != b.listenHost || a.listenPort != b.listenPort,
          QObject::tr("listen address"));
    check(a.publicUrl != b.publicUrl, QObject::tr("public URL"));
    check(a.listenerThreads != b.listenerThreads || a.workerThreads != b.workerThreads,
          QObject::tr("threads"));
    check(a.maxConnections != b.maxConnections || a.maxBodyBytes != b.maxBodyBytes ||
              a.idleTimeoutSecs != b.idleTimeoutSecs ||
              a.requestTimeoutSecs != b.requestTimeoutSecs,
          QObject::tr("limits and timeouts"));
    check(a.corsOrigins != b.corsOrigins, QObject::tr("CORS origins"));
    check(a.tlsCertificateFile != b.tlsCertificateFile || a.tlsKeyFile != b.tlsKeyFile,
          QObject::tr("HTTPS certificate"));
    check(a.pinAccessSecs != b.pinAccessSecs || a.pinRefreshDays != b.pinRefreshDays ||
              a.deviceSessionDays != b.deviceSessionDays ||
              a.walletSessionDays != b.walletSessionDays ||
              a.accountTokenDays != b.accountTokenDays || a.apiTokenDays != b.apiTokenDays,
          QObject::tr("token lifetimes"));
    check(a.pinFreeFailures != b.pinFreeFailures || a.pinLockSecs != b.pinLockSecs ||
              a.codeAttempts != b.codeAttempts || a.codeResendSecs != b.codeResendSecs,
          QObject::tr("rate limits"));
    check(a.namespaceSurface != b.namespaceSurface || a.walletSurface != b.walletSurface ||
              a.pinSurface != b.pinSurface || a.deviceSurface != b.deviceSurface ||
              a.accountSurface != b.accountSurface,
          QObject::tr("surfaces"));
    check(a.namespaceAutoCreate != b.namespaceAutoCreate ||
              a.namespaceTokenMinutes != b.namespaceTokenMinutes,
          QObject::tr("namespace options"));
    check(a.smtpUrl != b.smtpUrl || a.mailFrom != b.mailFrom || a.smsWebhookUrl != b.smsWebhookUrl,
          QObject::tr("email and SMS delivery"));
    bool providersDiffer = a.oauthProviders.keys() != b.oauthProviders.keys();
    for (const OAuthProviderSettings &p : b.oauthProviders) {
        const OAuthProviderSettings q = a.oauthProviders.value(p.name);
        providersDiffer |= p.clientId != q.clientId || p.issuer != q.issuer ||
                           p.authorizeUrl != q.authorizeUrl || p.tokenUrl != q.tokenUrl ||
                           p.userinfoUrl != q.userinfoUrl;
    }
    check(providersDiffer || a.redirectAllowlist != b.redirectAllowlist ||
              a.appleClientId != b.appleClientId || a.appleJwksUrl != b.appleJwksUrl,
          QObject::tr("sign-in providers"));
    check(a.database != b.database, QObject::tr("database"));
    check(a.secretStore != b.secretStore, QObject::tr("secret store"));
    return out;
}
