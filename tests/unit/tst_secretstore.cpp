// SPDX-License-Identifier: GPL-3.0-or-later
// SecretStore in file mode (what headless servers and CI use) and loadSecrets on top.
#include "config/secrets.h"
#include "config/secretstore.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <sys/stat.h>

using namespace Qt::StringLiterals;

namespace {

int modeOf(const QString &path)
{
    struct stat st = {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return -1;
    return int(st.st_mode & 07777);
}

// The callbacks may run later (keychain mode); wait for them with an event loop.
struct ReadOutcome
{
    bool done = false;
    std::optional<QByteArray> value;
    QString error;
};

ReadOutcome readNow(SecretStore &store, const QString &name)
{
    auto out = std::make_shared<ReadOutcome>();
    store.read(name, [out](std::optional<QByteArray> value, QString error) {
        out->value = std::move(value);
        out->error = std::move(error);
        out->done = true;
    });
    (void)QTest::qWaitFor([&] { return out->done; }, 5000);
    return *out;
}

QString writeNow(SecretStore &store, const QString &name, const QByteArray &value)
{
    auto out = std::make_shared<std::optional<QString>>();
    store.write(name, value, [out](QString error) { *out = std::move(error); });
    (void)QTest::qWaitFor([&] { return out->has_value(); }, 5000);
    return out->value_or(u"no answer"_s);
}

QString removeNow(SecretStore &store, const QString &name)
{
    auto out = std::make_shared<std::optional<QString>>();
    store.remove(name, [out](QString error) { *out = std::move(error); });
    (void)QTest::qWaitFor([&] { return out->has_value(); }, 5000);
    return out->value_or(u"no answer"_s);
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

class TestSecretStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void roundTrip();
    void fileIsPrivate();
    void survivesNewInstance();
    void corruptFile();
    void loadGeneratesOnFirstRun();
    void loadKeepsValuesAcrossRuns();
    void environmentOverrides();
    void extraNames();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString dataDir() const { return m_dir->filePath(u"data"_s); } // made by the store
};

void TestSecretStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestSecretStore::roundTrip()
{
    SecretStore store(dataDir(), u"file"_s);
    QCOMPARE(store.backend(), SecretStore::Backend::File);
    QCOMPARE(store.filePath(), QDir(dataDir()).filePath(u"secrets.json"_s));

    // Nothing there yet: no value and no error.
    ReadOutcome missing = readNow(store, u"a"_s);
    QVERIFY(missing.done);
    QVERIFY(!missing.value);
    QCOMPARE(missing.error, QString());

    const QByteArray binary("\x00\x01\xff secret \n\"}", 14);
    QCOMPARE(writeNow(store, u"a"_s, binary), QString());
    QCOMPARE(writeNow(store, u"b"_s, "second"), QString());
    QCOMPARE(readNow(store, u"a"_s).value, std::optional<QByteArray>(binary));
    QCOMPARE(readNow(store, u"b"_s).value, std::optional<QByteArray>("second"));

    QCOMPARE(writeNow(store, u"a"_s, "replaced"), QString());
    QCOMPARE(readNow(store, u"a"_s).value, std::optional<QByteArray>("replaced"));

    QCOMPARE(removeNow(store, u"a"_s), QString());
    QVERIFY(!readNow(store, u"a"_s).value);
    QCOMPARE(readNow(store, u"b"_s).value, std::optional<QByteArray>("second")); // untouched
    QCOMPARE(removeNow(store, u"never-there"_s), QString());

    // An empty value is a value, not "missing".
    QCOMPARE(writeNow(store, u"empty"_s, QByteArray()), QString());
    const ReadOutcome empty = readNow(store, u"empty"_s);
    QVERIFY(empty.value);
    QVERIFY(empty.value->isEmpty());
}

void TestSecretStore::fileIsPrivate()
{
    SecretStore store(dataDir(), u"file"_s);
    QCOMPARE(writeNow(store, u"k"_s, "v"), QString());
    QCOMPARE(modeOf(store.filePath()), 0600);

    // Rewriting a file someone loosened tightens it again.
    QFile::setPermissions(store.filePath(), QFile::ReadOwner | QFile::WriteOwner |
                                                QFile::ReadGroup | QFile::ReadOther);
    QCOMPARE(writeNow(store, u"k2"_s, "v2"), QString());
    QCOMPARE(modeOf(store.filePath()), 0600);
    QCOMPARE(removeNow(store, u"k2"_s), QString());
    QCOMPARE(modeOf(store.filePath()), 0600);

    // No leftover temporary files next to it.
    QCOMPARE(QDir(dataDir()).entryList(QDir::Files), QStringList{u"secrets.json"_s});
}

void TestSecretStore::survivesNewInstance()
{
    {
        SecretStore store(dataDir(), u"file"_s);
        QCOMPARE(writeNow(store, u"k"_s, "persisted"), QString());
    }
    SecretStore again(dataDir(), u"file"_s);
    QCOMPARE(readNow(again, u"k"_s).value, std::optional<QByteArray>("persisted"));
    // Another data folder is another store.
    SecretStore elsewhere(m_dir->filePath(u"other"_s), u"file"_s);
    QVERIFY(!readNow(elsewhere, u"k"_s).value);
}

void TestSecretStore::corruptFile()
{
    QVERIFY(QDir().mkpath(dataDir()));
    QFile file(QDir(dataDir()).filePath(u"secrets.json"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{ not json");
    file.close();
    SecretStore store(dataDir(), u"file"_s);
    QVERIFY(!readNow(store, u"k"_s).value);
}

void TestSecretStore::loadGeneratesOnFirstRun()
{
    SecretStore store(dataDir(), u"file"_s);
    Secrets secrets;
    const auto loaded = loadNow(store, QProcessEnvironment(), secrets);
    QVERIFY2(loaded, qPrintable(loaded.error()));

    QCOMPARE(secrets.signingKey().size(), 32);
    QCOMPARE(secrets.value(SecretName::walletSealKey).size(), 32);
    QVERIFY(secrets.signingKey() != secrets.value(SecretName::walletSealKey));
    QCOMPARE(secrets.cliApiToken().size(), 32); // 24 random bytes, base64url
    QCOMPARE(secrets.value(SecretName::introspectionSecret).size(), 32);
    QVERIFY(secrets.cliApiToken() != secrets.value(SecretName::introspectionSecret));
    // Not generated: those come from the operator.
    QVERIFY(secrets.telegramBotToken().isEmpty());
    QVERIFY(secrets.value(SecretName::smtpPassword).isEmpty());
    QVERIFY(!secrets.fromEnvironment(SecretName::cliApiToken));

    // They were written to the store.
    QCOMPARE(readNow(store, SecretName::signingKey).value,
             std::optional<QByteArray>(secrets.signingKey()));
    QCOMPARE(readNow(store, SecretName::cliApiToken).value,
             std::optional<QByteArray>(secrets.cliApiToken()));
    QVERIFY(!readNow(store, SecretName::telegramBotToken).value);
    QCOMPARE(modeOf(store.filePath()), 0600);
}

void TestSecretStore::loadKeepsValuesAcrossRuns()
{
    Secrets first;
    {
        SecretStore store(dataDir(), u"file"_s);
        QVERIFY(loadNow(store, QProcessEnvironment(), first));
    }
    SecretStore store(dataDir(), u"file"_s);
    Secrets second;
    QVERIFY(loadNow(store, QProcessEnvironment(), second));
    QCOMPARE(second.signingKey(), first.signingKey());
    QCOMPARE(second.cliApiToken(), first.cliApiToken());
    QCOMPARE(second.value(SecretName::walletSealKey), first.value(SecretName::walletSealKey));

    // Values the operator stored (a bot token) are read, not generated.
    QCOMPARE(writeNow(store, SecretName::telegramBotToken, "123:bot"), QString());
    Secrets third;
    QVERIFY(loadNow(store, QProcessEnvironment(), third));
    QCOMPARE(third.telegramBotToken(), QByteArray("123:bot"));

    // A fresh folder gives fresh keys.
    SecretStore elsewhere(m_dir->filePath(u"other"_s), u"file"_s);
    Secrets fresh;
    QVERIFY(loadNow(elsewhere, QProcessEnvironment(), fresh));
    QVERIFY(fresh.signingKey() != first.signingKey());
}

void TestSecretStore::environmentOverrides()
{
    SecretStore store(dataDir(), u"file"_s);
    Secrets generated;
    QVERIFY(loadNow(store, QProcessEnvironment(), generated));

    QProcessEnvironment env;
    env.insert(u"CLI_API_TOKEN"_s, u"from-the-environment"_s);
    env.insert(u"TELEGRAM_BOT_TOKEN"_s, u"999:env-bot"_s);
    env.insert(u"GATEHOUSE_SIGNING_KEY"_s, u"env-signing-key"_s);
    Secrets secrets;
    const auto loaded = loadNow(store, env, secrets);
    QVERIFY2(loaded, qPrintable(loaded.error()));
    QCOMPARE(secrets.cliApiToken(), QByteArray("from-the-environment"));
    QCOMPARE(secrets.telegramBotToken(), QByteArray("999:env-bot"));
    QCOMPARE(secrets.signingKey(), QByteArray("env-signing-key"));
    QVERIFY(secrets.fromEnvironment(SecretName::cliApiToken));
    QVERIFY(secrets.fromEnvironment(SecretName::signingKey));
    QVERIFY(!secrets.fromEnvironment(SecretName::walletSealKey));
    // The rest still comes from the store.
    QCOMPARE(secrets.value(SecretName::walletSealKey), generated.value(SecretName::walletSealKey));

    // The environment is not written into the store.
    QCOMPARE(readNow(store, SecretName::cliApiToken).value,
             std::optional<QByteArray>(generated.cliApiToken()));
    QVERIFY(!readNow(store, SecretName::telegramBotToken).value);
    QFile file(store.filePath());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(!file.readAll().contains(QByteArray("from-the-environment").toBase64()));

    // An empty variable does not override.
    QProcessEnvironment blank;
    blank.insert(u"CLI_API_TOKEN"_s, QString());
    Secrets again;
    QVERIFY(loadNow(store, blank, again));
    QCOMPARE(again.cliApiToken(), generated.cliApiToken());
    QVERIFY(!again.fromEnvironment(SecretName::cliApiToken));
}

void TestSecretStore::extraNames()
{
    SecretStore store(dataDir(), u"file"_s);
    const QString google = SecretName::oauthClientSecret(u"google"_s);
    QCOMPARE(google, u"oauth-google-client-secret"_s);
    QCOMPARE(writeNow(store, google, "g-secret"), QString());
    Secrets secrets;
    QVERIFY(loadNow(store, QProcessEnvironment(), secrets, {google, u"unknown-extra"_s}));
    QCOMPARE(secrets.value(google), QByteArray("g-secret"));
    QVERIFY(secrets.value(u"unknown-extra"_s).isEmpty()); // not generated
    QVERIFY(!readNow(store, u"unknown-extra"_s).value);

    // Secrets can be replaced at run time (the console does this).
    secrets.set(google, "rotated");
    QCOMPARE(secrets.value(google), QByteArray("rotated"));
}

QTEST_GUILESS_MAIN(TestSecretStore)
#include "tst_secretstore.moc"
