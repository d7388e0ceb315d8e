// SPDX-License-Identifier: GPL-3.0-or-later
// core/jsontext.h against QJsonDocument, the writer it stands in for: an object written
// as text with its keys sorted is byte for byte what QJsonDocument prints for the same
// QJsonObject, for strings that need escaping (quotes, backslashes, control characters,
// non-ASCII, a lone surrogate), integers up to 2^53, booleans and null; and keys given
// in another order stay in that order.
#include "jsontext.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TstJsonText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void stringsAsQJsonDocument_data();
    void stringsAsQJsonDocument();
    void sortedObjectAsQJsonDocument();
    void keysKeepTheirOrder();
};

void TstJsonText::stringsAsQJsonDocument_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("plain") << u"benchpin"_s;
    QTest::newRow("quote and backslash") << u"a\"b\\c"_s;
    QTest::newRow("controls") << u"tab\there\nnew\x01\x1f"_s;
    QTest::newRow("delete") << u"x\x7fy"_s;
    QTest::newRow("non-ASCII") << u"Zoë 東京 🙂"_s;
    QTest::newRow("lone surrogate") << QString(QChar(0xd800));
    QTest::newRow("html") << u"</script><b>&'"_s;
}

void TstJsonText::stringsAsQJsonDocument()
{
    QFETCH(QString, text);
    const QByteArray qt = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    QCOMPARE(jsonText(text), qt.mid(1, qt.size() - 2));
    QCOMPARE(jsonText(QJsonValue(text)), qt.mid(1, qt.size() - 2));
}

void TstJsonText::sortedObjectAsQJsonDocument()
{
    const qint64 big = 9007199254740992; // 2^53
    const QJsonObject object{{u"exp"_s, big},         {u"iat"_s, qint64(1790000000)},
                             {u"isAdmin"_s, true},    {u"name"_s, u"Zoë \"Z\"\n"_s},
                             {u"neg"_s, qint64(-42)}, {u"none"_s, QJsonValue::Null},
                             {u"off"_s, false},       {u"sub"_s, u"98cedc8c-dec3"_s}};
    const OrderedFields fields{
        {u"exp"_s, QByteArray::number(big)}, {u"iat"_s, QByteArray::number(1790000000)},
        {u"isAdmin"_s, jsonText(true)},      {u"name"_s, jsonText(u"Zoë \"Z\"\n"_s)},
        {u"neg"_s, QByteArray::number(-42)}, {u"none"_s, jsonText(QJsonValue::Null)},
        {u"off"_s, jsonText(false)},         {u"sub"_s, jsonText(u"98cedc8c-dec3"_s)}};
    QCOMPARE(orderedJsonText(fields), QJsonDocument(object).toJson(QJsonDocument::Compact));
    QCOMPARE(orderedJsonText({}), "{}"_ba);
}

void TstJsonText::keysKeepTheirOrder()
{
    QCOMPARE(orderedJsonText({{u"message"_s, jsonText(u"ok"_s)}, {u"accessToken"_s, "\"t\""_ba}}),
             R"({"message":"ok","accessToken":"t"})"_ba);
}

QTEST_GUILESS_MAIN(TstJsonText)
#include "tst_jsontext.moc"
