// SPDX-License-Identifier: GPL-3.0-or-later
// SigningKeys against a real SQLite database: tokens verify against the published JWKS
// for both algorithms, rotation keeps the old key for the overlap window and drops it
// after, the private key is stored sealed only, a second instance on the same database
// follows a rotation, and a wrong sealing key is refused cleanly.
#include "config/secrets.h"
#include "crypto/aead.h"
#include "crypto/base64url.h"
#include "crypto/digest.h"
#include "crypto/jws.h"
#include "oidc/signingkeys.h"
#include "refusal.h"
#include "storage/database.h"
#include "storage/storageerror.h"
#include "tempdatabase.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTest>
#include <QThread>
#include <memory>

using namespace Qt::StringLiterals;

namespace {
constexpr qint64 kStart = 1'790'000'000'000;
using Alg = SigningKeys::Algorithm;
const QStringList kPrivateMembers = {u"d"_s,  u"p"_s,  u"q"_s, u"dp"_s,
                                     u"dq"_s, u"qi"_s, u"k"_s, u"oth"_s};

QStringList kids(const QJsonObject &jwks)
{
    QStringList out;
    for (const QJsonValue &key : jwks.value(u"keys").toArray())
        out << key.toObject().value(u"kid").toString();
    return out;
}

QString kidOf(const QByteArray &token)
{
    return Jws::keyId(token);
}

const QJsonObject kPayload{{u"sub"_s, u"user-1"_s}, {u"aud"_s, u"client"_s}};
} // namespace

class TestSigningKeys : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void privateJwkRoundTrip_data();
    void privateJwkRoundTrip();
    void signedTokenVerifiesAgainstJwks_data();
    void signedTokenVerifiesAgainstJwks();
    void oneCurrentKeyPerAlgorithm();
    void rotationKeepsTheOldKeyPublished();
    void overlapEndsAndPurgeDropsTheOldKey();
    void overlapFollowsTheSetting();
    void storedRowHoldsNoPrivateParameter();
    void secondInstanceSeesRotation();
    void wrongSealKeyIsRefused();
    void concurrentFirstUseMakesOneKey();
    void databaseRefusesTwoCurrentKeys();

private:
    std::unique_ptr<SigningKeys> keysOn(const Database &db, const Secrets &secrets)
    {
        return std::make_unique<SigningKeys>(db, m_fixture->clock(), secrets);
    }
    int currentRows(const QString &alg);

    std::unique_ptr<TempDatabase> m_fixture;
    Secrets m_secrets;
    std::unique_ptr<SigningKeys> m_keys;
};

void TestSigningKeys::init()
{
    m_fixture = std::make_unique<TempDatabase>(kStart);
    m_secrets.set(SecretName::walletSealKey, QByteArray(32, 'k'));
    m_keys = keysOn(m_fixture->db(), m_secrets);
}

void TestSigningKeys::cleanup()
{
    m_keys.reset();
    m_fixture.reset();
}

int TestSigningKeys::currentRows(const QString &alg)
{
    Sql q(m_fixture->db(), u"SELECT COUNT(*) AS n FROM oidc_keys WHERE alg = :alg "
                           u"AND retired_at = 0"_s);
    q.bind(u":alg"_s, alg).exec().next();
    return q.value(u"n"_s).toInt();
}

void TestSigningKeys::privateJwkRoundTrip_data()
{
    QTest::addColumn<Alg>("alg");
    QTest::newRow("RS256") << Alg::RS256;
    QTest::newRow("ES256") << Alg::ES256;
}

void TestSigningKeys::privateJwkRoundTrip()
{
    QFETCH(Alg, alg);
    const JwsSigner original = JwsSigner::generate(alg, u"k1"_s);
    const QJsonObject priv = original.privateJwk();
    QVERIFY(priv.contains(u"d"));
    QCOMPARE(priv.contains(u"p"), alg == Alg::RS256);
    const auto back = JwsSigner::fromPrivateJwk(priv);
    QVERIFY(back);
    QCOMPARE(back->publicJwk(), original.publicJwk());
    const QJsonObject jwks{{u"keys"_s, QJsonArray{original.publicJwk()}}};
    QVERIFY(Jws::verify(back->sign(kPayload), jwks).ok());
}

void TestSigningKeys::signedTokenVerifiesAgainstJwks_data()
{
    privateJwkRoundTrip_data();
}

void TestSigningKeys::signedTokenVerifiesAgainstJwks()
{
    QFETCH(Alg, alg);
    const QByteArray token = m_keys->sign(kPayload, alg);
    const QJsonObject jwks = m_keys->jwks();
    const auto verified = Jws::verify(token, jwks);
    QVERIFY2(verified.ok(), qPrintable(verified.error()));
    QCOMPARE(verified->payload, kPayload);
    QCOMPARE(verified->header.value(u"alg").toString(),
             alg == Alg::RS256 ? u"RS256"_s : u"ES256"_s);
    QCOMPARE(verified->header.value(u"typ").toString(), u"JWT"_s);
    QVERIFY(kids(jwks).contains(kidOf(token)));
    for (const QJsonValue &key : jwks.value(u"keys").toArray()) {
        const QJsonObject jwk = key.toObject();
        QCOMPARE(jwk.value(u"use").toString(), u"sig"_s);
        for (const QString &member : kPrivateMembers)
            QVERIFY2(!jwk.contains(member), qPrintable(member));
        if (jwk.value(u"kty") == u"RSA"_s) // 2048 bits at least
            QVERIFY(Base64Url::decode(jwk.value(u"n").toString().toLatin1())
                        .value_or(QByteArray())
                        .size() >= 256);
    }
    // A token from a key that is not ours does not verify against the set.
    const JwsSigner stranger = JwsSigner::generate(alg, kidOf(token));
    QVERIFY(!Jws::verify(stranger.sign(kPayload), jwks).ok());
}

void TestSigningKeys::oneCurrentKeyPerAlgorithm()
{
    const QString rsa = kidOf(m_keys->sign(kPayload, Alg::RS256));
    const QString ec = kidOf(m_keys->sign(kPayload, Alg::ES256));
    QVERIFY(rsa != ec);
    QCOMPARE(kidOf(m_keys->sign(kPayload, Alg::RS256)), rsa);
    m_fixture->clock().advanceSecs(60); // re-read from the table: the same keys
    QCOMPARE(kidOf(m_keys->sign(kPayload, Alg::ES256)), ec);
    QCOMPARE(kids(m_keys->jwks()).size(), 2);
    QCOMPARE(m_keys->list().size(), 2);
    QCOMPARE(currentRows(u"RS256"_s), 1);
    QCOMPARE(currentRows(u"ES256"_s), 1);
}

void TestSigningKeys::rotationKeepsTheOldKeyPublished()
{
    const QByteArray oldRsa = m_keys->sign(kPayload, Alg::RS256);
    const QByteArray oldEc = m_keys->sign(kPayload, Alg::ES256);
    m_fixture->clock().advanceSecs(10);
    const QList<SigningKeys::KeyInfo> fresh = m_keys->rotate();
    QCOMPARE(fresh.size(), 2);
    const QByteArray newRsa = m_keys->sign(kPayload, Alg::RS256);
    const QByteArray newEc = m_keys->sign(kPayload, Alg::ES256);
    QVERIFY(kidOf(newRsa) != kidOf(oldRsa));
    QVERIFY(kidOf(newEc) != kidOf(oldEc));
    QCOMPARE(QSet<QString>({kidOf(newRsa), kidOf(newEc)}),
             QSet<QString>({fresh[0].kid, fresh[1].kid}));
    const QJsonObject jwks = m_keys->jwks();
    QCOMPARE(kids(jwks).size(), 4);
    for (const QByteArray &token : {oldRsa, oldEc, newRsa, newEc})
        QVERIFY(Jws::verify(token, jwks).ok());
    for (const SigningKeys::KeyInfo &key : m_keys->list()) {
        const bool old = key.kid == kidOf(oldRsa) || key.kid == kidOf(oldEc);
        QCOMPARE(key.retiredAt, old ? kStart + 10'000 : 0);
        QCOMPARE(key.publishedUntil, old ? kStart + 10'000 + SigningKeys::kDefaultOverlapMs : 0);
    }
}

void TestSigningKeys::overlapEndsAndPurgeDropsTheOldKey()
{
    const QByteArray old = m_keys->sign(kPayload);
    (void)m_keys->jwks(); // makes the ES256 key too
    m_keys->rotate();
    QCOMPARE(m_keys->purgeRetired(), 0); // still in its overlap
    m_fixture->clock().advanceMs(SigningKeys::kDefaultOverlapMs - 1000);
    QVERIFY(kids(m_keys->jwks()).contains(kidOf(old)));
    m_fixture->clock().advanceSecs(2);
    const QJsonObject jwks = m_keys->jwks();
    QVERIFY(!kids(jwks).contains(kidOf(old))); // gone from the set before any purge
    QCOMPARE(kids(jwks).size(), 2);
    QVERIFY(!Jws::verify(old, jwks).ok());
    QCOMPARE(m_keys->list().size(), 4);
    QCOMPARE(m_keys->purgeRetired(), 2);
    QCOMPARE(m_keys->list().size(), 2);
    QVERIFY(Jws::verify(m_keys->sign(kPayload), m_keys->jwks()).ok());
}

void TestSigningKeys::overlapFollowsTheSetting()
{
    m_keys->setOverlapMs(3'600'000);
    const QString old = kidOf(m_keys->sign(kPayload));
    (void)m_keys->jwks();
    m_keys->rotate();
    m_fixture->clock().advanceSecs(3599);
    QVERIFY(kids(m_keys->jwks()).contains(old));
    m_fixture->clock().advanceSecs(2);
    QVERIFY(!kids(m_keys->jwks()).contains(old));
    QCOMPARE(m_keys->purgeRetired(), 2);
}

void TestSigningKeys::storedRowHoldsNoPrivateParameter()
{
    m_keys->sign(kPayload, Alg::RS256);
    m_keys->sign(kPayload, Alg::ES256);
    Sql q(m_fixture->db(), u"SELECT kid, alg, public_jwk, sealed_private_jwk FROM oidc_keys"_s);
    q.exec();
    int rows = 0;
    const QByteArray sealKey =
        Digest::hmacSha256(QByteArray(32, 'k'), "gatehouse-oidc-signing-key-seal-v1");
    while (q.next()) {
        ++rows;
        const QString kid = q.value(u"kid"_s).toString();
        const QJsonObject pub =
            QJsonDocument::fromJson(q.value(u"public_jwk"_s).toString().toUtf8()).object();
        QCOMPARE(pub.value(u"kid").toString(), kid);
        for (const QString &member : kPrivateMembers)
            QVERIFY2(!pub.contains(member), qPrintable(member));
        // The sealed column opens (with the derived key and the kid) to the private JWK,
        // and none of its private numbers appears anywhere in the row in clear.
        const QString sealedText = q.value(u"sealed_private_jwk"_s).toString();
        const QByteArray sealed = QByteArray::fromBase64(sealedText.toLatin1());
        QVERIFY(!Aead::open(sealKey, sealed, "another-kid"));
        const auto plain = Aead::open(sealKey, sealed, kid.toUtf8());
        QVERIFY(plain);
        const QJsonObject priv = QJsonDocument::fromJson(*plain).object();
        QVERIFY(priv.contains(u"d"));
        const QString row = kid + q.value(u"alg"_s).toString() +
                            q.value(u"public_jwk"_s).toString() + sealedText +
                            QString::fromLatin1(sealed);
        for (const QString &member : kPrivateMembers)
            if (priv.contains(member))
                QVERIFY2(!row.contains(priv.value(member).toString()), qPrintable(member));
    }
    QCOMPARE(rows, 2);
}

void TestSigningKeys::secondInstanceSeesRotation()
{
    Database other(*DatabaseUrl::parse(u"sqlite:"_s + m_fixture->path(u"g.db"_s)));
    QVERIFY(other.open().ok());
    const auto second = keysOn(other, m_secrets);
    const QString first = kidOf(m_keys->sign(kPayload));
    QCOMPARE(kidOf(second->sign(kPayload)), first); // the same key, not one of its own
    const QString rotated = second->rotate().first().kid;
    // The first instance's copy is fresh for a few seconds, then it reads the table.
    QCOMPARE(kidOf(m_keys->sign(kPayload)), first);
    m_fixture->clock().advanceMs(SigningKeys::kFreshMs);
    const QByteArray token = m_keys->sign(kPayload);
    QCOMPARE(kidOf(token), rotated);
    QVERIFY(kids(m_keys->jwks()).contains(first));
    QVERIFY(Jws::verify(token, second->jwks()).ok());
}

void TestSigningKeys::wrongSealKeyIsRefused()
{
    const QString kid = kidOf(m_keys->sign(kPayload));
    Secrets wrong;
    wrong.set(SecretName::walletSealKey, QByteArray(32, 'x'));
    const auto other = keysOn(m_fixture->db(), wrong);
    try {
        (void)other->sign(kPayload);
        QFAIL("signed with a key it could not open");
    } catch (const Refusal &refusal) {
        QCOMPARE(refusal.kind, Refusal::Kind::NotConfigured);
        QVERIFY2(refusal.message.contains(kid), qPrintable(refusal.message));
        QVERIFY2(refusal.message.contains(u"wallet-seal-key"), qPrintable(refusal.message));
    }
    // The public side still answers, and no second current key was made.
    QVERIFY(kids(other->jwks()).contains(kid));
    QCOMPARE(currentRows(u"RS256"_s), 1);
    QCOMPARE(currentRows(u"ES256"_s), 0); // nothing new sealed under the wrong key
    QVERIFY_THROWS_EXCEPTION(Refusal, other->rotate());
    QCOMPARE(kidOf(m_keys->sign(kPayload)), kid);
    Secrets none;
    const auto unloaded = keysOn(m_fixture->db(), none);
    QVERIFY_THROWS_EXCEPTION(Refusal, (void)unloaded->sign(kPayload));
}

void TestSigningKeys::concurrentFirstUseMakesOneKey()
{
    Database other(*DatabaseUrl::parse(u"sqlite:"_s + m_fixture->path(u"g.db"_s)));
    QVERIFY(other.open().ok());
    const auto second = keysOn(other, m_secrets);
    QStringList got(2);
    QList<QThread *> threads = {
        QThread::create([&] { got[0] = kidOf(m_keys->sign(kPayload)); }),
        QThread::create([&] { got[1] = kidOf(second->sign(kPayload)); }),
    };
    for (QThread *t : threads)
        t->start();
    for (QThread *t : threads) {
        QVERIFY(t->wait(60'000));
        delete t;
    }
    QVERIFY(!got[0].isEmpty());
    QCOMPARE(got[1], got[0]);
    QCOMPARE(currentRows(u"RS256"_s), 1);
}

void TestSigningKeys::databaseRefusesTwoCurrentKeys()
{
    m_keys->sign(kPayload);
    QVERIFY_THROWS_EXCEPTION(StorageError, m_fixture->db().write([&] {
        Sql(m_fixture->db(), u"INSERT INTO oidc_keys (kid, alg, public_jwk, sealed_private_jwk, "
                             u"created_at, retired_at) VALUES ('x', 'RS256', '{}', '', 1, 0)"_s)
            .exec();
    }));
}

QTEST_GUILESS_MAIN(TestSigningKeys)
#include "tst_signingkeys.moc"
