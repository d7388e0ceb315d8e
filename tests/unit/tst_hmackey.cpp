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
