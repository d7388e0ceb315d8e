// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/base58.h"
#include "crypto/random.h"

#include <QTest>

// Vectors from Bitcoin Core's src/test/data/base58_encode_decode.json.
class TestBase58 : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void knownVectors_data()
    {
        QTest::addColumn<QByteArray>("hex");
        QTest::addColumn<QByteArray>("encoded");
        QTest::newRow("empty") << QByteArray("") << QByteArray("");
        QTest::newRow("61") << QByteArray("61") << QByteArray("2g");
        QTest::newRow("626262") << QByteArray("626262") << QByteArray("a3gV");
        QTest::newRow("636363") << QByteArray("636363") << QByteArray("aPEr");
        QTest::newRow("simply a long string")
            << QByteArray("73696d706c792061206c6f6e6720737472696e67")
            << QByteArray("2cFupjhnEsSn59qHXstmK2ffpLv2");
        QTest::newRow("address") << QByteArray("00eb15231dfceb60925886b67d065299925915aeb172c06647")
                                 << QByteArray("1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L");
        QTest::newRow("516b6fcd0f") << QByteArray("516b6fcd0f") << QByteArray("ABnLTmg");
        QTest::newRow("bf4f89001e670274dd")
            << QByteArray("bf4f89001e670274dd") << QByteArray("3SEo3LWLoPntC");
        QTest::newRow("572e4794") << QByteArray("572e4794") << QByteArray("3EFU7m");
        QTest::newRow("ecac89cad93923c02321")
            << QByteArray("ecac89cad93923c02321") << QByteArray("EJDM8drfXA6uyA");
        QTest::newRow("10c8511e") << QByteArray("10c8511e") << QByteArray("Rt5zm");
        QTest::newRow("ten zero bytes")
            << QByteArray("00000000000000000000") << QByteArray("1111111111");
        QTest::newRow("Hello World!")
            << QByteArray("48656c6c6f20576f726c6421") << QByteArray("2NEpo7TZRRrLZSi2U");
        QTest::newRow("one zero byte") << QByteArray("00") << QByteArray("1");
        QTest::newRow("zero then ff") << QByteArray("00ff") << QByteArray("15Q");
    }
    void knownVectors()
    {
        QFETCH(QByteArray, hex);
        QFETCH(QByteArray, encoded);
        const QByteArray raw = QByteArray::fromHex(hex);
        QCOMPARE(Base58::encode(raw), encoded);
        const auto decoded = Base58::decode(encoded);
        QVERIFY(decoded.has_value());
        QCOMPARE(decoded->toHex(), hex);
    }

    void rejectsCharactersOutsideTheAlphabet_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("zero") << QByteArray("0");
        QTest::newRow("capital O") << QByteArray("2gO");
        QTest::newRow("capital I") << QByteArray("I");
        QTest::newRow("small l") << QByteArray("abl");
        QTest::newRow("space") << QByteArray("2g ");
        QTest::newRow("plus") << QByteArray("+");
        QTest::newRow("high byte") << QByteArray("\xc3\xa9");
    }
    void rejectsCharactersOutsideTheAlphabet()
    {
        QFETCH(QByteArray, text);
        QVERIFY(!Base58::decode(text).has_value());
    }

    void roundTripsRandomBytes()
    {
        for (int length = 0; length < 80; ++length) {
            QByteArray raw = Random::bytes(length);
            if (length > 2)
                raw[0] = 0; // leading zeros must survive
            const QByteArray encoded = Base58::encode(raw);
            const auto decoded = Base58::decode(encoded);
            QVERIFY(decoded.has_value());
            QCOMPARE(*decoded, raw);
        }
    }

    void sevenBytesGiveAtMostTenCharacters()
    {
        QCOMPARE(Base58::encode(QByteArray(7, '\xff')).size(), 10);
        QCOMPARE(Base58::encode(QByteArray::fromHex("01000000000000")).size(), 9);
    }
};

QTEST_APPLESS_MAIN(TestBase58)
#include "tst_base58.moc"
