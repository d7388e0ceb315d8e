// SPDX-License-Identifier: GPL-3.0-or-later
// The settings table (core/config/settingstable.cpp) against the loader, the saver and
// docs/configuration.md: every row loads, saves and is documented, and nothing else is.
#include "config/keycheck.h"
#include "config/secrets.h"
#include "config/settings.h"
#include "config/settingstable.h"

#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const char *const kBegin = "<!-- settings table: generated, see tst_settingstable -->";
const char *const kEnd = "<!-- end of settings table -->";

QString code(const QString &text)
{
    return text.isEmpty() ? QString() : u'`' + text + u'`';
}

QString row(const QStringList &cells)
{
    return u"| "_s + QStringList(cells).replaceInStrings(u"|"_s, u"\\|"_s).join(u" | "_s) +
           u" |\n"_s;
}

QString allowed(const SettingSpec &spec)
{
    if (spec.type == SettingType::List)
        return u"comma-separated"_s;
    return spec.allowedText();
}

QString applies(const SettingSpec &spec)
{
    switch (spec.applies) {
    case Applies::AtOnce:
        return u"at once"_s;
    case Applies::AtReload:
        return u"at reload"_s;
    case Applies::AtRestart:
        break;
    }
    return u"at restart"_s;
}

// The reference tables docs/configuration.md holds between kBegin and kEnd.
QString docsTables()
{
    QString settings = row({u"config file"_s, u"environment"_s, u"command line"_s, u"default"_s,
                            u"allowed"_s, u"applies"_s, u"meaning"_s}) +
                       u"|---|---|---|---|---|---|---|\n"_s;
    QString secrets = row({u"secret"_s, u"environment"_s, u"applies"_s, u"same on every instance"_s,
                           u"meaning"_s}) +
                      u"|---|---|---|---|---|\n"_s;
    for (const SettingSpec &spec : settingsTable()) {
        if (spec.secret)
            secrets +=
                row({code(spec.key), code(spec.env), applies(spec),
                     spec.shared ? u"yes (checked at start)"_s : QString(), spec.description});
        else
            settings +=
                row({code(spec.inFile ? spec.key : QString()), code(spec.env), code(spec.option),
                     code(spec.defaultText), allowed(spec), applies(spec), spec.description});
    }
    return settings +
           u"\nSecrets live in the secret store (or its environment variable), never "
           u"in the file:\n\n"_s +
           secrets;
}

QString docsPath()
{
    return QFINDTESTDATA("../../docs/configuration.md");
}

QString readDocs()
{
    QFile file(docsPath());
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

// A value of each type other than the default, that the loader accepts.
QString sample(const SettingSpec &spec)
{
    switch (spec.type) {
    case SettingType::Integer:
        return QString::number(spec.defaultText == QString::number(spec.max) ? spec.min : spec.max);
    case SettingType::Boolean: // the other value (most switches are on by default)
        return spec.defaultText == u"false" ? u"true"_s : u"false"_s;
    case SettingType::Choice:
        return spec.choices.last();
    case SettingType::Address:
        return u"[::1]:4321"_s;
    case SettingType::List:
        return u"10.0.0.1, 10.0.0.2"_s; // addresses: trusted_proxies checks them
    case SettingType::Text:
        return u"/sample/"_s + QString(spec.key).replace(u'/', u'_');
    }
    return {};
}

QList<const SettingSpec *> fileRows()
{
    QList<const SettingSpec *> out;
    for (const SettingSpec &spec : settingsTable())
        if (spec.inFile && !spec.secret && !spec.perProvider())
            out << &spec;
    return out;
}

} // namespace

class TstSettingsTable : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rowsAreWellFormed();
    void docsTableMatches();
    void docsNameNothingUnknown();
    void defaultsComeFromTheTable();
    void badFileValueNamesTheKey_data();
    void badFileValueNamesTheKey();
    void everyFileSettingRoundTrips();
    void environmentOverridesFile_data();
    void environmentOverridesFile();
    void secretsComeFromTheTable();
};

void TstSettingsTable::rowsAreWellFormed()
{
    QSet<QString> keys;
    QSet<QString> variables;
    for (const SettingSpec &spec : settingsTable()) {
        QVERIFY2(!keys.contains(spec.key), qPrintable(spec.key));
        keys << spec.key;
        if (!spec.env.isEmpty()) {
            QVERIFY2(!variables.contains(spec.env), qPrintable(spec.env));
            variables << spec.env;
        }
        QVERIFY2(!spec.description.isEmpty(), qPrintable(spec.key));
        QVERIFY2(!spec.secret || !spec.inFile, qPrintable(spec.key)); // never in the file
        QVERIFY2(spec.secret || spec.group, qPrintable(spec.key));    // the restart notice
        const bool stored = !std::holds_alternative<std::monostate>(spec.field);
        QVERIFY2(stored || spec.secret || spec.type == SettingType::Address, qPrintable(spec.key));
        // The default is a value the loader itself accepts.
        const SettingValue parsed = parseSettingText(spec, spec.defaultText, spec.key);
        QVERIFY2(parsed.error.isEmpty(), qPrintable(parsed.error));
    }
    QVERIFY(findSetting(u"server/threads"));
    QVERIFY(!findSetting(u"server/thread"));
}

void TstSettingsTable::docsTableMatches()
{
    const QString docs = readDocs();
    QVERIFY2(!docs.isEmpty(), qPrintable(docsPath()));
    const qsizetype begin = docs.indexOf(QLatin1StringView(kBegin));
    const qsizetype end = docs.indexOf(QLatin1StringView(kEnd));
    QVERIFY2(begin >= 0 && end > begin, "docs/configuration.md lost the table's markers");
    const qsizetype from = begin + qsizetype(qstrlen(kBegin)) + 1;
    const QString current = docs.mid(from, end - from);
    const QString expected = docsTables();
    if (current != expected && qEnvironmentVariableIsSet("UPDATE_SETTINGS_DOCS")) {
        QFile file(docsPath());
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write((docs.left(from) + expected + docs.mid(end)).toUtf8());
        QSKIP("docs/configuration.md rewritten from the settings table");
    }
    const QStringList have = current.split(u'\n');
    const QStringList want = expected.split(u'\n');
    for (qsizetype i = 0; i < qMax(have.size(), want.size()); ++i)
        QVERIFY2(have.value(i) == want.value(i),
                 qPrintable(u"docs/configuration.md differs from the settings table at line %1 "
                            u"of the table:\n  docs:  %2\n  table: %3\n(run this test with "
                            u"UPDATE_SETTINGS_DOCS=1 to rewrite it)"_s.arg(i + 1)
                                .arg(have.value(i), want.value(i))));
}

void TstSettingsTable::docsNameNothingUnknown()
{
    const QString docs = readDocs();
    QVERIFY(!docs.isEmpty());
    QSet<QString> variables;
    for (const SettingSpec &spec : settingsTable())
        variables << spec.env;
    // Every GATEHOUSE_* variable the page mentions is one the table reads.
    static const QRegularExpression variable(u"GATEHOUSE_[A-Z0-9_<>]+[A-Z0-9>]"_s);
    for (auto it = variable.globalMatch(docs); it.hasNext();) {
        const QString name = it.next().captured();
        QVERIFY2(variables.contains(name), qPrintable(u"docs name unknown "_s + name));
    }
    // Every key of the example config file is a row of the table.
    const qsizetype ini = docs.indexOf(u"```ini\n"_s);
    QVERIFY(ini >= 0);
    const QString example = docs.mid(ini + 7, docs.indexOf(u"```"_s, ini + 7) - ini - 7);
    QString section;
    int keys = 0;
    for (QString line : example.split(u'\n')) {
        line = line.section(u';', 0, 0).trimmed();
        if (line.startsWith(u'[')) {
            section = line.mid(1, line.indexOf(u']') - 1);
            if (section.startsWith(u"oauth."))
                section = u"oauth.NAME"_s;
        } else if (line.contains(u'=')) {
            const QString key = section + u'/' + line.section(u'=', 0, 0).trimmed();
            QVERIFY2(findSetting(key), qPrintable(u"docs' example has unknown key "_s + key));
            ++keys;
        }
    }
    QVERIFY(keys > 40); // the example shows (nearly) every key
}

void TstSettingsTable::defaultsComeFromTheTable()
{
    const Settings defaults;
    for (const SettingSpec *spec : fileRows()) {
        const SettingValue parsed = parseSettingText(*spec, spec->defaultText, spec->key);
        Settings expected;
        setSettingValue(expected, *spec, parsed.value);
        QCOMPARE(settingValue(defaults, *spec), settingValue(expected, *spec));
    }
    // The documented API values (docs/api/*.md) among them.
    QCOMPARE(defaults.listenAddress(), u"127.0.0.1:3006"_s);
    QCOMPARE(defaults.pinAccessSecs, 60);
    QCOMPARE(defaults.pinRefreshDays, 30);
    QCOMPARE(defaults.deviceSessionDays, 365);
    QCOMPARE(defaults.walletSessionDays, 7);
    QCOMPARE(defaults.apiTokenDays, 15);
    QCOMPARE(defaults.maxBodyBytes, qint64(1 << 20));
    QCOMPARE(defaults.appleJwksUrl, u"https://appleid.apple.com/auth/keys"_s);
    QCOMPARE(defaults.secretStore, u"auto"_s);
    QVERIFY(defaults.walletSurface && defaults.namespaceAutoCreate);
}

void TstSettingsTable::badFileValueNamesTheKey_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    for (const SettingSpec *spec : fileRows()) {
        const QByteArray name = spec->key.toUtf8();
        if (spec->type == SettingType::Integer) {
            QTest::newRow((name + " below").constData())
                << spec->key << QString::number(spec->min - 1);
            QTest::newRow((name + " above").constData())
                << spec->key << QString::number(spec->max + 1);
            QTest::newRow((name + " words").constData()) << spec->key << u"many"_s;
        } else if (spec->type == SettingType::Boolean) {
            QTest::newRow((name + " maybe").constData()) << spec->key << u"maybe"_s;
        } else if (spec->type == SettingType::Choice) {
            QTest::newRow((name + " other").constData()) << spec->key << u"vault"_s;
        }
    }
}

void TstSettingsTable::badFileValueNamesTheKey()
{
    QFETCH(QString, key);
    QFETCH(QString, value);
    QTemporaryDir dir;
    const QString path = dir.filePath(u"bad.conf"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(
        u"[%1]\n%2=%3\n"_s.arg(key.section(u'/', 0, 0), key.section(u'/', 1), value).toUtf8());
    file.close();
    SettingsOverrides o;
    o.dataDir = dir.path();
    o.configFile = path;
    const auto s = loadSettings(o, QProcessEnvironment());
    QVERIFY(!s);
    QVERIFY2(s.error().contains(u"setting "_s + key + u" ("_s), qPrintable(s.error()));
    QVERIFY2(s.error().contains(findSetting(key)->allowedText()), qPrintable(s.error()));
    QVERIFY2(s.error().contains(path), qPrintable(s.error()));
}

void TstSettingsTable::everyFileSettingRoundTrips()
{
    QTemporaryDir dir;
    Settings changed;
    for (const SettingSpec *spec : fileRows()) {
        const SettingValue value = parseSettingText(*spec, sample(*spec), spec->key);
        QVERIFY2(value.error.isEmpty(), qPrintable(value.error));
        setSettingValue(changed, *spec, value.value);
        QVERIFY2(settingValue(changed, *spec) != settingValue(Settings(), *spec),
                 qPrintable(spec->key)); // the sample is not the default
    }
    const QString path = dir.filePath(u"all.conf"_s);
    QVERIFY(saveSettingsFile(changed, path));
    SettingsOverrides o;
    o.dataDir = dir.path();
    o.configFile = path;
    const auto back = loadSettings(o, QProcessEnvironment());
    QVERIFY2(back, qPrintable(back.error()));
    for (const SettingSpec *spec : fileRows())
        QVERIFY2(settingValue(*back, *spec) == settingValue(changed, *spec),
                 qPrintable(spec->key + u": "_s + settingValue(*back, *spec).toString()));
}

void TstSettingsTable::environmentOverridesFile_data()
{
    QTest::addColumn<QString>("key");
    for (const SettingSpec *spec : fileRows())
        if (!spec->env.isEmpty())
            QTest::newRow(spec->env.toUtf8().constData()) << spec->key;
}

void TstSettingsTable::environmentOverridesFile()
{
    QFETCH(QString, key);
    const SettingSpec &spec = *findSetting(key);
    QTemporaryDir dir;
    const QString path = dir.filePath(u"g.conf"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    const QString inFile =
        spec.type == SettingType::Address ? u"127.0.0.1:4000"_s : spec.defaultText;
    file.write(
        u"[%1]\n%2=%3\n"_s.arg(key.section(u'/', 0, 0), key.section(u'/', 1), inFile).toUtf8());
    file.close();
    SettingsOverrides o;
    o.dataDir = dir.path();
    o.configFile = path;
    QProcessEnvironment env;
    env.insert(spec.env, sample(spec));
    if (key.startsWith(u"server/tls_")) // HTTPS needs both files
        for (const char *pair : {"server/tls_certificate", "server/tls_key"})
            env.insert(findSetting(QString::fromLatin1(pair))->env, sample(spec));
    const auto s = loadSettings(o, env);
    QVERIFY2(s, qPrintable(s.error()));
    Settings expected;
    setSettingValue(expected, spec, parseSettingText(spec, sample(spec), key).value);
    QCOMPARE(settingValue(*s, spec), settingValue(expected, spec));
}

void TstSettingsTable::secretsComeFromTheTable()
{
    QStringList names;
    for (const SettingSpec *spec : secretSettings())
        names << spec->key;
    for (const QString &name :
         {SecretName::signingKey, SecretName::cliApiToken, SecretName::telegramBotToken,
          SecretName::walletSealKey, SecretName::smtpPassword, SecretName::introspectionSecret,
          SecretName::metricsToken})
        QVERIFY2(names.contains(name), qPrintable(name));
    const auto variables = secretEnvironmentNames({SecretName::oauthClientSecret(u"gitlab"_s)});
    QCOMPARE(variables.size(), names.size() + 1);
    QCOMPARE(variables.last(), std::pair(u"GATEHOUSE_OAUTH_GITLAB_CLIENT_SECRET"_s,
                                         SecretName::oauthClientSecret(u"gitlab"_s)));
    for (const SettingSpec *spec : secretSettings())
        QVERIFY(variables.contains(std::pair(spec->env, spec->key)));
    // The start-up check's message names them in this order (scaleout_e2e.sh expects it).
    QCOMPARE(sharedSecretNames(),
             QStringList({SecretName::signingKey, SecretName::walletSealKey,
                          SecretName::cliApiToken, SecretName::introspectionSecret}));
}

QTEST_GUILESS_MAIN(TstSettingsTable)
#include "tst_settingstable.moc"
