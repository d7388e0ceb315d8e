// SPDX-License-Identifier: GPL-3.0-or-later
// Pbkdf2Hash: PBKDF2-HMAC-SHA256 against published vectors and Python's hashlib, and the
// stored form against passlib's pbkdf2_sha256 (hashes made by passlib 1.7.4).
#include "crypto/passwordhasher.h"
#include "crypto/pbkdf2hash.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {
// passlib: pbkdf2_sha256.using(rounds=10000, salt=b"tYkq3-ambrosia-secret" + user id)
// .hash("1234"): what Ambrosia's PIN 1234 of that user becomes here.
const QString kPasslibAmbrosia =
    u"$pbkdf2-sha256$10000$dFlrcTMtYW1icm9zaWEtc2VjcmV0NWYxYzJhOWUtNGI3ZC00YzFlLTlhM2ItMmQ2"
    u"ZjhlMGMxYTQ3$NiAEu57x87bvW8U1p1hXgMGkuLu7HvK9mWA54bQnoJc"_s;
// passlib: pbkdf2_sha256.using(rounds=29000, salt=bytes([0xfb,0xff,0x01,0x3e,0x7f]))
// .hash("correct horse"): its salt has both '.' (for '+') and '/'.
const QString kPasslibOddSalt =
    u"$pbkdf2-sha256$29000$./8BPn8$YPaRQpxyOIEpzZHw7sPbfY8IGMktGSPKh47/jeZymIM"_s;
} // namespace

class TestPbkdf2Hash : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void vectors_data();
    void vectors();
    void encodeAsPasslib();
    void verifyPasslib_data();
    void verifyPasslib();
    void refusesMalformed_data();
    void refusesMalformed();
    void passwordHasherDispatch();
};

void TestPbkdf2Hash::vectors_data()
{
    QTest::addColumn<QByteArray>("password");
    QTest::addColumn<QByteArray>("salt");
    QTest::addColumn<int>("iterations");
    QTest::addColumn<QByteArray>("hex");
    // RFC 7914 §11 (the PBKDF2-HMAC-SHA256 vectors of the scrypt RFC).
    QTest::newRow("RFC 7914 c=1") << "passwd"_ba
                                  << "salt"_ba << 1
                                  << "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c2"
                                     "0dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd50911"
                                     "2041d3a19783"_ba;
    QTest::newRow("RFC 7914 c=80000") << "Password"_ba
                                      << "NaCl"_ba << 80000
                                      << "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08"
                                         "876b34ab56a1d425a1225833549adb841b51c9b3176a272bdebba1"
                                         "d078478f62b397f33c8d"_ba;
    // RFC 6070's inputs with SHA-256, computed with Python's hashlib.pbkdf2_hmac.
    QTest::newRow("c=1") << "password"_ba
                         << "salt"_ba << 1
                         << "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b"_ba;
    QTest::newRow("c=2") << "password"_ba
                         << "salt"_ba << 2
                         << "ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43"_ba;
    QTest::newRow("c=4096")
        << "password"_ba
        << "salt"_ba << 4096
        << "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a"_ba;
    QTest::newRow("long, 40 bytes")
        << "passwordPASSWORDpassword"_ba
        << "saltSALTsaltSALTsaltSALTsaltSALTsalt"_ba << 4096
        << "348c89dbcbd32b2f32d814b8116e84cf2b17347ebc1800181c4e2a1fb8dd53e1c635518c7dac47e9"_ba;
    QTest::newRow("NUL bytes, 16 bytes") << QByteArray("pass\0word", 9) << QByteArray("sa\0lt", 5)
                                         << 4096 << "89b69d0516f829893c696226650a8687"_ba;
    // Ambrosia's SecurePinProcessor: PIN 1234, salt = secret + user id, 10,000 rounds
    // (hashlib.pbkdf2_hmac("sha256", b"1234", (secret + id).encode(), 10000)).
    QTest::newRow("Ambrosia PIN")
        << "1234"_ba
        << "tYkq3-ambrosia-secret5f1c2a9e-4b7d-4c1e-9a3b-2d6f8e0c1a47"_ba << 10000
        << QByteArray::fromBase64("NiAEu57x87bvW8U1p1hXgMGkuLu7HvK9mWA54bQnoJc=").toHex();
}

void TestPbkdf2Hash::vectors()
{
    QFETCH(QByteArray, password);
    QFETCH(QByteArray, salt);
    QFETCH(int, iterations);
    QFETCH(QByteArray, hex);
    const QByteArray derived =
        Pbkdf2Hash::derive(password, salt, iterations, int(QByteArray::fromHex(hex).size()));
    QCOMPARE(derived.toHex(), hex);
}

void TestPbkdf2Hash::encodeAsPasslib()
{
    const QByteArray salt = "tYkq3-ambrosia-secret5f1c2a9e-4b7d-4c1e-9a3b-2d6f8e0c1a47"_ba;
    const QByteArray hash = Pbkdf2Hash::derive("1234", salt, 10000);
    QCOMPARE(Pbkdf2Hash::encode(10000, salt, hash), kPasslibAmbrosia);
    const QByteArray odd("\xfb\xff\x01\x3e\x7f", 5);
    QCOMPARE(Pbkdf2Hash::encode(29000, odd, Pbkdf2Hash::derive("correct horse", odd, 29000)),
             kPasslibOddSalt);
}

void TestPbkdf2Hash::verifyPasslib_data()
{
    QTest::addColumn<QString>("stored");
    QTest::addColumn<QByteArray>("attempt");
    QTest::addColumn<bool>("expected");
    QTest::newRow("Ambrosia PIN") << kPasslibAmbrosia << "1234"_ba << true;
    QTest::newRow("wrong PIN") << kPasslibAmbrosia << "1235"_ba << false;
    QTest::newRow("PIN with a digit more") << kPasslibAmbrosia << "12345"_ba << false;
    QTest::newRow("empty attempt") << kPasslibAmbrosia << QByteArray() << false;
    QTest::newRow("odd salt") << kPasslibOddSalt << "correct horse"_ba << true;
    QTest::newRow("odd salt, wrong") << kPasslibOddSalt << "Correct horse"_ba << false;
}

void TestPbkdf2Hash::verifyPasslib()
{
    QFETCH(QString, stored);
    QFETCH(QByteArray, attempt);
    QFETCH(bool, expected);
    QCOMPARE(Pbkdf2Hash::verify(stored, attempt), expected);
}

void TestPbkdf2Hash::refusesMalformed_data()
{
    QTest::addColumn<QString>("stored");
    const QString p = u"$pbkdf2-sha256$"_s;
    const QString salt = u"dFlrcTMtYW1icm9zaWEtc2VjcmV0NWYxYzJhOWUtNGI3ZC00YzFlLTlhM2ItMmQ2"
                         u"ZjhlMGMxYTQ3"_s;
    const QString hash = u"NiAEu57x87bvW8U1p1hXgMGkuLu7HvK9mWA54bQnoJc"_s;
    QTest::newRow("prefix only") << p;
    QTest::newRow("no rounds") << p + u"$"_s + salt + u"$"_s + hash;
    QTest::newRow("rounds 0") << p + u"0$"_s + salt + u"$"_s + hash;
    QTest::newRow("rounds with i=") << p + u"i=10000$"_s + salt + u"$"_s + hash;
    QTest::newRow("rounds past the cap") << p + u"99999999$"_s + salt + u"$"_s + hash;
    QTest::newRow("rounds 9999") << p + u"9999$"_s + salt + u"$"_s + hash;
    QTest::newRow("empty salt") << p + u"10000$$"_s + hash;
    QTest::newRow("padded hash") << p + u"10000$"_s + salt + u"$"_s + hash + u"="_s;
    QTest::newRow("'+' instead of '.'") << p + u"10000$"_s + salt + u"$"_s + hash + u"+"_s;
    QTest::newRow("hash truncated") << p + u"10000$"_s + salt + u"$"_s + hash.chopped(4);
    QTest::newRow("extra field") << p + u"10000$"_s + salt + u"$"_s + hash + u"$x"_s;
    QTest::newRow("other digest") << u"$pbkdf2-sha512$10000$"_s + salt + u"$"_s + hash;
    QTest::newRow("upper-case tag") << u"$PBKDF2-SHA256$10000$"_s + salt + u"$"_s + hash;
}

void TestPbkdf2Hash::refusesMalformed()
{
    QFETCH(QString, stored);
    QVERIFY(!Pbkdf2Hash::verify(stored, "1234"));
    QVERIFY(!PasswordHasher::verify(stored, "1234"));
}

// PasswordHasher::verify takes the imported form as it takes argon2id.
void TestPbkdf2Hash::passwordHasherDispatch()
{
    QVERIFY(Pbkdf2Hash::isEncoded(kPasslibAmbrosia));
    QVERIFY(PasswordHasher::verify(kPasslibAmbrosia, "1234"));
    QVERIFY(!PasswordHasher::verify(kPasslibAmbrosia, "4321"));
    QVERIFY(!Pbkdf2Hash::isEncoded(PasswordHasher::hash("1234")));
}

QTEST_GUILESS_MAIN(TestPbkdf2Hash)
#include "tst_pbkdf2hash.moc"
