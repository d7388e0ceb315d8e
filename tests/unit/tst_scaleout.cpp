// SPDX-License-Identifier: GPL-3.0-or-later
// Several instances on one database (here SQLite files opened by several Database
// objects on several threads): first-start seeding under a simultaneous start, and the
// refusal to start with secrets that differ from the ones the database was set up with.
#include "config/keycheck.h"
#include "config/secretstore.h"
#include "crypto/digest.h"
#include "services.h"
#include "storage/meta.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <atomic>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

std::unique_ptr<Database> openDb(const QString &path)
{
    auto url = DatabaseUrl::parse(u"sqlite:"_s + path);
    auto db = std::make_unique<Database>(*url);
    const auto opened = db->open();
    if (!opened)
        qWarning("open failed: %s", qPrintable(opened.error()));
    return opened ? std::move(db) : nullptr;
}

void fill(Secrets &s, char seal)
{
    s.set(SecretName::signingKey, QByteArray(32, 'k'));
    s.set(SecretName::walletSealKey, QByteArray(32, seal));
    s.set(SecretName::cliApiToken, "cli-token");
    s.set(SecretName::introspectionSecret, "introspection");
}

qint64 scalar(const Database &db, const QString &sql)
{
    Sql q(db, sql);
    q.exec();
    return q.next() ? q.value(u"n"_s).toLongLong() : -1;
}

Result<Done> loadNow(SecretStore &store, const QProcessEnvironment &env, Secrets &into,
                     const QStringList &extra = {})
{
    auto out = std::make_shared<std::optional<Result<Done>>>();
    loadSecrets(store, env, into, extra, [out](Result<Done> r) { *out = std::move(r); });
    (void)QTest::qWaitFor([&] { return out->has_value(); }, 5000);
    if (!out->has_value())
        return Result<Done>::failure(Refusal::Kind::Internal, u"loadSecrets never called back"_s);
    return **out;
}

} // namespace

class TestScaleOut : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void simultaneousFirstStart();
    void fingerprintsRecordedThenEnforced();
    void fingerprintRevealsNothing();
    void metaSetConcurrent();
    void sharedSecretsFile();
    void everySecretHasAnEnvironmentForm();
    void settingsTrustedProxiesAndSecretsFile();
};

void TestScaleOut::simultaneousFirstStart()
{
    // Four "instances" start together on a fresh file: each migrates, seeds the owner
    // id and the default admin and checks its secrets. None may fail; one admin.
    QTemporaryDir dir;
    const QString path = dir.filePath(u"gatehouse.db"_s);
    constexpr int kInstances = 4;
    Clock clock;
    Secrets secrets;
    fill(secrets, 'w');
    QStringList errors;
    QMutex mutex;
    std::vector<std::unique_ptr<QThread>> threads;
    for (int i = 0; i < kInstances; ++i) {
        threads.emplace_back(QThread::create([&] {
            try {
                auto db = openDb(path);
                if (!db)
                    throw std::runtime_error("open failed");
                if (auto same = checkSharedSecrets(*db, secrets); !same)
                    throw std::runtime_error(same.error().toStdString());
                Settings settings;
                Services services(settings, std::move(db), secrets, clock);
            } catch (const std::exception &error) {
                QMutexLocker lock(&mutex);
                errors << QString::fromUtf8(error.what());
            }
        }));
    }
    for (auto &t : threads)
        t->start();
    for (auto &t : threads)
        QVERIFY(t->wait(60000));
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u"; ")));
    auto db = openDb(path);
    QVERIFY(db);
    QCOMPARE(scalar(*db, u"SELECT COUNT(*) AS n FROM users WHERE username = 'admin'"_s), 1);
    QCOMPARE(scalar(*db, u"SELECT COUNT(*) AS n FROM meta WHERE key = 'owner_id'"_s), 1);
    QVERIFY(!Meta::get(*db, u"account.default_admin_hash"_s).isEmpty());
}

void TestScaleOut::fingerprintsRecordedThenEnforced()
{
    QTemporaryDir dir;
    auto db = openDb(dir.filePath(u"gatehouse.db"_s));
    QVERIFY(db);
    Secrets first;
    fill(first, 'w');
    QVERIFY(checkSharedSecrets(*db, first));
    QCOMPARE(scalar(*db, u"SELECT COUNT(*) AS n FROM meta WHERE key LIKE 'secret_fingerprint.%'"_s),
             sharedSecretNames().size());
    QVERIFY(checkSharedSecrets(*db, first)); // the same keys again: fine

    Secrets other;
    fill(other, 'x'); // another wallet-seal-key
    const auto refused = checkSharedSecrets(*db, other);
    QVERIFY(!refused);
    QVERIFY2(refused.error().contains(u"wallet-seal-key"), qPrintable(refused.error()));
    QVERIFY(!refused.error().contains(u"signing-key"));
    QVERIFY(!refused.error().contains(u'\n'));
    // The refusal changed nothing: the first keys are still the ones recorded.
    QVERIFY(checkSharedSecrets(*db, first));
}

void TestScaleOut::fingerprintRevealsNothing()
{
    const QByteArray key(32, 'w');
    const QString fp = secretFingerprint(SecretName::walletSealKey, key);
    QCOMPARE(fp.size(), 32);
    QVERIFY(!fp.contains(QString::fromLatin1(key.toHex())));
    // Not an unkeyed hash of the secret: guessing candidates needs the HMAC construction.
    QVERIFY(!QString::fromLatin1(Digest::sha256(key).toHex()).startsWith(fp));
    // Keyed by the secret: the same name with another key differs, and names differ.
    QVERIFY(fp != secretFingerprint(SecretName::walletSealKey, QByteArray(32, 'x')));
    QVERIFY(fp != secretFingerprint(SecretName::signingKey, key));
    // Independent recomputation (HMAC-SHA256(secret, label), first 16 bytes, hex).
    QCOMPARE(fp, QString::fromLatin1(
                     Digest::hmacSha256(key, "gatehouse-secret-fingerprint-v1:wallet-seal-key")
                         .left(16)
                         .toHex()));
}

void TestScaleOut::metaSetConcurrent()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"gatehouse.db"_s);
    auto a = openDb(path);
    auto b = openDb(path);
    QVERIFY(a && b);
    std::atomic<int> failures{0};
    auto hammer = [&](Database *db, const QString &value) {
        for (int i = 0; i < 50; ++i) {
            try {
                Meta::set(*db, u"k"_s, value);
            } catch (...) {
                ++failures;
            }
        }
    };
    std::unique_ptr<QThread> t1(QThread::create(hammer, a.get(), u"a"_s));
    std::unique_ptr<QThread> t2(QThread::create(hammer, b.get(), u"b"_s));
    t1->start();
    t2->start();
    QVERIFY(t1->wait(30000) && t2->wait(30000));
    QCOMPARE(failures.load(), 0);
    QCOMPARE(scalar(*a, u"SELECT COUNT(*) AS n FROM meta WHERE key = 'k'"_s), 1);
}

void TestScaleOut::sharedSecretsFile()
{
    // Two instances (two data folders) given one file: the second reads what the first
    // generated; a key already in the file is never replaced by a fresh one.
    QTemporaryDir dir;
    const QString shared = dir.filePath(u"etc/secrets.json"_s);
    {
        QDir().mkpath(dir.filePath(u"etc"_s));
        QFile f(shared);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QJsonDocument(QJsonObject{{u"wallet-seal-key"_s,
                                           QString::fromLatin1(QByteArray("given").toBase64())}})
                    .toJson());
    }
    SecretStore a(dir.filePath(u"a"_s), u"auto"_s);
    a.useSharedFile(shared);
    QCOMPARE(a.backend(), SecretStore::Backend::File);
    QCOMPARE(a.filePath(), shared);
    Secrets first;
    QVERIFY(loadNow(a, QProcessEnvironment(), first));
    QCOMPARE(first.value(SecretName::walletSealKey), QByteArray("given"));
    QCOMPARE(first.signingKey().size(), 32);

    SecretStore b(dir.filePath(u"b"_s), u"auto"_s);
    b.useSharedFile(shared);
    Secrets second;
    QVERIFY(loadNow(b, QProcessEnvironment(), second));
    for (const QString &name : sharedSecretNames())
        QCOMPARE(second.value(name), first.value(name));
    QVERIFY(!QFile::exists(dir.filePath(u"a/secrets.json"_s)));
    QVERIFY(!QFile::exists(dir.filePath(u"b/secrets.json"_s)));

    // create() on a name the file has answers with the file's value.
    std::optional<QByteArray> stored;
    b.create(SecretName::walletSealKey, "fresh",
             [&](std::optional<QByteArray> v, QString) { stored = v; });
    QCOMPARE(stored.value_or("none"), QByteArray("given"));
}

void TestScaleOut::everySecretHasAnEnvironmentForm()
{
    QTemporaryDir dir;
    SecretStore store(dir.path(), u"file"_s);
    QProcessEnvironment env;
    env.insert(u"GATEHOUSE_SIGNING_KEY"_s, u"sk"_s);
    env.insert(u"GATEHOUSE_WALLET_SEAL_KEY"_s, u"wsk"_s);
    env.insert(u"GATEHOUSE_INTROSPECTION_SECRET"_s, u"is"_s);
    env.insert(u"CLI_API_TOKEN"_s, u"cli"_s);
    env.insert(u"TELEGRAM_BOT_TOKEN"_s, u"1:bot"_s);
    env.insert(u"GATEHOUSE_SMTP_PASSWORD"_s, u"smtp"_s);
    env.insert(u"GATEHOUSE_OAUTH_CORP_CLIENT_SECRET"_s, u"corp"_s);
    Secrets s;
    const QString corp = SecretName::oauthClientSecret(u"corp"_s);
    QVERIFY(loadNow(store, env, s, {corp}));
    QCOMPARE(s.signingKey(), QByteArray("sk"));
    QCOMPARE(s.value(SecretName::walletSealKey), QByteArray("wsk"));
    QCOMPARE(s.value(SecretName::introspectionSecret), QByteArray("is"));
    QCOMPARE(s.cliApiToken(), QByteArray("cli"));
    QCOMPARE(s.telegramBotToken(), QByteArray("1:bot"));
    QCOMPARE(s.value(SecretName::smtpPassword), QByteArray("smtp"));
    QCOMPARE(s.value(corp), QByteArray("corp"));
    for (const QString &name : sharedSecretNames())
        QVERIFY2(s.fromEnvironment(name), qPrintable(name));
    // Nothing was generated into the store: every key came from the environment.
    QVERIFY(!QFile::exists(store.filePath()));
}

void TestScaleOut::settingsTrustedProxiesAndSecretsFile()
{
    QTemporaryDir dir;
    QProcessEnvironment env;
    env.insert(u"GATEHOUSE_DATA_DIR"_s, dir.path());
    QVERIFY(loadSettings({}, env)->trustedProxies.isEmpty()); // default: none
    QVERIFY(loadSettings({}, env)->secretsFile.isEmpty());
    {
        QFile conf(dir.filePath(u"gatehouse.conf"_s));
        QVERIFY(conf.open(QIODevice::WriteOnly));
        conf.write("[server]\ntrusted_proxies=10.0.0.0/8, ::1\n[secrets]\nfile=/etc/gh.json\n");
    }
    auto s = loadSettings({}, env);
    QVERIFY2(s, qPrintable(s.error()));
    QCOMPARE(s->trustedProxies, (QStringList{u"10.0.0.0/8"_s, u"::1"_s}));
    QCOMPARE(s->secretsFile, u"/etc/gh.json"_s);
    env.insert(u"GATEHOUSE_TRUSTED_PROXIES"_s, u"192.168.1.1"_s);
    env.insert(u"GATEHOUSE_SECRETS_FILE"_s, u"/run/gh.json"_s);
    s = loadSettings({}, env);
    QCOMPARE(s->trustedProxies, QStringList{u"192.168.1.1"_s});
    QCOMPARE(s->secretsFile, u"/run/gh.json"_s);
    env.insert(u"GATEHOUSE_TRUSTED_PROXIES"_s, u"10.0.0.0/8, proxy.internal"_s);
    const auto bad = loadSettings({}, env);
    QVERIFY(!bad);
    QVERIFY2(bad.error().contains(u"'proxy.internal'"), qPrintable(bad.error()));
    env.insert(u"GATEHOUSE_TRUSTED_PROXIES"_s, u"10.0.0.0/33"_s);
    QVERIFY(!loadSettings({}, env));
}

QTEST_GUILESS_MAIN(TestScaleOut)
#include "tst_scaleout.moc"
