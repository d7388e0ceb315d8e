// SPDX-License-Identifier: GPL-3.0-or-later
// X-Request-Id on every answer (routed, pooled, unmatched, refused by the guard): the
// client's own when it is sane, else a generated one; and the log line format that carries
// it (JSON: one object per line, escaped; text: the id after the message).
#include "logging.h"
#include "testserver.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

bool generated(const QByteArray &id)
{
    static const QRegularExpression hex(u"^[0-9a-f]{16}$"_s);
    return hex.match(QString::fromLatin1(id)).hasMatch();
}

} // namespace

class TestRequestId : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void echoedOrReplaced_data()
    {
        QTest::addColumn<QByteArray>("sent");
        QTest::addColumn<bool>("echoed");
        QTest::newRow("plain") << QByteArray("abc-123_x.y") << true;
        QTest::newRow("64 characters") << QByteArray(64, 'a') << true;
        QTest::newRow("65 characters") << QByteArray(65, 'a') << false;
        QTest::newRow("a space") << QByteArray("abc def") << false;
        QTest::newRow("a quote") << QByteArray("abc\"def") << false;
        QTest::newRow("a slash") << QByteArray("../etc") << false;
        QTest::newRow("non-ASCII") << QByteArray("caf\xc3\xa9") << false;
    }

    void echoedOrReplaced()
    {
        QFETCH(QByteArray, sent);
        QFETCH(bool, echoed);
        TestServer server;
        const HttpReply reply = server.client().get("/healthz", {{"X-Request-Id", sent}});
        QCOMPARE(reply.status, 200);
        const QByteArray id = reply.header("x-request-id");
        if (echoed)
            QCOMPARE(id, sent);
        else
            QVERIFY2(generated(id), id.constData());
    }

    void everyAnswerHasOne()
    {
        TestServer server;
        HttpClient client = server.client();
        QVERIFY(generated(client.get("/healthz").header("x-request-id")));
        QVERIFY(generated(client.get("/nowhere").header("x-request-id")));            // 404
        QVERIFY(generated(client.request("PUT", "/healthz").header("x-request-id"))); // 405
        // A route on the worker pool.
        const HttpReply login = client.postJson(
            "/api/auth/login", {{u"email"_s, u"admin"_s}, {u"password"_s, u"wrong-one"_s}},
            {{"X-Request-Id", "pooled-1"}});
        QCOMPARE(login.status, 401);
        QCOMPARE(login.header("x-request-id"), QByteArray("pooled-1"));
        // Refused by the guard before any route.
        QVERIFY(generated(HttpClient::parse(client.raw("BAD\r\n\r\n")).header("x-request-id")));
        // Two requests, two ids.
        QVERIFY(client.get("/healthz").header("x-request-id") !=
                client.get("/healthz").header("x-request-id"));
    }

    void jsonLine()
    {
        using namespace Logging;
        QByteArray line =
            formatLine(Format::Json, QtWarningMsg, "gatehouse.test", u"a \"quoted\"\nline"_s);
        QJsonParseError error;
        QJsonObject o = QJsonDocument::fromJson(line, &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QVERIFY(!line.contains('\n'));
        QCOMPARE(o.value(u"level"_s).toString(), u"warning"_s);
        QCOMPARE(o.value(u"category"_s).toString(), u"gatehouse.test"_s);
        QCOMPARE(o.value(u"message"_s).toString(), u"a \"quoted\"\nline"_s);
        QVERIFY(QRegularExpression(u"^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$"_s)
                    .match(o.value(u"time"_s).toString())
                    .hasMatch());
        QVERIFY(!o.contains(u"request_id"_s));
        {
            const RequestLogScope scope("req-7", u"192.0.2.1"_s);
            o = QJsonDocument::fromJson(formatLine(Format::Json, QtInfoMsg, "c", u"m"_s)).object();
            QCOMPARE(o.value(u"request_id"_s).toString(), u"req-7"_s);
            QCOMPARE(o.value(u"client"_s).toString(), u"192.0.2.1"_s);
            QCOMPARE(formatLine(Format::Text, QtInfoMsg, "c", u"m"_s),
                     QByteArray("m [request_id=req-7 client=192.0.2.1]"));
        }
        QCOMPARE(formatLine(Format::Text, QtInfoMsg, "c", u"m"_s), QByteArray("m"));
        QCOMPARE(QJsonDocument::fromJson(line).object().keys().size(), 4);
    }
};

QTEST_GUILESS_MAIN(TestRequestId)
#include "tst_requestid.moc"
