// SPDX-License-Identifier: GPL-3.0-or-later
#include "serve.h"

#include "config/secretstore.h"
#include "httpserver.h"
#include "mallocarenas.h"
#include "runtime.h"
#include "services.h"
#include "shutdown.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace {

// Rotating these live is safe. The signing, sealing and introspection keys are not: a new
// sealing key strands every sealed wallet key, and instances on one database must agree on
// all three, so a change to them is only named. Secrets given in the environment stay:
// a running process's environment does not change.
void rereadSecrets(SecretStore &store, Secrets &secrets, const Settings &settings)
{
    QStringList live = {SecretName::cliApiToken, SecretName::telegramBotToken,
                        SecretName::smtpPassword, SecretName::metricsToken};
    for (const OAuthProviderSettings &provider : settings.oauthProviders)
        live << SecretName::oauthClientSecret(provider.name);
    const QStringList fixed = {SecretName::signingKey, SecretName::walletSealKey,
                               SecretName::introspectionSecret};
    for (const QString &name : live + fixed) {
        if (secrets.fromEnvironment(name))
            continue;
        store.read(name, [&secrets, name, apply = live.contains(name)](
                             std::optional<QByteArray> value, const QString &error) {
            if (!error.isEmpty() || !value || value->isEmpty() || *value == secrets.value(name))
                return;
            if (!apply) {
                qWarning("reload: secret %s changed, but only a restart applies it",
                         qUtf8Printable(name));
                return;
            }
            secrets.set(name, *value);
            qInfo("reload: secret %s replaced", qUtf8Printable(name));
        });
    }
}

} // namespace

void startHeadless(Services &services, std::function<Result<Settings>()> reread, SecretStore &store)
{
    auto *server = new HttpServer(services, qApp);
    const auto started = server->start();
    if (!started) {
        printError(started.error());
        QCoreApplication::exit(1);
        return;
    }
    // The main thread's connection did the migrations; requests run on the listeners.
    trimMallocSoon([db = services.db.get()] { db->releaseConnection(); });
    const Settings &s = services.settings;
    printLine(u"Gatehouse %1 listening on %2"_s.arg(QString::fromUtf8(GATEHOUSE_VERSION),
                                                    s.listenUrl(*started)));
    printLine(u"data folder %1, database %2"_s.arg(s.dataDir, services.db->url().redacted()));
    // Warned once listening, so a failed start stays a single line on stderr.
    if (services.accounts.defaultAdminPasswordUnchanged())
        qWarning("the admin account still has the default password 'admin': change it with "
                 "`gatehouse user set-password admin` (until then Gatehouse listens on "
                 "loopback only)");
    onReloadRequest(qApp, [server, reread, &store, &services] {
        qInfo("SIGHUP: reloading the configuration");
        const auto fresh = reread();
        if (!fresh) { // a bad file changes nothing
            qWarning("reload refused, nothing changed: %s", qUtf8Printable(fresh.error()));
            return;
        }
        server->reload(*fresh);
        rereadSecrets(store, services.secrets, *fresh);
    });
    onShutdownRequest(qApp, [server] {
        server->stop();
        QCoreApplication::exit(0);
    });
}
