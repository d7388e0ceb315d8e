// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/totp.h"

#include <QtTest>

using namespace Qt::StringLiterals;

// Known answers from the RFCs: RFC 4226 Appendix D (HOTP) and RFC 6238 Appendix B (TOTP,
// with its 20-, 32- and 64-byte seeds for SHA-1, SHA-256 and SHA-512).
class TestTotp : public QObject
{
    Q_OBJECT
private slots:
    void hotpVectors_data();
    void hotpVectors();
    void totpVectors_data();
    void totpVectors();
    void matchingStepWindow();
    void matchingStepRejectsMalformed();
    void base32RoundTrip_data();
    void base32RoundTrip();
    void base32Rejects();
};

namespace {
const QByteArray kSeed20 = "12345678901234567890"_ba;
const QByteArray kSeed32 = "12345678901234567890123456789012"_ba;
const QByteArray kSeed64 = "1234567890123456789012345678901234567890123456789012345678901234"_ba;
} // namespace

void TestTotp::hotpVectors_data()
{
    QTest::addColumn<quint64>("counter");
    QTest::addColumn<QString>("code");
    const char *codes[] = {"755224", "287082", "359152", "969429", "338314",
                           "254676", "287922", "162583", "399871", "520489"};
    for (quint64 i = 0; i < 10; ++i)
        QTest::addRow("count %llu", i) << i << QString::fromLatin1(codes[i]);
}

void TestTotp::hotpVectors()
{
    QFETCH(quint64, counter);
    QFETCH(QString, code);
    QCOMPARE(Totp::hotp(kSeed20, counter), code);
}

void TestTotp::totpVectors_data()
{
    QTest::addColumn<qint64>("time");
    QTest::addColumn<int>("hash");
    QTest::addColumn<QString>("code");
    struct Row
    {
        qint64 time;
        const char *sha1, *sha256, *sha512;
    };
    const Row rows[] = {
        {59, "94287082", "46119246", "90693936"},
        {1111111109, "07081804", "68084774", "25091201"},
        {1111111111, "14050471", "67062674", "99943326"},
        {1234567890, "89005924", "91819424", "93441116"},
        {2000000000, "69279037", "90698825", "38618901"},
        {20000000000, "65353130", "77737706", "47863826"},
    };
    for (const Row &r : rows) {
        QTest::addRow("%lld SHA1", r.time)
            << r.time << int(Totp::Hash::Sha1) << QString::fromLatin1(r.sha1);
        QTest::addRow("%lld SHA256", r.time)
            << r.time << int(Totp::Hash::Sha256) << QString::fromLatin1(r.sha256);
        QTest::addRow("%lld SHA512", r.time)
            << r.time << int(Totp::Hash::Sha512) << QString::fromLatin1(r.sha512);
    }
}

void TestTotp::totpVectors()
{
    QFETCH(qint64, time);
    QFETCH(int, hash);
    QFETCH(QString, code);
    const auto h = Totp::Hash(hash);
    const QByteArray &seed =
        h == Totp::Hash::Sha1 ? kSeed20 : (h == Totp::Hash::Sha256 ? kSeed32 : kSeed64);
    QCOMPARE(Totp::at(seed, time, 8, h), code);
    // The 6-digit code is the same value's last six digits.
    QCOMPARE(Totp::at(seed, time, 6, h), code.right(6));
}

void TestTotp::matchingStepWindow()
{
    const qint64 t = 1111111111; // step 37037037
    const quint64 now = Totp::step(t);
    QCOMPARE(now, quint64(37037037));
    QCOMPARE(Totp::matchingStep(kSeed20, Totp::at(kSeed20, t), t), now);
    QCOMPARE(Totp::matchingStep(kSeed20, Totp::at(kSeed20, t - 30), t), now - 1);
    QCOMPARE(Totp::matchingStep(kSeed20, Totp::at(kSeed20, t + 30), t), now + 1);
    // Two steps away: refused.
    QVERIFY(!Totp::matchingStep(kSeed20, Totp::at(kSeed20, t - 60), t));
    QVERIFY(!Totp::matchingStep(kSeed20, Totp::at(kSeed20, t + 60), t));
    QVERIFY(!Totp::matchingStep("another key"_ba, Totp::at(kSeed20, t), t));
}

void TestTotp::matchingStepRejectsMalformed()
{
    const qint64 t = 1234567890;
    const QString code = Totp::at(kSeed20, t);
    QVERIFY(!Totp::matchingStep(kSeed20, code + u"0"_s, t));
    QVERIFY(!Totp::matchingStep(kSeed20, code.left(5), t));
    QVERIFY(!Totp::matchingStep(kSeed20, u"12a456"_s, t));
    QVERIFY(!Totp::matchingStep(kSeed20, QString(), t));
}

void TestTotp::base32RoundTrip_data()
{
    // RFC 4648 §10 vectors, without padding.
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QByteArray() << QString();
    QTest::newRow("f") << "f"_ba << u"MY"_s;
    QTest::newRow("fo") << "fo"_ba << u"MZXQ"_s;
    QTest::newRow("foo") << "foo"_ba << u"MZXW6"_s;
    QTest::newRow("foob") << "foob"_ba << u"MZXW6YQ"_s;
    QTest::newRow("fooba") << "fooba"_ba << u"MZXW6YTB"_s;
    QTest::newRow("foobar") << "foobar"_ba << u"MZXW6YTBOI"_s;
    QTest::newRow("seed") << kSeed20 << u"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"_s;
}

void TestTotp::base32RoundTrip()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, text);
    QCOMPARE(Totp::base32(bytes), text);
    QCOMPARE(Totp::fromBase32(text), std::optional(bytes));
    QCOMPARE(Totp::fromBase32(text.toLower()), std::optional(bytes));
}

void TestTotp::base32Rejects()
{
    QVERIFY(!Totp::fromBase32(u"MZXW1"_s)); // 1 is not in the alphabet
    QVERIFY(!Totp::fromBase32(u"MZ-W6"_s));
    QVERIFY(!Totp::fromBase32(u"MZXWé"_s));
    QCOMPARE(Totp::fromBase32(u"MZXW 6YQ="_s), std::optional("foob"_ba));
}

QTEST_GUILESS_MAIN(TestTotp)
#include "tst_totp.moc"
