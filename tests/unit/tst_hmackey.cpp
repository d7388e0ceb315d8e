// SPDX-License-Identifier: GPL-3.0-or-later
// HmacKey: a prepared HMAC-SHA256 key gives exactly Digest::hmacSha256's bytes (keys
// shorter and longer than SHA-256's block, empty keys and data, on several threads at
// once), and Jwt's purpose keys, kept per master key value, follow a changed secret: a
// token signed under the old value never verifies under the new one, and back.
#include "config/secrets.h"
#include "crypto/digest.h"
#include "crypto/hmackey.h"
#include "crypto/jwt.h"

#include <QTest>
#include <atomic>
#include <thread>
#include <vector>

using namespace Qt::StringLiterals;

namespace {
constexpr qint64 kNow = 1'790'000'000;
} // namespace

class TstHmacKey : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void macEqualsOneShotHmac_data();
    void macEqualsOneShotHmac();
    void rfc4231Vectors_data();
    void rfc4231Vectors();
    void concurrentMacsAgree();
    void purposeKeyIsTheDocumentedDerivation();
    void purposeKeysFollowTheSecretValue();
    void secretsSetForgetsPurposeKeys();
};

void TstHmacKey::macEqualsOneShotHmac_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("data");
    QTest::newRow("empty key, empty data") << QByteArray() << QByteArray();
    QTest::newRow("short key") << QByteArray("k") << QByteArray("header.payload");
    QTest::newRow("32-byte key") << QByteArray(32, '\x5a') << QByteArray(1000, 'd');
    QTest::newRow("block-size key") << QByteArray(64, '\x01') << QByteArray("x");
    QTest::newRow("key longer than a block") << QByteArray(200, '\xff') << QByteArray(65, '\0');
}

void TstHmacKey::macEqualsOneShotHmac()
{
    QFETCH(QByteArray, key);
    QFETCH(QByteArray, data);
    const HmacKey prepared(key);
    QCOMPARE(prepared.mac(data), Digest::hmacSha256(key, data));
    QCOMPARE(prepared.mac(data), Digest::hmacSha256(key, data)); // the template is unchanged
}

// RFC 4231 section 4: test cases 1, 2, 4, 6 and 7 (keys of 20, 4, 25 and 131 bytes).
void TstHmacKey::rfc4231Vectors_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QByteArray>("mac");
    QTest::newRow("1") << QByteArray(20, '\x0b') << QByteArray("Hi There")
                       << "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"_ba;
    QTest::newRow("2") << "Jefe"_ba
                       << "what do ya want for nothing?"_ba
                       << "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"_ba;
    QTest::newRow("4") << QByteArray::fromHex("0102030405060708090a0b0c0d0e0f10111213141516171819")
                       << QByteArray(50, '\xcd')
                       << "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"_ba;
    QTest::newRow("6") << QByteArray(131, '\xaa')
                       << "Test Using Larger Than Block-Size Key - Hash Key First"_ba
                       << "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"_ba;
    QTest::newRow("7")
        << QByteArray(131, '\xaa')
        << "This is a test using a larger than block-size key and a larger than block-size "
           "data. The key needs to be hashed before being used by the HMAC algorithm."_ba
        << "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"_ba;
}

void TstHmacKey::rfc4231Vectors()
{
    QFETCH(QByteArray, key);
    QFETCH(QByteArray, data);
    QFETCH(QByteArray, mac);
    QCOMPARE(HmacKey(key).mac(data).toHex(), mac);
}

void TstHmacKey::concurrentMacsAgree()
{
    const QByteArray key(32, '\x42');
    const HmacKey prepared(key);
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 2000; ++i) {
                const QByteArray data = QByteArray::number(t * 100000 + i);
                if (prepared.mac(data) != Digest::hmacSha256(key, data))
                    ++wrong;
            }
        });
    for (std::thread &thread : threads)
        thread.join();
    QCOMPARE(wrong.load(), 0);
}

void TstHmacKey::purposeKeyIsTheDocumentedDerivation()
{
    const QByteArray master(32, '\x07');
    const auto key = HmacKey::forPurpose(master, u"login");
    const QByteArray derived = Digest::hmacSha256(master, "gatehouse-jwt:login");
    QCOMPARE(key->mac("data"), Digest::hmacSha256(derived, "data"));
    QCOMPARE(HmacKey::forPurpose(master, u"login").get(), key.get()); // derived once
    QVERIFY(HmacKey::forPurpose(master, u"reset")->mac("data") != key->mac("data"));
}

void TstHmacKey::purposeKeysFollowTheSecretValue()
{
    const QByteArray oldKey(32, 'a');
    const QByteArray newKey(32, 'b');
    const QJsonObject claims{{u"sub"_s, u"u1"_s}, {u"exp"_s, kNow + 60}};
    const QByteArray underOld = Jwt(oldKey, u"login").sign(claims);
    QVERIFY(Jwt(oldKey, u"login").verify(underOld, kNow).ok());
    QVERIFY(!Jwt(newKey, u"login").verify(underOld, kNow).ok()); // the secret changed
    const QByteArray underNew = Jwt(newKey, u"login").sign(claims);
    QVERIFY(Jwt(newKey, u"login").verify(underNew, kNow).ok());
    QVERIFY(!Jwt(oldKey, u"login").verify(underNew, kNow).ok()); // and back
    QVERIFY(Jwt(oldKey, u"login").verify(underOld, kNow).ok());
}

void TstHmacKey::secretsSetForgetsPurposeKeys()
{
    const QByteArray master(32, 'c');
    const auto before = HmacKey::forPurpose(master, u"login");
    Secrets secrets;
    secrets.set(SecretName::signingKey, QByteArray(32, 'd'));
    const auto after = HmacKey::forPurpose(master, u"login");
    QVERIFY(after.get() != before.get()); // derived anew: the kept keys were dropped
    QCOMPARE(after->mac("x"), before->mac("x"));
}

QTEST_GUILESS_MAIN(TstHmacKey)
#include "tst_hmackey.moc"
