// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/settings.h"

#include "config/settingstable.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QSettings>
#include <QStandardPaths>
#include <QThread>

using namespace Qt::StringLiterals;

namespace {

// Only --listen, --database and --log-format are settings the command line overrides here:
// --data-dir and --config say where the file is (read first), --secrets-file is the app's.
std::optional<QString> commandLineValue(const SettingsOverrides &o, const QString &option)
{
    if (option == u"--listen")
        return o.listen;
    if (option == u"--database")
        return o.database;
    if (option == u"--log-format")
        return o.logFormat;
    return std::nullopt;
}

QString fileText(const QSettings &ini, const SettingSpec &spec)
{
    const QVariant value = ini.value(spec.key);
    // QSettings reads "a, b" as a list.
    return spec.type == SettingType::List ? value.toStringList().join(u',') : value.toString();
}

// One row from the source that wins (command line > environment > file); only that one
// is parsed, so a bad value that is overridden does not stop the start.
Result<Done> applyRow(Settings &s, const SettingSpec &spec, const QSettings *ini,
                      const QProcessEnvironment &env, const SettingsOverrides &overrides)
{
    QString text;
    QString source;
    if (const auto given = commandLineValue(overrides, spec.option)) {
        text = *given;
        source = spec.option;
    } else if (!spec.env.isEmpty() && env.contains(spec.env)) {
        text = env.value(spec.env);
        source = spec.env;
    } else if (ini && spec.inFile && ini->contains(spec.key)) {
        text = fileText(*ini, spec);
        source = u"setting "_s + spec.key;
    } else {
        return Done{};
    }
    const SettingValue parsed = parseSettingText(spec, text, source);
    if (!parsed.error.isEmpty())
        return Result<Done>::failure(Refusal::Kind::InvalidInput,
                                     ini && source.startsWith(u"setting ")
                                         ? u"%1 (in %2)"_s.arg(parsed.error, ini->fileName())
                                         : parsed.error);
    setSettingValue(s, spec, parsed.value);
    return Done{};
}

QList<const SettingSpec *> providerRows()
{
    QList<const SettingSpec *> out;
    for (const SettingSpec &spec : settingsTable())
        if (spec.perProvider())
            out << &spec;
    return out;
}

// [oauth.NAME] sections, then GATEHOUSE_OAUTH_<NAME>_<FIELD> variables over them.
void applyProviders(Settings &s, QSettings *ini, const QProcessEnvironment &env)
{
    const QList<const SettingSpec *> rows = providerRows();
    const QStringList groups = ini ? ini->childGroups() : QStringList();
    for (const QString &group : groups) {
        if (!group.startsWith(u"oauth."))
            continue;
        OAuthProviderSettings p;
        p.name = group.mid(6).toLower();
        for (const SettingSpec *spec : rows)
            if (spec->inFile)
                setProviderValue(p, *spec, ini->value(group + spec->key.mid(10)).toString());
        s.oauthProviders.insert(p.name, p);
    }
    static const QString prefix = u"GATEHOUSE_OAUTH_"_s;
    for (const QString &key : env.keys()) {
        if (!key.startsWith(prefix))
            continue;
        for (const SettingSpec *spec : rows) {
            const QString suffix = spec->env.mid(spec->env.indexOf(u'>') + 1); // _CLIENT_ID
            if (!key.endsWith(suffix) || key.size() <= prefix.size() + suffix.size())
                continue;
            const QString name =
                key.mid(prefix.size(), key.size() - prefix.size() - suffix.size()).toLower();
            OAuthProviderSettings &p = s.oauthProviders[name];
            p.name = name;
            setProviderValue(p, *spec, env.value(key));
            break;
        }
    }
}

Result<Done> applySources(Settings &s, const QString &config, const QProcessEnvironment &env,
                          const SettingsOverrides &overrides)
{
    std::optional<QSettings> ini;
    if (!config.isEmpty()) {
        ini.emplace(config, QSettings::IniFormat);
        if (ini->status() != QSettings::NoError)
            return Result<Done>::failure(Refusal::Kind::InvalidInput,
                                         u"cannot read config file %1"_s.arg(config));
    }
    QSettings *file = ini ? &*ini : nullptr;
    for (const SettingSpec &spec : settingsTable()) {
        if (spec.secret || spec.perProvider() || !spec.inFile)
            continue; // secrets: loadSecrets(); data_dir and config: already read
        if (auto applied = applyRow(s, spec, file, env, overrides); !applied)
            return applied;
    }
    applyProviders(s, file, env);
    return Done{};
}

} // namespace

Settings::Settings()
{
    applySettingDefaults(*this);
}

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
        return R::failure(Refusal::Kind::InvalidInput,
                          u"bad listen address '%1' (expected HOST:PORT, "
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

namespace {

// What follows from the values read: derived defaults and checks across settings.
Result<Settings> finish(Settings s)
{
    using R = Result<Settings>;
    if (s.database.isEmpty())
        s.database = u"sqlite:"_s + QDir(s.dataDir).filePath(u"gatehouse.db"_s);
    if (s.tlsCertificateFile.isEmpty() != s.tlsKeyFile.isEmpty())
        return R::failure(Refusal::Kind::InvalidInput,
                          u"HTTPS needs both a certificate file and a key file "
                          u"(tls_certificate and tls_key)"_s);
    for (QString *file : {&s.tlsCertificateFile, &s.tlsKeyFile})
        if (!file->isEmpty())
            *file = QDir(s.dataDir).absoluteFilePath(*file); // relative: to the data folder
    if (s.publicUrl.isEmpty())
        s.publicUrl = (s.servesTls() ? u"https://"_s : u"http://"_s) + s.listenAddress();
    while (s.publicUrl.endsWith(u'/'))
        s.publicUrl.chop(1);
    for (const QString &proxy : std::as_const(s.trustedProxies)) {
        // A single address is a range of one.
        const QString range = proxy.contains(u'/')   ? proxy
                              : proxy.contains(u':') ? proxy + u"/128"_s
                                                     : proxy + u"/32"_s;
        if (QHostAddress::parseSubnet(range).first.isNull())
            return R::failure(Refusal::Kind::InvalidInput,
                              u"trusted_proxies: '%1' is not an address or a "
                              u"CIDR range (e.g. 10.0.0.0/8, ::1)"_s.arg(proxy));
    }
    const int cores = qMax(1, QThread::idealThreadCount());
    if (s.listenerThreads == 0)
        s.listenerThreads = cores;
    if (s.workerThreads == 0)
        s.workerThreads = cores;
    return s;
}

} // namespace

Result<Settings> loadSettings(const SettingsOverrides &overrides, const QProcessEnvironment &env)
{
    using R = Result<Settings>;
    Settings s;
    s.dataDir = overrides.dataDir.value_or(env.value(u"GATEHOUSE_DATA_DIR"_s, defaultDataDir()));
    QString config = overrides.configFile.value_or(env.value(u"GATEHOUSE_CONFIG"_s));
    if (!config.isEmpty() && !QFileInfo(config).isReadable())
        return R::failure(Refusal::Kind::InvalidInput, u"cannot read config file %1"_s.arg(config));
    if (config.isEmpty() && QFileInfo::exists(QDir(s.dataDir).filePath(u"gatehouse.conf"_s)))
        config = QDir(s.dataDir).filePath(u"gatehouse.conf"_s);
    s.configFile = config;
    if (auto applied = applySources(s, config, env, overrides); !applied)
        return R::failure(Refusal::Kind::InvalidInput, applied.error());
    return finish(std::move(s));
}

Result<Done> saveSettingsFile(const Settings &s, const QString &path)
{
    // The database URL may carry a password: make the file 0600 before anything is
    // written (QSettings' atomic save keeps the permissions of the file it replaces).
    if (QFile file(path); !file.exists())
        (void)file.open(QIODevice::WriteOnly);
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    QSettings ini(path, QSettings::IniFormat);
    for (const SettingSpec &spec : settingsTable()) {
        if (!spec.inFile || spec.secret || spec.perProvider())
            continue;
        const QVariant value = settingValue(s, spec);
        ini.setValue(spec.key,
                     spec.type == SettingType::List ? value.toStringList().join(u',') : value);
    }
    const QList<const SettingSpec *> rows = providerRows();
    for (const OAuthProviderSettings &p : s.oauthProviders) {
        ini.beginGroup(u"oauth."_s + p.name);
        for (const SettingSpec *spec : rows)
            if (spec->inFile)
                ini.setValue(spec->key.mid(11), providerValue(p, *spec)); // after "oauth.NAME/"
        ini.endGroup();
    }
    ini.sync();
    if (ini.status() != QSettings::NoError)
        return Result<Done>::failure(Refusal::Kind::InvalidInput,
                                     u"cannot write config file %1"_s.arg(path));
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    return Done{};
}
