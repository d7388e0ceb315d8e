// SPDX-License-Identifier: GPL-3.0-or-later
// Settings: precedence (command line > environment > config file > defaults), the
// listen-address parser, INI validation, OAuth variables, saving; DatabaseUrl parsing.
#include "config/settings.h"
#include "storage/databaseurl.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <sys/stat.h>

using namespace Qt::StringLiterals;

namespace {

void writeFile(const QString &path, const QByteArray &text)
{
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
    file.write(text);
}

int modeOf(const QString &path)
{
    struct stat st = {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return -1;
    return int(st.st_mode & 07777);
}

} // namespace

class TestSettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void defaults();
    void listenPrecedence_data();
    void listenPrecedence();
    void overriddenFileValueIsNotParsed();
    void databasePrecedence_data();
    void databasePrecedence();
    void dataDirPrecedence_data();
    void dataDirPrecedence();
    void configFileFoundInDataDir();
    void configFileValues();
    void missingConfigFile();
    void parseListenAddress_data();
    void parseListenAddress();
    void badIniValues_data();
    void badIniValues();
    void oauthFromEnvironment();
    void listsFromEnvironment();
    void badEnvironmentValueNamesTheVariable();
    void saveRoundTrip();
    void databaseUrl_data();
    void databaseUrl();
    void databaseUrlRedacted_data();
    void databaseUrlRedacted();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString path(const QString &name) const { return m_dir->filePath(name); }
    // An environment with only a data dir, so nothing of the host leaks in.
    QProcessEnvironment env() const
    {
        QProcessEnvironment e;
        e.insert(u"GATEHOUSE_DATA_DIR"_s, m_dir->path());
        return e;
    }
};

void TestSettings::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // defaultDataDir() away from the real one
}

void TestSettings::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestSettings::defaults()
{
    const auto s = loadSettings({}, env());
    QVERIFY2(s, qPrintable(s.error()));
    QCOMPARE(s->dataDir, m_dir->path());
    QCOMPARE(s->configFile, QString());
    QCOMPARE(s->listenHost, u"127.0.0.1"_s);
    QCOMPARE(s->listenPort, quint16(3006));
    QCOMPARE(s->listenAddress(), u"127.0.0.1:3006"_s);
    QVERIFY(s->listensOnLoopbackOnly());
    QCOMPARE(s->database, u"sqlite:"_s + QDir(m_dir->path()).filePath(u"gatehouse.db"_s));
    QCOMPARE(s->publicUrl, u"http://127.0.0.1:3006"_s);
    QCOMPARE(s->secretStore, u"auto"_s);
    QVERIFY(s->listenerThreads >= 1);
    QVERIFY(s->workerThreads >= 1);
    QVERIFY(s->namespaceAutoCreate);
    QCOMPARE(s->namespaceTokenMinutes, 15);
    QVERIFY(s->oauthProviders.isEmpty());

    // With no data dir anywhere, the platform default.
    const auto bare = loadSettings({}, QProcessEnvironment());
    QVERIFY2(bare, qPrintable(bare.error()));
    QCOMPARE(bare->dataDir, defaultDataDir());
    QVERIFY(defaultDataDir().endsWith(u"/gatehouse"));
}

void TestSettings::listenPrecedence_data()
{
    QTest::addColumn<bool>("file");
    QTest::addColumn<bool>("environment");
    QTest::addColumn<bool>("commandLine");
    QTest::addColumn<QString>("expected");
    QTest::newRow("default") << false << false << false << u"127.0.0.1:3006"_s;
    QTest::newRow("file") << true << false << false << u"127.0.0.1:4001"_s;
    QTest::newRow("environment over file") << true << true << false << u"[::1]:4002"_s;
    QTest::newRow("environment alone") << false << true << false << u"[::1]:4002"_s;
    QTest::newRow("command line over all") << true << true << true << u"0.0.0.0:4003"_s;
    QTest::newRow("command line over file") << true << false << true << u"0.0.0.0:4003"_s;
}

void TestSettings::listenPrecedence()
{
    QFETCH(bool, file);
    QFETCH(bool, environment);
    QFETCH(bool, commandLine);
    QFETCH(QString, expected);
    SettingsOverrides o;
    QProcessEnvironment e = env();
    if (file) {
        writeFile(path(u"g.conf"_s), "[server]\nlisten=127.0.0.1:4001\n");
        o.configFile = path(u"g.conf"_s);
    }
    if (environment)
        e.insert(u"GATEHOUSE_LISTEN"_s, u"[::1]:4002"_s);
    if (commandLine)
        o.listen = u"0.0.0.0:4003"_s;
    const auto s = loadSettings(o, e);
    QVERIFY2(s, qPrintable(s.error()));
    QCOMPARE(s->listenAddress(), expected);
    QCOMPARE(s->publicUrl, u"http://"_s + expected); // derived from the listen address
}

void TestSettings::overriddenFileValueIsNotParsed()
{
    // A broken listen address in the file does not matter when the environment or the
    // command line sets one: that is how an operator gets past a bad file.
    writeFile(path(u"g.conf"_s), "[server]\nlisten=example.com:80\n");
    SettingsOverrides o;
    o.configFile = path(u"g.conf"_s);
    QVERIFY(!loadSettings(o, env()));
    QProcessEnvironment e = env();
    e.insert(u"GATEHOUSE_LISTEN"_s, u"127.0.0.1:4002"_s);
    const auto s = loadSettings(o, e);
    QVERIFY2(s, qPrintable(s.error()));
    QCOMPARE(s->listenPort, quint16(4002));
}

void TestSettings::databasePrecedence_data()
{
    QTest::addColumn<bool>("file");
    QTest::addColumn<bool>("environment");
    QTest::addColumn<bool>("commandLine");
    QTest::addColumn<QString>("expected"); // empty: the default in the data dir
    QTest::newRow("default") << false << false << false << QString();
    QTest::newRow("file") << true << false << false << u"sqlite:/from/file.db"_s;
    QTest::newRow("environment over file")
        << true << true << false << u"postgresql://gh@db:5432/fromenv"_s;
    QTest::newRow("command line over all") << true << true << true << u"sqlite:/from/cli.db"_s;
    QTest::newRow("command line over file") << true << false << true << u"sqlite:/from/cli.db"_s;
}

void TestSettings::databasePrecedence()
{
    QFETCH(bool, file);
    QFETCH(bool, environment);
    QFETCH(bool, commandLine);
    QFETCH(QString, expected);
    SettingsOverrides o;
    QProcessEnvironment e = env();
    if (file) {
        writeFile(path(u"g.conf"_s), "[database]\nurl=sqlite:/from/file.db\n");
        o.configFile = path(u"g.conf"_s);
    }
    if (environment)
        e.insert(u"GATEHOUSE_DATABASE"_s, u"postgresql://gh@db:5432/fromenv"_s);
    if (commandLine)
        o.database = u"sqlite:/from/cli.db"_s;
    const auto s = loadSettings(o, e);
    QVERIFY2(s, qPrintable(s.error()));
    if (expected.isEmpty())
        expected = u"sqlite:"_s + QDir(m_dir->path()).filePath(u"gatehouse.db"_s);
    QCOMPARE(s->database, expected);
}

void TestSettings::dataDirPrecedence_data()
{
    // The data dir is where the config file is looked for, so the file cannot set it.
    QTest::addColumn<bool>("environment");
    QTest::addColumn<bool>("commandLine");
    QTest::addColumn<QString>("expected"); // relative to the temp dir; empty: default
    QTest::newRow("default") << false << false << QString();
    QTest::newRow("environment") << true << false << u"env"_s;
    QTest::newRow("command line over environment") << true << true << u"cli"_s;
    QTest::newRow("command line alone") << false << true << u"cli"_s;
}

void TestSettings::dataDirPrecedence()
{
    QFETCH(bool, environment);
    QFETCH(bool, commandLine);
    QFETCH(QString, expected);
    SettingsOverrides o;
    QProcessEnvironment e;
    if (environment)
        e.insert(u"GATEHOUSE_DATA_DIR"_s, path(u"env"_s));
    if (commandLine)
        o.dataDir = path(u"cli"_s);
    const auto s = loadSettings(o, e);
    QVERIFY2(s, qPrintable(s.error()));
    const QString dir = expected.isEmpty() ? defaultDataDir() : path(expected);
    QCOMPARE(s->dataDir, dir);
    QCOMPARE(s->database, u"sqlite:"_s + QDir(dir).filePath(u"gatehouse.db"_s));
}

void TestSettings::configFileFoundInDataDir()
{
    writeFile(path(u"gatehouse.conf"_s), "[server]\nlisten=127.0.0.1:4100\n");
    const auto s = loadSettings({}, env());
    QVERIFY2(s, qPrintable(s.error()));
    QCOMPARE(s->configFile, path(u"gatehouse.conf"_s));
    QCOMPARE(s->listenPort, quint16(4100));

    // GATEHOUSE_CONFIG names another file, which wins over the one in the data dir.
    writeFile(path(u"other.conf"_s), "[server]\nlisten=127.0.0.1:4200\n");
    QProcessEnvironment e = env();
    e.insert(u"GATEHOUSE_CONFIG"_s, path(u"other.conf"_s));
    const auto other = loadSettings({}, e);
    QVERIFY2(other, qPrintable(other.error()));
    QCOMPARE(other->listenPort, quint16(4200));
    SettingsOverrides o;
    o.configFile = path(u"gatehouse.conf"_s); // the command line over GATEHOUSE_CONFIG
    QCOMPARE(loadSettings(o, e)->listenPort, quint16(4100));
}

void TestSettings::configFileValues()
{
    writeFile(path(u"g.conf"_s), "[server]\n"
                                 "listen=\"[::1]:8080\"\n"
                                 "public_url=https://auth.example.com///\n"
                                 "threads=3\n"
                                 "workers=5\n"
                                 "max_body_bytes=2048\n"
                                 "idle_timeout=20\n"
                                 "cors_origins=https://a.example, https://b.example\n"
                                 "[surfaces]\n"
                                 "wallet=false\n"
                                 "pin=off\n"
                                 "device=0\n"
                                 "account=yes\n"
                                 "[namespace]\n"
                                 "auto_create=false\n"
                                 "token_minutes=60\n"
                                 "[mail]\n"
                                 "smtp_url=smtp://mail.example:25\n"
                                 "[secrets]\n"
                                 "store=file\n"
                                 "[oauth.Google]\n"
                                 "client_id=file-client\n"
                                 "issuer=https://accounts.google.com\n");
    SettingsOverrides o;
    o.configFile = path(u"g.conf"_s);
    const auto s = loadSettings(o, env());
    QVERIFY2(s, qPrintable(s.error()));
    QCOMPARE(s->configFile, path(u"g.conf"_s));
    QCOMPARE(s->listenHost, u"::1"_s);
    QCOMPARE(s->listenPort, quint16(8080));
    QCOMPARE(s->publicUrl, u"https://auth.example.com"_s); // trailing slashes dropped
    QCOMPARE(s->listenerThreads, 3);
    QCOMPARE(s->workerThreads, 5);
    QCOMPARE(s->maxBodyBytes, qint64(2048));
    QCOMPARE(s->idleTimeoutSecs, 20);
    QCOMPARE(s->corsOrigins, QStringList({u"https://a.example"_s, u"https://b.example"_s}));
    QVERIFY(s->namespaceSurface);
    QVERIFY(!s->walletSurface);
    QVERIFY(!s->pinSurface);
    QVERIFY(!s->deviceSurface);
    QVERIFY(s->accountSurface);
    QVERIFY(!s->namespaceAutoCreate);
    QCOMPARE(s->namespaceTokenMinutes, 60);
    QCOMPARE(s->smtpUrl, u"smtp://mail.example:25"_s);
    QCOMPARE(s->secretStore, u"file"_s);
    QVERIFY(s->oauthProviders.contains(u"google"_s));
    QCOMPARE(s->oauthProviders[u"google"_s].clientId, u"file-client"_s);
    QCOMPARE(s->oauthProviders[u"google"_s].issuer, u"https://accounts.google.com"_s);

    // The environment beats the file for the same setting.
    QProcessEnvironment e = env();
    e.insert(u"GATEHOUSE_PUBLIC_URL"_s, u"https://env.example"_s);
    e.insert(u"GATEHOUSE_SECRET_STORE"_s, u"keychain"_s);
    e.insert(u"GATEHOUSE_OAUTH_GOOGLE_CLIENT_ID"_s, u"env-client"_s);
    const auto fromEnv = loadSettings(o, e);
    QVERIFY2(fromEnv, qPrintable(fromEnv.error()));
    QCOMPARE(fromEnv->publicUrl, u"https://env.example"_s);
    QCOMPARE(fromEnv->secretStore, u"keychain"_s);
    QCOMPARE(fromEnv->oauthProviders[u"google"_s].clientId, u"env-client"_s);
    QCOMPARE(fromEnv->oauthProviders[u"google"_s].issuer, u"https://accounts.google.com"_s);
}

void TestSettings::missingConfigFile()
{
    SettingsOverrides o;
    o.configFile = path(u"nope.conf"_s);
    const auto s = loadSettings(o, env());
    QVERIFY(!s);
    QVERIFY2(s.error().contains(path(u"nope.conf"_s)), qPrintable(s.error()));
}

void TestSettings::parseListenAddress_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::newRow("ipv4") << u"127.0.0.1:3006"_s << true << u"127.0.0.1"_s << 3006;
    QTest::newRow("any ipv4") << u"0.0.0.0:80"_s << true << u"0.0.0.0"_s << 80;
    QTest::newRow("ipv6") << u"[::1]:80"_s << true << u"::1"_s << 80;
    QTest::newRow("any ipv6") << u"[::]:443"_s << true << u"::"_s << 443;
    QTest::newRow("localhost") << u"localhost:1"_s << true << u"localhost"_s << 1;
    QTest::newRow("max port") << u"10.0.0.1:65535"_s << true << u"10.0.0.1"_s << 65535;
    QTest::newRow("no host") << u":80"_s << false << QString() << 0;
    QTest::newRow("no port") << u"1.2.3.4"_s << false << QString() << 0;
    QTest::newRow("empty port") << u"1.2.3.4:"_s << false << QString() << 0;
    QTest::newRow("port too big") << u"127.0.0.1:99999"_s << false << QString() << 0;
    QTest::newRow("port 65536") << u"127.0.0.1:65536"_s << false << QString() << 0;
    QTest::newRow("host name") << u"host:99999"_s << false << QString() << 0;
    QTest::newRow("three parts") << u"a:b:c"_s << false << QString() << 0;
    QTest::newRow("dns name") << u"example.com:80"_s << false << QString() << 0;
    QTest::newRow("bare ipv6") << u"::1:80"_s << false << QString() << 0;
    QTest::newRow("bracket no port") << u"[::1]"_s << false << QString() << 0;
    QTest::newRow("empty brackets") << u"[]:80"_s << false << QString() << 0;
    QTest::newRow("port not a number") << u"127.0.0.1:http"_s << false << QString() << 0;
    QTest::newRow("negative port") << u"127.0.0.1:-1"_s << false << QString() << 0;
    QTest::newRow("bad ipv4") << u"256.1.1.1:80"_s << false << QString() << 0;
    QTest::newRow("empty") << QString() << false << QString() << 0;
}

void TestSettings::parseListenAddress()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(QString, host);
    QFETCH(int, port);
    const auto parsed = ::parseListenAddress(text);
    QCOMPARE(bool(parsed), ok);
    if (ok) {
        QCOMPARE(parsed->first, host);
        QCOMPARE(int(parsed->second), port);
    } else {
        QVERIFY2(parsed.error().contains(u"bad listen address"), qPrintable(parsed.error()));
    }
}

void TestSettings::badIniValues_data()
{
    QTest::addColumn<QByteArray>("ini");
    QTest::addColumn<QString>("mentions"); // the error names the setting
    QTest::newRow("threads not a number")
        << QByteArray("[server]\nthreads=many\n") << u"server/threads"_s;
    QTest::newRow("threads negative")
        << QByteArray("[server]\nthreads=-1\n") << u"server/threads"_s;
    QTest::newRow("body too small")
        << QByteArray("[server]\nmax_body_bytes=10\n") << u"server/max_body_bytes"_s;
    QTest::newRow("timeout zero") << QByteArray("[server]\nidle_timeout=0\n")
                                  << u"server/idle_timeout"_s;
    QTest::newRow("bool not a bool")
        << QByteArray("[surfaces]\nwallet=maybe\n") << u"surfaces/wallet"_s;
    QTest::newRow("token minutes too long")
        << QByteArray("[namespace]\ntoken_minutes=100000\n") << u"namespace/token_minutes"_s;
    QTest::newRow("PIN access token too short")
        << QByteArray("[lifetimes]\npin_access_seconds=1\n") << u"lifetimes/pin_access_seconds"_s;
    QTest::newRow("API token lifetime zero")
        << QByteArray("[lifetimes]\napi_token_days=0\n") << u"lifetimes/api_token_days"_s;
    QTest::newRow("no free PIN failures")
        << QByteArray("[limits]\npin_free_failures=0\n") << u"limits/pin_free_failures"_s;
    QTest::newRow("code attempts not a number")
        << QByteArray("[limits]\ncode_attempts=lots\n") << u"limits/code_attempts"_s;
    QTest::newRow("listen a dns name")
        << QByteArray("[server]\nlisten=example.com:80\n") << u"example.com:80"_s;
    QTest::newRow("listen without port")
        << QByteArray("[server]\nlisten=127.0.0.1\n") << u"127.0.0.1"_s;
    QTest::newRow("secret store") << QByteArray("[secrets]\nstore=vault\n") << u"secret store"_s;
    QTest::newRow("two bad values")
        << QByteArray("[server]\nthreads=x\n[surfaces]\npin=2\n") << u"server/threads"_s;
}

void TestSettings::badIniValues()
{
    QFETCH(QByteArray, ini);
    QFETCH(QString, mentions);
    writeFile(path(u"bad.conf"_s), ini);
    SettingsOverrides o;
    o.configFile = path(u"bad.conf"_s);
    const auto s = loadSettings(o, env());
    QVERIFY(!s);
    const QString error = s.error();
    QVERIFY2(error.contains(mentions), qPrintable(error));
    QVERIFY2(!error.contains(u'\n'), qPrintable(error)); // one message, one line
    if (mentions != u"secret store")                     // the file named where the problem is
        QVERIFY2(error.contains(path(u"bad.conf"_s)), qPrintable(error));
}

void TestSettings::oauthFromEnvironment()
{
    QProcessEnvironment e = env();
    e.insert(u"GATEHOUSE_OAUTH_GOOGLE_CLIENT_ID"_s, u"g-id"_s);
    e.insert(u"GATEHOUSE_OAUTH_GOOGLE_CLIENT_SECRET"_s, u"g-secret"_s);
    e.insert(u"GATEHOUSE_OAUTH_TWITTER_CLIENT_ID"_s, u"t-id"_s);
    e.insert(u"GATEHOUSE_OAUTH_MY_IDP_ISSUER"_s, u"https://idp.example"_s);
    e.insert(u"GATEHOUSE_OAUTH_MY_IDP_AUTHORIZE_URL"_s, u"https://idp.example/a"_s);
    e.insert(u"GATEHOUSE_OAUTH_MY_IDP_TOKEN_URL"_s, u"https://idp.example/t"_s);
    e.insert(u"GATEHOUSE_OAUTH_MY_IDP_USERINFO_URL"_s, u"https://idp.example/u"_s);
    e.insert(u"GATEHOUSE_OAUTH_REDIRECT_ALLOWLIST"_s, u"https://app.example/cb"_s);
    e.insert(u"GATEHOUSE_OAUTH__CLIENT_ID"_s, u"nameless"_s);
    e.insert(u"GATEHOUSE_OAUTH_GOOGLE_COLOUR"_s, u"blue"_s);
    const auto s = loadSettings({}, e);
    QVERIFY2(s, qPrintable(s.error()));
    QCOMPARE(s->oauthProviders.keys(), QStringList({u"google"_s, u"my_idp"_s, u"twitter"_s}));
    const OAuthProviderSettings g = s->oauthProviders[u"google"_s];
    QCOMPARE(g.name, u"google"_s);
    QCOMPARE(g.clientId, u"g-id"_s);
    QCOMPARE(g.clientSecret, u"g-secret"_s);
    QCOMPARE(s->oauthProviders[u"twitter"_s].clientId, u"t-id"_s);
    QCOMPARE(s->oauthProviders[u"twitter"_s].clientSecret, QString());
    const OAuthProviderSettings idp = s->oauthProviders[u"my_idp"_s];
    QCOMPARE(idp.issuer, u"https://idp.example"_s);
    QCOMPARE(idp.authorizeUrl, u"https://idp.example/a"_s);
    QCOMPARE(idp.tokenUrl, u"https://idp.example/t"_s);
    QCOMPARE(idp.userinfoUrl, u"https://idp.example/u"_s);
    QCOMPARE(s->redirectAllowlist, QStringList{u"https://app.example/cb"_s});
}

void TestSettings::listsFromEnvironment()
{
    QProcessEnvironment e = env();
    e.insert(u"GATEHOUSE_CORS_ORIGINS"_s, u" https://a.example ,,https://b.example, "_s);
    e.insert(u"GATEHOUSE_SMTP_URL"_s, u"smtp://localhost:2525"_s);
    e.insert(u"GATEHOUSE_MAIL_FROM"_s, u"Gatehouse <auth@example.com>"_s);
    const auto s = loadSettings({}, e);
    QVERIFY2(s, qPrintable(s.error()));
    QCOMPARE(s->corsOrigins, QStringList({u"https://a.example"_s, u"https://b.example"_s}));
    QCOMPARE(s->smtpUrl, u"smtp://localhost:2525"_s);
    QCOMPARE(s->mailFrom, u"Gatehouse <auth@example.com>"_s);

    e.insert(u"GATEHOUSE_SECRET_STORE"_s, u"plaintext"_s);
    QVERIFY(!loadSettings({}, e));
    e.insert(u"GATEHOUSE_LISTEN"_s, u"example.com:80"_s);
    e.insert(u"GATEHOUSE_SECRET_STORE"_s, u"file"_s);
    QVERIFY(!loadSettings({}, e));
}

void TestSettings::badEnvironmentValueNamesTheVariable()
{
    QProcessEnvironment e = env();
    e.insert(u"GATEHOUSE_SECRET_STORE"_s, u"vault"_s);
    auto s = loadSettings({}, e);
    QVERIFY(!s);
    QVERIFY2(s.error().contains(u"GATEHOUSE_SECRET_STORE"_s) &&
                 s.error().contains(u"auto, keychain or file"_s),
             qPrintable(s.error()));
    // A bad value in the file under a good one from the environment is never read.
    writeFile(path(u"g.conf"_s), "[secrets]\nstore=vault\n[server]\nlisten=nowhere\n"_ba);
    SettingsOverrides o;
    o.configFile = path(u"g.conf"_s);
    e.insert(u"GATEHOUSE_SECRET_STORE"_s, u"keychain"_s);
    e.insert(u"GATEHOUSE_LISTEN"_s, u"127.0.0.1:4444"_s);
    s = loadSettings(o, e);
    QVERIFY2(s, qPrintable(s.error()));
    QCOMPARE(s->secretStore, u"keychain"_s);
    QCOMPARE(s->listenPort, quint16(4444));
}

void TestSettings::saveRoundTrip()
{
    SettingsOverrides o;
    o.dataDir = m_dir->path();
    o.listen = u"[::1]:4321"_s;
    o.database = u"postgresql://gh:pw@db.example:5433/gatehouse?sslmode=require"_s;
    QProcessEnvironment e;
    e.insert(u"GATEHOUSE_OAUTH_GOOGLE_CLIENT_ID"_s, u"g-id"_s);
    e.insert(u"GATEHOUSE_OAUTH_GOOGLE_CLIENT_SECRET"_s, u"g-secret"_s);
    e.insert(u"GATEHOUSE_OAUTH_GOOGLE_ISSUER"_s, u"https://accounts.google.com"_s);
    e.insert(u"GATEHOUSE_CORS_ORIGINS"_s, u"https://a.example,https://b.example"_s);
    e.insert(u"GATEHOUSE_OAUTH_REDIRECT_ALLOWLIST"_s, u"https://app.example/cb"_s);
    auto loaded = loadSettings(o, e);
    QVERIFY2(loaded, qPrintable(loaded.error()));
    Settings s = *loaded;
    s.publicUrl = u"https://auth.example.com"_s;
    s.listenerThreads = 3;
    s.workerThreads = 7;
    s.maxBodyBytes = 4096;
    s.maxConnections = 99;
    s.requestTimeoutSecs = 12;
    s.walletSurface = false;
    s.deviceSurface = false;
    s.namespaceAutoCreate = false;
    s.namespaceTokenMinutes = 30;
    s.smtpUrl = u"smtp://mail.example:587"_s;
    s.mailFrom = u"Gatehouse <auth@example.com>"_s;
    s.smsWebhookUrl = u"https://sms.example/hook?x=1&y=2"_s;
    s.appleClientId = u"com.example.app"_s;
    s.secretStore = u"file"_s;
    s.tlsCertificateFile = u"/etc/gatehouse/tls/fullchain.pem"_s;
    s.tlsKeyFile = u"/etc/gatehouse/tls/privkey.pem"_s;
    s.pinAccessSecs = 90;
    s.pinRefreshDays = 14;
    s.deviceSessionDays = 60;
    s.walletSessionDays = 3;
    s.accountTokenDays = 2;
    s.apiTokenDays = 30;
    s.pinFreeFailures = 3;
    s.pinLockSecs = 45;
    s.codeAttempts = 4;
    s.codeResendSecs = 120;

    const QString file = path(u"saved.conf"_s);
    const auto saved = saveSettingsFile(s, file);
    QVERIFY2(saved, qPrintable(saved.error()));
    QCOMPARE(modeOf(file), 0600);
    QFile raw(file);
    QVERIFY(raw.open(QIODevice::ReadOnly));
    const QByteArray text = raw.readAll();
    QVERIFY2(!text.contains("g-secret"), text.constData()); // secrets never go to the file

    SettingsOverrides again;
    again.dataDir = m_dir->path();
    again.configFile = file;
    const auto back = loadSettings(again, QProcessEnvironment());
    QVERIFY2(back, qPrintable(back.error()));
    QCOMPARE(back->listenAddress(), s.listenAddress());
    QCOMPARE(back->database, s.database);
    QCOMPARE(back->publicUrl, s.publicUrl);
    QCOMPARE(back->listenerThreads, 3);
    QCOMPARE(back->workerThreads, 7);
    QCOMPARE(back->maxBodyBytes, qint64(4096));
    QCOMPARE(back->maxConnections, 99);
    QCOMPARE(back->requestTimeoutSecs, 12);
    QCOMPARE(back->corsOrigins, s.corsOrigins);
    QCOMPARE(back->redirectAllowlist, s.redirectAllowlist);
    QCOMPARE(back->walletSurface, false);
    QCOMPARE(back->deviceSurface, false);
    QCOMPARE(back->pinSurface, true);
    QCOMPARE(back->namespaceAutoCreate, false);
    QCOMPARE(back->namespaceTokenMinutes, 30);
    QCOMPARE(back->smtpUrl, s.smtpUrl);
    QCOMPARE(back->mailFrom, s.mailFrom);
    QCOMPARE(back->smsWebhookUrl, s.smsWebhookUrl);
    QCOMPARE(back->appleClientId, s.appleClientId);
    QCOMPARE(back->secretStore, u"file"_s);
    QCOMPARE(back->tlsCertificateFile, s.tlsCertificateFile);
    QCOMPARE(back->tlsKeyFile, s.tlsKeyFile);
    const int policy[] = {back->pinAccessSecs,     back->pinRefreshDays,   back->deviceSessionDays,
                          back->walletSessionDays, back->accountTokenDays, back->apiTokenDays,
                          back->pinFreeFailures,   back->pinLockSecs,      back->codeAttempts,
                          back->codeResendSecs};
    const int expected[] = {90, 14, 60, 3, 2, 30, 3, 45, 4, 120};
    for (int i = 0; i < 10; ++i)
        QCOMPARE(policy[i], expected[i]);
    QCOMPARE(back->oauthProviders[u"google"_s].clientId, u"g-id"_s);
    QCOMPARE(back->oauthProviders[u"google"_s].issuer, u"https://accounts.google.com"_s);
    QCOMPARE(back->oauthProviders[u"google"_s].clientSecret, QString());

    // Saving over an existing, world-readable file tightens it to 0600 too.
    QFile::setPermissions(file, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther);
    QVERIFY(saveSettingsFile(*back, file));
    QCOMPARE(modeOf(file), 0600);
}

void TestSettings::databaseUrl_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("dialect");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("options");
    const int lite = int(Dialect::Sqlite);
    const int pg = int(Dialect::Postgres);
    QTest::newRow("sqlite absolute") << u"sqlite:/var/lib/gatehouse/gatehouse.db"_s << true << lite
                                     << u"/var/lib/gatehouse/gatehouse.db"_s << QString() << 5432
                                     << QString() << QString() << QString() << QString();
    QTest::newRow("sqlite relative")
        << u"sqlite:data/g.db"_s << true << lite << u"data/g.db"_s << QString() << 5432 << QString()
        << QString() << QString() << QString();
    QTest::newRow("sqlite url form")
        << u"sqlite:///tmp/g.db"_s << true << lite << u"/tmp/g.db"_s << QString() << 5432
        << QString() << QString() << QString() << QString();
    QTest::newRow("sqlite without path") << u"sqlite:"_s << false << 0 << QString() << QString()
                                         << 0 << QString() << QString() << QString() << QString();
    QTest::newRow("postgresql full")
        << u"postgresql://u:p@h:5433/db?sslmode=require"_s << true << pg << QString() << u"h"_s
        << 5433 << u"u"_s << u"p"_s << u"db"_s << u"connect_timeout=5;sslmode=require"_s;
    QTest::newRow("postgres scheme, default port")
        << u"postgres://gh@db.internal/gatehouse"_s << true << pg << QString() << u"db.internal"_s
        << 5432 << u"gh"_s << QString() << u"gatehouse"_s << u"connect_timeout=5"_s;
    QTest::newRow("percent-encoded password")
        << u"postgresql://u:p%40ss%3Aw%2Frd@h/db?application_name=gh"_s << true << pg << QString()
        << u"h"_s << 5432 << u"u"_s << u"p@ss:w/rd"_s << u"db"_s
        << u"connect_timeout=5;application_name=gh"_s;
    QTest::newRow("bad scheme") << u"mysql://u:p@h/db"_s << false << 0 << QString() << QString()
                                << 0 << QString() << QString() << QString() << QString();
    QTest::newRow("plain path") << u"/var/lib/g.db"_s << false << 0 << QString() << QString() << 0
                                << QString() << QString() << QString() << QString();
    QTest::newRow("empty") << QString() << false << 0 << QString() << QString() << 0 << QString()
                           << QString() << QString() << QString();
    QTest::newRow("no database name")
        << u"postgresql://u:p@h:5432"_s << false << 0 << QString() << QString() << 0 << QString()
        << QString() << QString() << QString();
    QTest::newRow("slash but no name")
        << u"postgresql://u:p@h:5432/"_s << false << 0 << QString() << QString() << 0 << QString()
        << QString() << QString() << QString();
    QTest::newRow("nested path") << u"postgresql://u@h/db/extra"_s << false << 0 << QString()
                                 << QString() << 0 << QString() << QString() << QString()
                                 << QString();
    QTest::newRow("no host") << u"postgresql:///db"_s << false << 0 << QString() << QString() << 0
                             << QString() << QString() << QString() << QString();
    QTest::newRow("port not a number")
        << u"postgresql://u@h:port/db"_s << false << 0 << QString() << QString() << 0 << QString()
        << QString() << QString() << QString();
    QTest::newRow("port too big") << u"postgresql://u@h:70000/db"_s << false << 0 << QString()
                                  << QString() << 0 << QString() << QString() << QString()
                                  << QString();
    QTest::newRow("port zero") << u"postgresql://u@h:0/db"_s << false << 0 << QString() << QString()
                               << 0 << QString() << QString() << QString() << QString();
    QTest::newRow("unknown option")
        << u"postgresql://u@h/db?sslmode=require&host=evil"_s << false << 0 << QString()
        << QString() << 0 << QString() << QString() << QString() << QString();
    QTest::newRow("option injection")
        << u"postgresql://u@h/db?sslmode=disable%3Bhost%3Devil"_s << false << 0 << QString()
        << QString() << 0 << QString() << QString() << QString() << QString();
    QTest::newRow("option injection with a space")
        << u"postgresql://u@h/db?sslmode=disable%20host%3Devil"_s << false << 0 << QString()
        << QString() << 0 << QString() << QString() << QString() << QString();
    QTest::newRow("application_name injection")
        << u"postgresql://u@h/db?application_name=x%20password%3Dy"_s << false << 0 << QString()
        << QString() << 0 << QString() << QString() << QString() << QString();
    QTest::newRow("unknown sslmode")
        << u"postgresql://u@h/db?sslmode=sometimes"_s << false << 0 << QString() << QString() << 0
        << QString() << QString() << QString() << QString();
    QTest::newRow("sslmode verify-full")
        << u"postgresql://u@h/db?sslmode=verify-full"_s << true << pg << QString() << u"h"_s << 5432
        << u"u"_s << QString() << u"db"_s << u"connect_timeout=5;sslmode=verify-full"_s;
}

void TestSettings::databaseUrl()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    const auto url = DatabaseUrl::parse(text);
    QVERIFY2(bool(url) == ok, qPrintable(url ? u"accepted"_s : url.error()));
    if (!ok) {
        QVERIFY(!url.error().isEmpty());
        return;
    }
    QFETCH(int, dialect);
    QFETCH(QString, path);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, user);
    QFETCH(QString, password);
    QFETCH(QString, name);
    QFETCH(QString, options);
    QCOMPARE(int(url->dialect), dialect);
    QCOMPARE(url->path, path);
    if (url->dialect == Dialect::Postgres) {
        QCOMPARE(url->host, host);
        QCOMPARE(url->port, port);
        QCOMPARE(url->user, user);
        QCOMPARE(url->password, password);
        QCOMPARE(url->name, name);
        QCOMPARE(url->options, options);
    }
}

void TestSettings::databaseUrlRedacted_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("password");
    QTest::newRow("sqlite") << u"sqlite:/tmp/g.db"_s << u"sqlite:/tmp/g.db"_s << QString();
    QTest::newRow("postgresql") << u"postgresql://u:hunter2@h:5433/db?sslmode=require"_s
                                << u"postgresql://u@h:5433/db"_s << u"hunter2"_s;
    QTest::newRow("encoded password")
        << u"postgresql://u:s%3Ecret%25@h/db"_s << u"postgresql://u@h:5432/db"_s << u"s>cret%"_s;
    QTest::newRow("placeholder-like user")
        << u"postgresql://a%253:pw%252@h:5433/db"_s << u"postgresql://a%3@h:5433/db"_s << u"pw%2"_s;
}

void TestSettings::databaseUrlRedacted()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QFETCH(QString, password);
    const auto url = DatabaseUrl::parse(text);
    QVERIFY2(url, qPrintable(url.error()));
    QCOMPARE(url->password, password);
    const QString redacted = url->redacted();
    QCOMPARE(redacted, expected);
    if (!password.isEmpty())
        QVERIFY2(!redacted.contains(password), qPrintable(redacted));
}

QTEST_GUILESS_MAIN(TestSettings)
#include "tst_settings.moc"
