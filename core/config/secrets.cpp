// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/secrets.h"

#include "config/secretstore.h"
#include "config/settingstable.h"
#include "crypto/hmackey.h"
#include "crypto/random.h"

#include <QSet>
#include <memory>

using namespace Qt::StringLiterals;

QByteArray Secrets::value(const QString &name) const
{
    QReadLocker lock(&m_lock);
    return m_values.value(name);
}

void Secrets::set(const QString &name, const QByteArray &value)
{
    {
        QWriteLocker lock(&m_lock);
        m_values.insert(name, value);
    }
    HmacKey::forgetPurposeKeys(); // derived from the old value; a new value derives anew anyway
}

bool Secrets::fromEnvironment(const QString &name) const
{
    QReadLocker lock(&m_lock);
    return m_fromEnvironment.contains(name);
}

void Secrets::markFromEnvironment(const QString &name)
{
    QWriteLocker lock(&m_lock);
    m_fromEnvironment.insert(name);
}

namespace {

struct Generated
{
    QString name;
    std::function<QByteArray()> make;
};

const QList<Generated> &generated()
{
    static const QList<Generated> list = {
        {SecretName::signingKey, [] { return Random::bytes(32); }},
        {SecretName::walletSealKey, [] { return Random::bytes(32); }},
        {SecretName::introspectionSecret, [] { return Random::urlToken(24).toLatin1(); }},
        {SecretName::cliApiToken, [] { return Random::urlToken(24).toLatin1(); }},
    };
    return list;
}

struct Loading
{
    SecretStore *store;
    Secrets *into;
    QStringList pending;
    std::function<void(Result<Done>)> done;
};

void next(std::shared_ptr<Loading> state)
{
    if (state->pending.isEmpty())
        return state->done(Done{});
    const QString name = state->pending.takeFirst();
    state->store->read(name, [state, name](std::optional<QByteArray> value, QString error) {
        if (!error.isEmpty())
            return state->done(Result<Done>::failure(
                Refusal::Kind::Internal, u"cannot read secret %1: %2"_s.arg(name, error)));
        if (value) {
            state->into->set(name, *value);
            return next(state);
        }
        for (const Generated &g : generated()) {
            if (g.name != name)
                continue;
            state->store->create(
                name, g.make(),
                [state, name](std::optional<QByteArray> stored, QString writeError) {
                    if (!writeError.isEmpty() || !stored)
                        return state->done(Result<Done>::failure(
                            Refusal::Kind::Internal,
                            u"cannot store secret %1: %2"_s.arg(name, writeError)));
                    state->into->set(name, *stored);
                    next(state);
                });
            return;
        }
        next(state);
    });
}

} // namespace

QList<std::pair<QString, QString>> secretEnvironmentNames(const QStringList &extraNames)
{
    QList<std::pair<QString, QString>> out;
    for (const SettingSpec *spec : secretSettings())
        out.append({spec->env, spec->key});
    // oauth-NAME-client-secret: GATEHOUSE_OAUTH_<NAME>_CLIENT_SECRET, as in the settings.
    const SettingSpec *perProvider = findSetting(u"oauth-NAME-client-secret");
    const QString prefix = perProvider->key.section(u"NAME"_s, 0, 0);
    const QString suffix = perProvider->key.section(u"NAME"_s, 1);
    for (const QString &name : extraNames) {
        if (!name.startsWith(prefix) || !name.endsWith(suffix))
            continue;
        const QString provider =
            name.mid(prefix.size(), name.size() - prefix.size() - suffix.size());
        out.append({QString(perProvider->env).replace(u"<NAME>"_s, provider.toUpper()), name});
    }
    return out;
}

void loadSecrets(SecretStore &store, const QProcessEnvironment &env, Secrets &into,
                 const QStringList &extraNames, std::function<void(Result<Done>)> done)
{
    QStringList names;
    for (const SettingSpec *spec : secretSettings())
        names << spec->key;
    names += extraNames;
    for (const auto &[variable, name] : secretEnvironmentNames(extraNames)) {
        if (!env.value(variable).isEmpty()) {
            into.set(name, env.value(variable).toUtf8());
            into.markFromEnvironment(name);
            names.removeAll(name);
        }
    }
    auto state = std::make_shared<Loading>(Loading{&store, &into, names, std::move(done)});
    next(state);
}
