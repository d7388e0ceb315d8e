// SPDX-License-Identifier: GPL-3.0-or-later
// Digest and Random against published vectors: FIPS 180-2 (SHA-256) and RFC 4231
// (HMAC-SHA256), plus the properties the rest of the code relies on.
#include "crypto/digest.h"
#include "crypto/random.h"

#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;

class TestCrypto : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sha256_data();
    void sha256();
    void hmacSha256_data();
    void hmacSha256();
    void equal_data();
    void equal();
    void tokenHash();
    void randomBytes_data();
    void randomBytes();
    void randomBytesDiffer();
    void digits_data();
    void digits();
    void digitsCoverEveryDigit();
    void uniform_data();
    void uniform();
    void uniformCoversSmallRanges();
    void urlToken_data();
    void urlToken();
};

void TestCrypto::sha256_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QByteArray>("hex");
    // FIPS 180-2, Appendix B.1 and B.2; the empty message from NIST's example values.
    QTest::newRow("abc") << QByteArray("abc")
                         << QByteArray(
                                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    QTest::newRow("empty")
        << QByteArray()
        << QByteArray("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    QTest::newRow("448-bit")
        << QByteArray("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        << QByteArray("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

void TestCrypto::sha256()
{
    QFETCH(QByteArray, message);
    QFETCH(QByteArray, hex);
    const QByteArray digest = Digest::sha256(message);
    QCOMPARE(digest.size(), 32);
    QCOMPARE(digest.toHex(), hex);
}

void TestCrypto::hmacSha256_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QByteArray>("hex"); // may be truncated (test case 5)

    QByteArray key4;
    for (char c = 0x01; c <= 0x19; ++c)
        key4.append(c);

    // RFC 4231, section 4.
    QTest::newRow("rfc4231 case 1")
        << QByteArray(20, '\x0b') << QByteArray("Hi There")
        << QByteArray("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    QTest::newRow("rfc4231 case 2")
        << QByteArray("Jefe") << QByteArray("what do ya want for nothing?")
        << QByteArray("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    QTest::newRow("rfc4231 case 3")
        << QByteArray(20, '\xaa') << QByteArray(50, '\xdd')
        << QByteArray("773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
    QTest::newRow("rfc4231 case 4")
        << key4 << QByteArray(50, '\xcd')
        << QByteArray("82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
    QTest::newRow("rfc4231 case 5 (truncated to 128 bits)")
        << QByteArray(20, '\x0c') << QByteArray("Test With Truncation")
        << QByteArray("a3b6167473100ee06e0c796c2955552b");
    QTest::newRow("rfc4231 case 6")
        << QByteArray(131, '\xaa')
        << QByteArray("Test Using Larger Than Block-Size Key - Hash Key First")
        << QByteArray("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    QTest::newRow("rfc4231 case 7")
        << QByteArray(131, '\xaa')
        << QByteArray("This is a test using a larger than block-size key and a larger than "
                      "block-size data. The key needs to be hashed before being used by the "
                      "HMAC algorithm.")
        << QByteArray("9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

void TestCrypto::hmacSha256()
{
    QFETCH(QByteArray, key);
    QFETCH(QByteArray, data);
    QFETCH(QByteArray, hex);
    const QByteArray mac = Digest::hmacSha256(key, data);
    QCOMPARE(mac.size(), 32);
    QCOMPARE(mac.toHex().left(hex.size()), hex);
}

void TestCrypto::equal_data()
{
    QTest::addColumn<QByteArray>("a");
    QTest::addColumn<QByteArray>("b");
    QTest::addColumn<bool>("expected");
    QTest::newRow("equal") << QByteArray("secret-token") << QByteArray("secret-token") << true;
    QTest::newRow("differ in last byte")
        << QByteArray("secret-token") << QByteArray("secret-tokeN") << false;
    QTest::newRow("differ in first byte") << QByteArray("xecret") << QByteArray("secret") << false;
    QTest::newRow("prefix") << QByteArray("secret") << QByteArray("secret-token") << false;
    QTest::newRow("longer") << QByteArray("secret-token!") << QByteArray("secret-token") << false;
    QTest::newRow("both empty") << QByteArray() << QByteArray("") << true;
    QTest::newRow("empty vs non-empty") << QByteArray() << QByteArray("a") << false;
    QTest::newRow("embedded NUL") << QByteArray("a\0b", 3) << QByteArray("a\0c", 3) << false;
}

void TestCrypto::equal()
{
    QFETCH(QByteArray, a);
    QFETCH(QByteArray, b);
    QFETCH(bool, expected);
    QCOMPARE(Digest::equal(a, b), expected);
    QCOMPARE(Digest::equal(b, a), expected);
}

void TestCrypto::tokenHash()
{
    QCOMPARE(Digest::tokenHash("abc"),
             u"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"_s);
}

void TestCrypto::randomBytes_data()
{
    QTest::addColumn<int>("count");
    for (int n : {0, 1, 16, 32, 64, 1000})
        QTest::addRow("%d", n) << n;
}

void TestCrypto::randomBytes()
{
    QFETCH(int, count);
    QCOMPARE(Random::bytes(count).size(), count);
}

void TestCrypto::randomBytesDiffer()
{
    QSet<QByteArray> seen;
    for (int i = 0; i < 100; ++i)
        seen.insert(Random::bytes(16));
    QCOMPARE(seen.size(), 100);
    // Not all zero (a generator that returns a zeroed buffer would pass the size test).
    QVERIFY(Random::bytes(32) != QByteArray(32, '\0'));
}

void TestCrypto::digits_data()
{
    QTest::addColumn<int>("count");
    for (int n : {0, 1, 6, 8, 64})
        QTest::addRow("%d", n) << n;
}

void TestCrypto::digits()
{
    QFETCH(int, count);
    for (int round = 0; round < 50; ++round) {
        const QString code = Random::digits(count);
        QCOMPARE(code.size(), count);
        for (QChar c : code)
            QVERIFY2(c >= u'0' && c <= u'9', qPrintable(code));
    }
}

void TestCrypto::digitsCoverEveryDigit()
{
    // 10 000 digits: each digit expected 1000 times; a biased or stuck generator
    // falls far outside [800, 1200] (that is > 6 standard deviations).
    const QString many = Random::digits(10000);
    int counts[10] = {};
    for (QChar c : many)
        ++counts[c.unicode() - u'0'];
    for (int d = 0; d < 10; ++d)
        QVERIFY2(counts[d] > 800 && counts[d] < 1200,
                 qPrintable(u"digit %1 appeared %2 times"_s.arg(d).arg(counts[d])));
}

void TestCrypto::uniform_data()
{
    QTest::addColumn<quint32>("bound");
    QTest::newRow("0") << quint32(0);
    QTest::newRow("1") << quint32(1);
    QTest::newRow("2") << quint32(2);
    QTest::newRow("7") << quint32(7);
    QTest::newRow("10") << quint32(10);
    QTest::newRow("1000") << quint32(1000);
    QTest::newRow("2^31+1") << quint32(0x80000001u);
    QTest::newRow("2^32-1") << quint32(0xFFFFFFFFu);
}

void TestCrypto::uniform()
{
    QFETCH(quint32, bound);
    for (int i = 0; i < 2000; ++i) {
        const quint32 v = Random::uniform(bound);
        if (bound < 2)
            QCOMPARE(v, 0u);
        else
            QVERIFY2(v < bound, qPrintable(QString::number(v)));
    }
}

void TestCrypto::uniformCoversSmallRanges()
{
    // Every value of a small range shows up, and the upper half of a large range too
    // (a generator that only returned small numbers would fail).
    QSet<quint32> seen;
    for (int i = 0; i < 500; ++i)
        seen.insert(Random::uniform(7));
    QCOMPARE(seen.size(), 7);
    bool high = false;
    for (int i = 0; i < 64 && !high; ++i)
        high = Random::uniform(0xFFFFFFFFu) > 0x80000000u;
    QVERIFY(high);
}

void TestCrypto::urlToken_data()
{
    QTest::addColumn<int>("bytes");
    QTest::addColumn<int>("length");
    QTest::newRow("1") << 1 << 2;
    QTest::newRow("16") << 16 << 22;
    QTest::newRow("24") << 24 << 32;
    QTest::newRow("32") << 32 << 43;
    QTest::newRow("48") << 48 << 64;
}

void TestCrypto::urlToken()
{
    QFETCH(int, bytes);
    QFETCH(int, length);
    for (int round = 0; round < 50; ++round) {
        const QString token = Random::urlToken(bytes);
        QCOMPARE(token.size(), length);
        for (QChar c : token) {
            const bool ok = (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z') ||
                            (c >= u'0' && c <= u'9') || c == u'-' || c == u'_';
            QVERIFY2(ok, qPrintable(token));
        }
        const auto decoded = QByteArray::fromBase64Encoding(
            token.toLatin1(),
            QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
        QVERIFY(decoded);
        QCOMPARE(decoded.decoded.size(), bytes);
    }
}

QTEST_GUILESS_MAIN(TestCrypto)
#include "tst_crypto.moc"
