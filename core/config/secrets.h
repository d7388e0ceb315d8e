// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"

#include <QByteArray>
#include <QHash>
#include <QProcessEnvironment>
#include <QReadWriteLock>
#include <QSet>
#include <QString>
#include <functional>

class SecretStore;

// Names of the secrets Gatehouse keeps in the SecretStore.
namespace SecretName {
inline const QString signingKey = QStringLiteral("signing-key");
inline const QString cliApiToken = QStringLiteral("cli-api-token");
inline const QString telegramBotToken = QStringLiteral("telegram-bot-token");
inline const QString walletSealKey = QStringLiteral("wallet-seal-key");
inline const QString smtpPassword = QStringLiteral("smtp-password");
inline const QString introspectionSecret = QStringLiteral("introspection-secret");
// Bearer token for GET /metrics; unset: /metrics answers nobody (GATEHOUSE_METRICS_TOKEN).
inline const QString metricsToken = QStringLiteral("metrics-token");
inline QString oauthClientSecret(const QString &provider)
{
    return QStringLiteral("oauth-%1-client-secret").arg(provider);
}
} // namespace SecretName

// The secrets in force, readable from any thread. The console may replace a value
// at run time (after writing it to the SecretStore).
class Secrets
{
public:
    QByteArray value(const QString &name) const;
    void set(const QString &name, const QByteArray &value);
    bool fromEnvironment(const QString &name) const;
    void markFromEnvironment(const QString &name);

    QByteArray signingKey() const { return value(SecretName::signingKey); }
    QByteArray cliApiToken() const { return value(SecretName::cliApiToken); }
    QByteArray telegramBotToken() const { return value(SecretName::telegramBotToken); }

private:
    mutable QReadWriteLock m_lock;
    QHash<QString, QByteArray> m_values;
    QSet<QString> m_fromEnvironment;
};

// Every secret's environment variable, so that instances sharing a database can be
// given the same keys without a shared file: (variable, secret name).
QList<std::pair<QString, QString>> secretEnvironmentNames(const QStringList &extraNames = {});

// Reads every secret, generating the signing key, the wallet sealing key, the
// introspection secret and the CLI API token on first run. The environment (see
// secretEnvironmentNames) overrides the store. Calls `done` on the store's thread.
void loadSecrets(SecretStore &store, const QProcessEnvironment &env, Secrets &into,
                 const QStringList &extraNames, std::function<void(Result<Done>)> done);
