// SPDX-License-Identifier: GPL-3.0-or-later
// CborItem against RFC 8949 Appendix A (examples of encoded data items) and the
// well-formedness rules of its Appendix F, plus the limits we add in front of libcbor;
// CoseKey against the RFC 9052 Appendix C.7.1 P-256 public key ("meriadoc") in the
// CTAP2 canonical COSE_Key form the FIDO CTAP 2.1 specification shows in its §6 example.
#include "crypto/cbor.h"
#include "crypto/cosekey.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {

QByteArray hex(const char *text)
{
    return QByteArray::fromHex(QByteArray(text));
}

Result<CborItem> parse(const char *hexText)
{
    return CborItem::parse(hex(hexText));
}

// RFC 9052 C.7.1 x and y, with kty 2, alg -7 (ES256), crv 1.
const char kMeriadocX[] = "65eda5a12577c2bae829437fe338701a10aaa375e1bb5b5de108de439c08551d";
const char kMeriadocY[] = "1e52ed75701163f7f9e40ddf9f341b3dc9ba860af7e0ca7ca7e9eecd0084d19c";

QByteArray meriadoc(const char *algHex = "26", const char *yHex = kMeriadocY)
{
    return hex("a50102") + hex("03") + hex(algHex) +
           hex("200121"
               "5820") +
           hex(kMeriadocX) +
           hex("22"
               "5820") +
           hex(yHex);
}

} // namespace

class TestCbor : public QObject
{
    Q_OBJECT

private slots:
    void integers_data()
    {
        QTest::addColumn<QByteArray>("encoded");
        QTest::addColumn<qint64>("value");
        const std::pair<const char *, qint64> rows[] = {
            {"00", 0},
            {"01", 1},
            {"0a", 10},
            {"17", 23},
            {"1818", 24},
            {"1819", 25},
            {"1864", 100},
            {"1903e8", 1000},
            {"1a000f4240", 1000000},
            {"1b000000e8d4a51000", 1000000000000},
            {"20", -1},
            {"29", -10},
            {"3863", -100},
            {"3903e7", -1000},
        };
        for (const auto &[encoded, value] : rows)
            QTest::newRow(encoded) << hex(encoded) << value;
    }
    void integers()
    {
        QFETCH(QByteArray, encoded);
        QFETCH(qint64, value);
        const auto item = CborItem::parse(encoded);
        QVERIFY(item.ok());
        QCOMPARE(item->integer(), std::optional<qint64>(value));
        QVERIFY(!item->bytes() && !item->text() && !item->isMap());
    }

    void integersOutsideQint64()
    {
        // 18446744073709551615 and -18446744073709551616: well-formed, but not a qint64.
        QVERIFY(parse("1bffffffffffffffff").ok() && !parse("1bffffffffffffffff")->integer());
        QVERIFY(parse("3bffffffffffffffff").ok() && !parse("3bffffffffffffffff")->integer());
    }

    void strings()
    {
        QCOMPARE(parse("40")->bytes(), std::optional<QByteArray>(QByteArray()));
        QCOMPARE(parse("4401020304")->bytes(), std::optional<QByteArray>(hex("01020304")));
        QCOMPARE(parse("60")->text(), std::optional<QString>(QString()));
        QCOMPARE(parse("6161")->text(), std::optional<QString>(u"a"_s));
        QCOMPARE(parse("6449455446")->text(), std::optional<QString>(u"IETF"_s));
        QCOMPARE(parse("62225c")->text(), std::optional<QString>(u"\"\\"_s));
        QCOMPARE(parse("62c3bc")->text(), std::optional<QString>(u"\u00fc"_s));
        QCOMPARE(parse("63e6b0b4")->text(), std::optional<QString>(u"\u6c34"_s));
        QCOMPARE(parse("64f0908591")->text(), std::optional<QString>(u"\U00010151"_s));
        // Well-formed CBOR, invalid UTF-8: libcbor 0.8 refuses it, text() would too.
        const auto invalid = parse("62c328");
        QVERIFY(!invalid.ok() || !invalid->text());
    }

    void containers()
    {
        QVERIFY(parse("a0")->isMap() && parse("a0")->size() == 0);
        const auto map = parse("a201020304"); // {1: 2, 3: 4}
        QCOMPARE(map->size(), 2);
        QCOMPARE(map->value(3)->integer(), std::optional<qint64>(4));
        QVERIFY(!map->value(2));
        const auto mixed = parse("a26161016162820203"); // {"a": 1, "b": [2, 3]}
        QCOMPARE(mixed->value(u"a")->integer(), std::optional<qint64>(1));
        QVERIFY(mixed->value(u"b")->isArray() && mixed->value(u"b")->size() == 2);
        QVERIFY(!mixed->value(1));
        QCOMPARE(parse("83010203")->size(), 3);
        // Simple values, floats and tags are well-formed and accepted where they appear.
        for (const char *other : {"f4", "f5", "f6", "f7", "f90000", "fb3ff199999999999a",
                                  "c074323031332d30332d32315432303a30343a30305a"})
            QVERIFY2(parse(other).ok(), other);
    }

    void refusesMalformedOrUnwanted_data()
    {
        QTest::addColumn<QByteArray>("encoded");
        const char *rows[] = {
            "",   // nothing
            "18", // F.1: argument missing
            "1c",
            "3d",
            "fe",       // reserved additional information 28..30
            "f818",     // two-byte simple value below 32
            "44010203", // byte string one byte short
            "62c3",     // text string one byte short
            "8301",
            "a2010203",           // array, map short of elements
            "5f42010243030405ff", // A: indefinite-length byte string
            "7f657374726561646d696e67ff",
            "9fff",
            "bf6346756ef563416d7421ff",
            "9bffffffffffffffff", // an array claiming 2^64-1 elements in 9 bytes
            "bb7fffffffffffffff",
            "5bffffffffffffffff",
            "a201020103",     // duplicate key 1
            "a2616101616102", // duplicate key "a"
            "ff",             // a lone break
            "0000",           // trailing bytes after one item
        };
        for (const char *row : rows)
            QTest::newRow(*row ? row : "empty") << hex(row);
        QTest::newRow("17 levels") << QByteArray(17, char(0x81)) + hex("00");
    }
    void refusesMalformedOrUnwanted()
    {
        QFETCH(QByteArray, encoded);
        const auto item = CborItem::parse(encoded);
        QVERIFY(!item.ok());
        QCOMPARE(item.refusal().kind, Refusal::Kind::InvalidInput);
    }

    void nestingLimitAndPrefix()
    {
        QVERIFY(CborItem::parse(QByteArray(16, char(0x81)) + hex("00")).ok());
        qsizetype consumed = -1;
        QVERIFY(CborItem::parse(hex("00ffff"), &consumed).ok());
        QCOMPARE(consumed, 1);
        QVERIFY(!CborItem::parse(hex("00ffff")).ok());
    }

    void coseKey()
    {
        const auto alg = CoseKey::algorithm(meriadoc());
        QVERIFY2(alg.ok(), qPrintable(alg.error()));
        QCOMPARE(*alg, CoseKey::kES256);
        // Not on the curve: the last byte of y changed.
        QByteArray y(kMeriadocY);
        y.back() = 'd';
        QVERIFY(!CoseKey::algorithm(meriadoc("26", y.constData())).ok());
        // ES384 and Ed448-style labels on this key, an unknown algorithm, trailing bytes.
        for (const char *other : {"3822", "3823", "3a00010000"})
            QVERIFY2(!CoseKey::algorithm(meriadoc(other)).ok(), other);
        QVERIFY(!CoseKey::algorithm(meriadoc() + hex("00")).ok());
        QVERIFY(!CoseKey::algorithm(hex("a0")).ok());
        QVERIFY(!CoseKey::algorithm(hex("80")).ok());
        // A signature check with no valid signature refuses as a bad credential.
        const auto verified = CoseKey::verify(meriadoc(), "message"_ba, QByteArray(70, '0'));
        QVERIFY(!verified.ok());
        QCOMPARE(verified.refusal().kind, Refusal::Kind::BadCredentials);
    }
};

QTEST_GUILESS_MAIN(TestCbor)
#include "tst_cbor.moc"
