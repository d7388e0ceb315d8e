// SPDX-License-Identifier: GPL-3.0-or-later
// PasswordHasher: argon2id with the OWASP parameters, salted; origin argon2 hashes (any
// parameters) verify and need a re-hash; nothing else is accepted.
#include "crypto/passwordhasher.h"

#include <QElapsedTimer>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
// Made once with libsodium's crypto_pwhash_str_alg outside Gatehouse for "correct horse".
const QString kStoredArgon2id = u"$argon2id$v=19$m=19456,t=2,p=1$E7YMCEpuB/puujvvIrbZ/"
                                u"w$EjUunkcrCgflKrIKi0NZTzdE3C50P6zLbIoNhlI/r54"_s;
// A valid argon2i (not id) hash of the same password: libsodium itself accepts it, and so
// does verify() since origin imports (docs/migrating.md); it always needs a re-hash.
const QString kStoredArgon2i =
    u"$argon2i$v=19$m=19456,t=3,p=1$M7cED7G6TNJdM+YwRX4fyw$VxFlTJB+EddMn4CTVlx9N+"
    u"A8bWBjNWDJoGLelCwLWnk"_s;
// Made by Debian's python3-passlib 1.7.4 (argon2-cffi backend) for "correct horse": the
// first exactly as lightnovel-crawler calls it (CryptContext(schemes=["argon2"]): m=100 MiB,
// p=8, a 16-byte hash), the others with argon2.using(type=…, memory_cost, rounds, parallelism).
const QString kPasslibDefault = u"$argon2id$v=19$m=102400,t=2,p=8$O8e4955zLmVszfk/B0AIYQ$"
                                u"HgAfopPHkjYeAPN5thag0g"_s;
const QString kPasslibArgon2i =
    u"$argon2i$v=19$m=8192,t=3,p=2$kNLaWyuF0LqXsnZOyRkjJA$CYhij5DYEhMjqug07eLx3w"_s;
const QString kPasslibOurParams =
    u"$argon2id$v=19$m=19456,t=2,p=1$XIvxnnOu1TrH+J+TktL6vw$l1ZUnlXfCHydtBG/AA8XqA"_s;
} // namespace

class TestPasswordHasher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void parameters();
    void verifyOwnHash_data();
    void verifyOwnHash();
    void verifyStoredHash();
    void verifyOriginHash_data();
    void verifyOriginHash();
    void needsRehash_data();
    void needsRehash();
    void refusesOtherFormats_data();
    void refusesOtherFormats();
    void salted();
    void timing();

private:
    QString m_hash; // of "correct horse", made once
};

void TestPasswordHasher::initTestCase()
{
    m_hash = PasswordHasher::hash("correct horse");
}

void TestPasswordHasher::parameters()
{
    QVERIFY2(m_hash.startsWith(u"$argon2id$v=19$m=19456,t=2,p=1$"), qPrintable(m_hash));
    const QStringList parts = m_hash.split(u'$');
    QCOMPARE(parts.size(), 6);     // "", argon2id, v=19, params, salt, hash
    QCOMPARE(parts[4].size(), 22); // 16-byte salt, unpadded base64
    QCOMPARE(parts[5].size(), 43); // 32-byte hash
}

void TestPasswordHasher::verifyOwnHash_data()
{
    QTest::addColumn<QByteArray>("attempt");
    QTest::addColumn<bool>("expected");
    QTest::newRow("right") << QByteArray("correct horse") << true;
    QTest::newRow("wrong") << QByteArray("battery staple") << false;
    QTest::newRow("case differs") << QByteArray("Correct horse") << false;
    QTest::newRow("trailing space") << QByteArray("correct horse ") << false;
    QTest::newRow("prefix") << QByteArray("correct hors") << false;
    QTest::newRow("empty") << QByteArray() << false;
}

void TestPasswordHasher::verifyOwnHash()
{
    QFETCH(QByteArray, attempt);
    QFETCH(bool, expected);
    QCOMPARE(PasswordHasher::verify(m_hash, attempt), expected);
}

void TestPasswordHasher::verifyStoredHash()
{
    QVERIFY(PasswordHasher::verify(kStoredArgon2id, "correct horse"));
    QVERIFY(!PasswordHasher::verify(kStoredArgon2id, "correct horsE"));
    // Non-ASCII secrets are bytes; the same bytes verify.
    const QString unicode = PasswordHasher::hash(u"пароль ✓"_s.toUtf8());
    QVERIFY(PasswordHasher::verify(unicode, u"пароль ✓"_s.toUtf8()));
    QVERIFY(!PasswordHasher::verify(unicode, "??????"));
    const QString empty = PasswordHasher::hash(QByteArray());
    QVERIFY(PasswordHasher::verify(empty, QByteArray()));
    QVERIFY(!PasswordHasher::verify(empty, "x"));
}

void TestPasswordHasher::verifyOriginHash_data()
{
    QTest::addColumn<QString>("stored");
    QTest::newRow("libsodium argon2i") << kStoredArgon2i;
    QTest::newRow("passlib default (lncrawl)") << kPasslibDefault;
    QTest::newRow("passlib argon2i p=2") << kPasslibArgon2i;
    QTest::newRow("passlib argon2id our m,t,p") << kPasslibOurParams;
}

void TestPasswordHasher::verifyOriginHash()
{
    QFETCH(QString, stored);
    QVERIFY(PasswordHasher::verify(stored, "correct horse"));
    QVERIFY(!PasswordHasher::verify(stored, "correct horsE"));
    QVERIFY(!PasswordHasher::verify(stored, QByteArray()));
}

void TestPasswordHasher::needsRehash_data()
{
    QTest::addColumn<QString>("stored");
    QTest::addColumn<bool>("expected");
    QTest::newRow("ours, stored") << kStoredArgon2id << false;
    QTest::newRow("passlib default (lncrawl)") << kPasslibDefault << true;
    QTest::newRow("argon2i, our m") << kStoredArgon2i << true;
    QTest::newRow("passlib argon2i") << kPasslibArgon2i << true;
    QTest::newRow("t=3") << QString(kStoredArgon2id).replace(u"t=2"_s, u"t=3"_s) << true;
    QTest::newRow("m=65536") << QString(kStoredArgon2id).replace(u"m=19456"_s, u"m=65536"_s)
                             << true;
    QTest::newRow("garbage") << u"$argon2id$v=19$garbage"_s << true;
    QTest::newRow("bcrypt") << u"$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"_s
                            << true;
    QTest::newRow("empty") << QString() << true;
}

void TestPasswordHasher::needsRehash()
{
    QFETCH(QString, stored);
    QFETCH(bool, expected);
    QCOMPARE(PasswordHasher::needsRehash(stored), expected);
}

void TestPasswordHasher::refusesOtherFormats_data()
{
    QTest::addColumn<QString>("stored");
    QTest::newRow("argon2i uppercased tag")
        << QString(kStoredArgon2i).replace(u"argon2i"_s, u"ARGON2I"_s);
    QTest::newRow("argon2id uppercased tag")
        << QString(kStoredArgon2id).replace(u"argon2id"_s, u"ARGON2ID"_s);
    QTest::newRow("bcrypt") << u"$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"_s;
    QTest::newRow("plaintext equal to the password") << u"correct horse"_s;
    QTest::newRow("sha256 hex")
        << u"c0f6c3b33b9d7bd1b4a6ecee4c4ea8a6bc1f1e1f9e1b3e6b1b0f5b8b9a2c0d3e"_s;
    QTest::newRow("empty") << QString();
    QTest::newRow("argon2id prefix only") << u"$argon2id$"_s;
    QTest::newRow("argon2id garbage") << u"$argon2id$v=19$m=19456,t=2,p=1$garbage"_s;
    QTest::newRow("argon2id hash truncated") << kStoredArgon2id.chopped(5);
}

void TestPasswordHasher::refusesOtherFormats()
{
    QFETCH(QString, stored);
    QVERIFY(!PasswordHasher::verify(stored, "correct horse"));
}

void TestPasswordHasher::salted()
{
    QVERIFY(!PasswordHasher::needsRehash(m_hash));
    const QString again = PasswordHasher::hash("correct horse");
    QVERIFY(again != m_hash);
    QVERIFY(again.section(u'$', 4, 4) != m_hash.section(u'$', 4, 4)); // the salts differ
    QVERIFY(PasswordHasher::verify(again, "correct horse"));
}

void TestPasswordHasher::timing()
{
    QElapsedTimer timer;
    timer.start();
    const QString h = PasswordHasher::hash("timing");
    const qint64 hashMs = timer.restart();
    QVERIFY(PasswordHasher::verify(h, "timing"));
    const qint64 verifyMs = timer.restart();
    PasswordHasher::verifyDummy("timing");
    PasswordHasher::verifyDummy("timing"); // the first call also makes the dummy hash
    const qint64 dummyMs = timer.elapsed();
    qInfo("argon2id m=19 MiB t=2 p=1: hash %lld ms, verify %lld ms, verifyDummy %lld ms (2 calls)",
          hashMs, verifyMs, dummyMs);
    // Deliberately slow: far from a fast hash even on a quick machine.
    QVERIFY2(hashMs >= 2, "argon2id finished suspiciously fast");
}

QTEST_GUILESS_MAIN(TestPasswordHasher)
#include "tst_passwordhasher.moc"
