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

using namespace Qt::StringLiterals;

class SecretStore;

// Names of the secrets Gatehouse keeps in the SecretStore.
namespace SecretName {
inline const QString signingKey = u"signing-key"_s;
inline const QString cliApiToken = u"cli-api-token"_s;
inline const QString telegramBotToken = u"telegram-bot-token"_s;
inline const QString walletSealKey = u"wallet-seal-key"_s;
inline const QString smtpPassword = u"smtp-password"_s;
inline const QString introspectionSecret = u"introspection-secret"_s;
// Bearer token for GET /metrics; unset: /metrics answers nobody (GATEHOUSE_METRICS_TOKEN).
inline const QString metricsToken = u"metrics-token"_s;
inline QString oauthClientSecret(const QString &provider)
{
    return u"oauth-%1-client-secret"_s.arg(provider);
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
