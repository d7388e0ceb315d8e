// SPDX-License-Identifier: GPL-3.0-or-later
// Base64Url::encode, written by hand, against RFC 4648's vectors and Qt's own encoder
// (QByteArray::toBase64, URL alphabet, no padding) for every length up to 300 bytes of
// random data; and decode() taking each result back.
#include "crypto/base64url.h"

#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;

class TstBase64Url : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rfc4648Vectors_data();
    void rfc4648Vectors();
    void matchesQtForEveryLength();
};

void TstBase64Url::rfc4648Vectors_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("empty") << QByteArray() << QByteArray();
    QTest::newRow("f") << "f"_ba
                       << "Zg"_ba;
    QTest::newRow("fo") << "fo"_ba
                        << "Zm8"_ba;
    QTest::newRow("foo") << "foo"_ba
                         << "Zm9v"_ba;
    QTest::newRow("foob") << "foob"_ba
                          << "Zm9vYg"_ba;
    QTest::newRow("fooba") << "fooba"_ba
                           << "Zm9vYmE"_ba;
    QTest::newRow("foobar") << "foobar"_ba
                            << "Zm9vYmFy"_ba;
    QTest::newRow("url alphabet") << QByteArray::fromHex("fbff") << "-_8"_ba;
}

void TstBase64Url::rfc4648Vectors()
{
    QFETCH(QByteArray, raw);
    QFETCH(QByteArray, text);
    QCOMPARE(Base64Url::encode(raw), text);
    QCOMPARE(Base64Url::decode(text).value_or("(refused)"_ba), raw);
}

void TstBase64Url::matchesQtForEveryLength()
{
    QRandomGenerator random(20261128);
    for (int length = 0; length <= 300; ++length) {
        QByteArray raw(length, Qt::Uninitialized);
        for (char &c : raw)
            c = char(random.bounded(256));
        const QByteArray ours = Base64Url::encode(raw);
        const QByteArray qt =
            raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        QCOMPARE(ours, qt);
        QCOMPARE(Base64Url::decode(ours).value_or("(refused)"_ba), raw);
    }
}

QTEST_GUILESS_MAIN(TstBase64Url)
#include "tst_base64url.moc"
