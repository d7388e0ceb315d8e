// SPDX-License-Identifier: GPL-3.0-or-later
// RequestFramer on its own: every case is fed whole, one byte at a time, cut in two at
// every position, and in random pieces; the outcome must not depend on how the bytes
// arrive.
#include "requestframer.h"

#include <QRandomGenerator>
#include <QTest>

namespace {

struct Outcome
{
    int status = 0;
    QByteArray reason;
    QByteArray rejectPath;
    QList<QByteArray> paths;
    QByteArray closes; // one '0' or '1' per request
    QByteArray http10; // one '0' or '1' per request
    bool sawContinue = false;
    bool mid = false;

    bool operator==(const Outcome &o) const
    {
        return status == o.status && reason == o.reason && rejectPath == o.rejectPath &&
               paths == o.paths && closes == o.closes && http10 == o.http10 &&
               sawContinue == o.sawContinue && mid == o.mid;
    }
};

char *toString(const Outcome &o)
{
    QByteArray text = "status=" + QByteArray::number(o.status) + " reason=" + o.reason +
                      " rejectPath=" + o.rejectPath + " paths=" + o.paths.join(',') +
                      " closes=" + o.closes + " http10=" + o.http10 +
                      " continue=" + QByteArray::number(o.sawContinue) +
                      " mid=" + QByteArray::number(o.mid);
    return qstrdup(text.constData());
}

Outcome run(const QList<QByteArray> &pieces, RequestFramer::Limits limits)
{
    RequestFramer framer(limits);
    Outcome out;
    for (const QByteArray &piece : pieces) {
        const RequestFramer::Verdict verdict = framer.feed(piece);
        out.sawContinue = out.sawContinue || verdict.sendContinue;
        if (verdict.rejectStatus != 0) {
            out.status = verdict.rejectStatus;
            out.reason = verdict.reason;
            out.rejectPath = verdict.path;
            break;
        }
    }
    for (const RequestFramer::RequestInfo &info : framer.arrived()) {
        out.paths << info.path;
        out.closes += info.closeAfter ? '1' : '0';
        out.http10 += info.http10 ? '1' : '0';
    }
    out.mid = framer.midRequest();
    return out;
}

QList<QByteArray> bytewise(const QByteArray &input)
{
    QList<QByteArray> out;
    for (char c : input)
        out << QByteArray(1, c);
    return out;
}

const QByteArray kChunkedHead = "POST /up HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";

} // namespace

class TestRequestFramer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void framing_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("maxHeader");
        QTest::addColumn<int>("maxBody");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("reason");
        QTest::addColumn<QList<QByteArray>>("paths");
        QTest::addColumn<QByteArray>("closes");
        QTest::addColumn<bool>("sendContinue");
        QTest::addColumn<bool>("mid");

        const int H = 16 << 10;
        const int B = 1 << 20;
        using L = QList<QByteArray>;
        auto ok = [&](const char *name, const QByteArray &input, const L &paths,
                      const QByteArray &closes, bool cont = false, bool mid = false,
                      int maxHeader = 16 << 10, int maxBody = 1 << 20) {
            QTest::newRow(name) << input << maxHeader << maxBody << 0 << QByteArray() << paths
                                << closes << cont << mid;
        };
        auto bad = [&](const char *name, const QByteArray &input, int status,
                       const QByteArray &reason, const L &before = {}, int maxHeader = 16 << 10,
                       int maxBody = 1 << 20) {
            QByteArray closes(before.size(), '0');
            QTest::newRow(name) << input << maxHeader << maxBody << status << reason << before
                                << closes << false << false;
        };

        // Request lines and paths
        ok("simple GET", "GET /a HTTP/1.1\r\nHost: x\r\n\r\n", {"/a"}, "0");
        ok("query is not part of the path", "GET /a/b?x=1&y=/z HTTP/1.1\r\n\r\n", {"/a/b"}, "0");
        ok("asterisk form", "OPTIONS * HTTP/1.1\r\n\r\n", {"*"}, "0");
        ok("any token method", "BREW /pot HTTP/1.1\r\n\r\n", {"/pot"}, "0");
        ok("no headers at all", "GET /a HTTP/1.1\r\n\r\n", {"/a"}, "0");
        ok("bare LF line ends", "GET /a HTTP/1.1\nHost: x\n\n", {"/a"}, "0");
        ok("LF then CRLF ends the head", "GET /a HTTP/1.1\nHost: x\n\r\n", {"/a"}, "0");
        ok("first empty line ends the head",
           "GET /a HTTP/1.1\n\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n", {"/a", "/b"}, "00");
        ok("blank lines between requests",
           "GET /a HTTP/1.1\r\n\r\n\r\n\r\n\nGET /b HTTP/1.1\r\n\r\n", {"/a", "/b"}, "00");
        ok("incomplete head", "GET /a HTTP/1.1\r\nHost: x\r\n", {}, "", false, true);
        ok("nothing but blank lines", "\r\n\r\n\n", {}, "", false, false);

        // Connection persistence
        ok("HTTP/1.0 closes", "GET / HTTP/1.0\r\n\r\n", {"/"}, "1");
        ok("HTTP/1.0 keep-alive", "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", {"/"}, "0");
        ok("Connection: close", "GET / HTTP/1.1\r\nConnection: close\r\n\r\n", {"/"}, "1");
        ok("close in any case", "GET / HTTP/1.1\r\nconnection: CLOSE\r\n\r\n", {"/"}, "1");
        ok("close among tokens", "GET / HTTP/1.1\r\nConnection: TE, close\r\n\r\n", {"/"}, "1");
        ok("close beats keep-alive", "GET / HTTP/1.1\r\nConnection: close, keep-alive\r\n\r\n",
           {"/"}, "1");
        ok("close beats keep-alive over two lines",
           "GET / HTTP/1.0\r\nConnection: close\r\nConnection: keep-alive\r\n\r\n", {"/"}, "1");
        ok("closed token is not close", "GET / HTTP/1.1\r\nConnection: closed\r\n\r\n", {"/"}, "0");

        // Bodies
        ok("content-length body", "POST /p HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello", {"/p"},
           "0");
        ok("partial body", "POST /p HTTP/1.1\r\nContent-Length: 10\r\n\r\nhello", {"/p"}, "0",
           false, true);
        ok("zero length", "POST /p HTTP/1.1\r\nContent-Length: 0\r\n\r\n", {"/p"}, "0");
        ok("leading zeros", "POST /p HTTP/1.1\r\nContent-Length: 005\r\n\r\nhello", {"/p"}, "0");
        ok("same length twice",
           "POST /p HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello", {"/p"}, "0");
        ok("body that looks like a request",
           "POST /p HTTP/1.1\r\nContent-Length: 22\r\n\r\nGET /no HTTP/1.1\r\n\r\n\r\n", {"/p"},
           "0");
        ok("chunked", kChunkedHead + "5\r\nhello\r\n0\r\n\r\n", {"/up"}, "0");
        ok("chunked, upper-case hex and extensions",
           kChunkedHead + "A;name=value\r\n0123456789\r\n0;last\r\n\r\n", {"/up"}, "0");
        ok("chunked coding in any case",
           "POST /up HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n0\r\n\r\n", {"/up"}, "0");
        ok("chunked, unfinished", kChunkedHead + "5\r\nhel", {"/up"}, "0", false, true);
        ok("chunked, last chunk without the final CRLF", kChunkedHead + "0\r\n", {"/up"}, "0",
           false, true);
        ok("pipelined after chunked",
           kChunkedHead + "3\r\nabc\r\n0\r\n\r\nGET /next HTTP/1.1\r\n\r\n", {"/up", "/next"},
           "00");
        ok("three pipelined",
           "GET /a HTTP/1.1\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 3\r\n\r\nxyz"
           "GET /c HTTP/1.1\r\nConnection: close\r\n\r\n",
           {"/a", "/b", "/c"}, "001");

        // Expect: 100-continue
        ok("expect continue",
           "POST /p HTTP/1.1\r\nExpect: 100-Continue\r\nContent-Length: 3\r\n\r\n", {"/p"}, "0",
           true, true);
        ok("expect continue, chunked",
           "POST /p HTTP/1.1\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n", {"/p"},
           "0", true, true);
        ok("expect continue without a body",
           "POST /p HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 0\r\n\r\n", {"/p"}, "0");
        ok("expect ignored in HTTP/1.0",
           "POST /p HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n", {"/p"}, "1",
           false, true);

        // Limits
        const QByteArray head64 = "GET / HTTP/1.1\r\nX: " + QByteArray(41, 'a') + "\r\n\r\n";
        Q_ASSERT(head64.size() == 64);
        ok("head exactly at the limit", head64, {"/"}, "0", false, false, 64);
        bad("head one byte over the limit",
            "GET / HTTP/1.1\r\nX: " + QByteArray(42, 'a') + "\r\n\r\n", 431,
            "Request headers too large", {}, 64);
        bad("head without an end", "GET / HTTP/1.1\r\nX: " + QByteArray(100, 'a'), 431,
            "Request headers too large", {}, 64);
        QByteArray hundred = "GET /h HTTP/1.1\r\n";
        for (int i = 0; i < 100; ++i)
            hundred += "X-" + QByteArray::number(i) + ": v\r\n";
        ok("100 header fields", hundred + "\r\n", {"/h"}, "0");
        bad("101 header fields", hundred + "X-100: v\r\n\r\n", 431, "Too many header fields");
        ok("body exactly at the limit", "POST /p HTTP/1.1\r\nContent-Length: 8\r\n\r\n12345678",
           {"/p"}, "0", false, false, H, 8);
        bad("body over the limit", "POST /p HTTP/1.1\r\nContent-Length: 9\r\n\r\n123456789", 413,
            "Request body too large", {}, H, 8);
        ok("chunked body exactly at the limit",
           kChunkedHead + "4\r\n1234\r\n4\r\n5678\r\n0\r\n\r\n", {"/up"}, "0", false, false, H, 8);
        bad("chunked body over the limit", kChunkedHead + "4\r\n1234\r\n5\r\n56789\r\n0\r\n\r\n",
            413, "Request body too large", {}, H, 8);
        bad("one huge chunk", kChunkedHead + "FFFFFFFFFF\r\n", 413, "Request body too large", {}, H,
            B);

        // Malformed request lines
        bad("garbage", QByteArray("\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03\r\n\r\n", 15), 400,
            "Malformed request line");
        bad("one word", "HELLO\r\n\r\n", 400, "Malformed request line");
        bad("no target", "GET HTTP/1.1\r\n\r\n", 400, "Malformed request line");
        bad("two spaces", "GET  /a HTTP/1.1\r\n\r\n", 400, "Malformed request line");
        bad("space in target", "GET /a b HTTP/1.1\r\n\r\n", 400, "Malformed request line");
        bad("leading space", " GET /a HTTP/1.1\r\n\r\n", 400, "Malformed request line");
        bad("control character in target", "GET /a\x7f HTTP/1.1\r\n\r\n", 400,
            "Malformed request line");
        bad("absolute form", "GET http://x/a HTTP/1.1\r\n\r\n", 400, "Malformed request line");
        bad("separator in method", "GE(T /a HTTP/1.1\r\n\r\n", 400, "Malformed request line");
        bad("not HTTP", "GET /a FTP/1.1\r\n\r\n", 400, "Unsupported HTTP version");
        bad("HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505, "Unsupported HTTP version");
        bad("HTTP/1.2", "GET /a HTTP/1.2\r\n\r\n", 505, "Unsupported HTTP version");
        bad("lower-case version", "GET /a http/1.1\r\n\r\n", 400, "Unsupported HTTP version");

        // Malformed headers
        bad("header without colon", "GET / HTTP/1.1\r\nHost x\r\n\r\n", 400,
            "Malformed header line");
        bad("empty header name", "GET / HTTP/1.1\r\n: x\r\n\r\n", 400, "Malformed header line");
        bad("space before colon", "GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400,
            "Malformed header line");
        bad("folded header", "GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n", 400,
            "Folded header lines are not accepted");
        bad("folded first header", "GET / HTTP/1.1\r\n\tX: a\r\n\r\n", 400,
            "Folded header lines are not accepted");
        bad("bare CR in a value", "GET / HTTP/1.1\r\nX: a\rb\r\n\r\n", 400,
            "Control characters in a header value");
        bad("NUL in a value", QByteArray("GET / HTTP/1.1\r\nX: a") + '\0' + "b\r\n\r\n", 400,
            "Control characters in a header value");

        // Body framing that could desynchronise the guard and QtHttpServer
        bad("both lengths",
            "POST /p HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400,
            "Both Content-Length and Transfer-Encoding given");
        bad("both lengths, other order",
            "POST /p HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", 400,
            "Both Content-Length and Transfer-Encoding given");
        bad("conflicting lengths",
            "POST /p HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", 400,
            "Invalid Content-Length");
        bad("negative length", "POST /p HTTP/1.1\r\nContent-Length: -3\r\n\r\n", 400,
            "Invalid Content-Length");
        bad("plus sign", "POST /p HTTP/1.1\r\nContent-Length: +3\r\n\r\n", 400,
            "Invalid Content-Length");
        bad("list of lengths", "POST /p HTTP/1.1\r\nContent-Length: 3, 3\r\n\r\n", 400,
            "Invalid Content-Length");
        bad("empty length", "POST /p HTTP/1.1\r\nContent-Length: \r\n\r\n", 400,
            "Invalid Content-Length");
        bad("huge length", "POST /p HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n", 400,
            "Invalid Content-Length");
        bad("gzip coding", "POST /p HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501,
            "Only chunked transfer coding is supported");
        bad("bad chunk size", kChunkedHead + "xyz\r\nabc\r\n0\r\n\r\n", 400,
            "Malformed chunked body");
        bad("hex prefix", kChunkedHead + "0x3\r\nabc\r\n0\r\n\r\n", 400, "Malformed chunked body");
        bad("negative chunk", kChunkedHead + "-3\r\nabc\r\n0\r\n\r\n", 400,
            "Malformed chunked body");
        bad("empty chunk size", kChunkedHead + "\r\nabc\r\n0\r\n\r\n", 400,
            "Malformed chunked body");
        bad("chunk longer than announced", kChunkedHead + "2\r\nabc\r\n0\r\n\r\n", 400,
            "Malformed chunked body");
        bad("bare LF after chunk size", kChunkedHead + "3\nabc\r\n0\r\n\r\n", 400,
            "Malformed chunked body");
        bad("bare LF after chunk data", kChunkedHead + "3\r\nabc\n0\r\n\r\n", 400,
            "Malformed chunked body");
        bad("trailer fields", kChunkedHead + "3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n", 400,
            "Chunked trailers are not accepted");
        bad("request smuggled as a trailer", kChunkedHead + "0\r\nGET /admin HTTP/1.1\r\n\r\n", 400,
            "Chunked trailers are not accepted");
        bad("endless chunk line", kChunkedHead + "1;" + QByteArray(2000, 'x'), 400,
            "Malformed chunked body");
        bad("unsupported expectation",
            "POST /p HTTP/1.1\r\nExpect: 200-ok\r\nContent-Length: 1\r\n\r\nx", 417,
            "Unsupported Expect header");

        // WebSocket upgrades (QtHttpServer would answer them twice)
        bad("websocket upgrade",
            "GET /ws HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n", 501,
            "WebSocket is not supported");
        bad("websocket upgrade, any case, among tokens",
            "GET /ws HTTP/1.1\r\nUpgrade: WebSocket\r\nConnection: keep-alive, UPGRADE\r\n\r\n",
            501, "WebSocket is not supported");
        ok("upgrade header alone", "GET /ws HTTP/1.1\r\nUpgrade: websocket\r\n\r\n", {"/ws"}, "0");
        ok("other upgrades are ignored",
           "GET /ws HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n", {"/ws"}, "0");

        // A bad request behind good ones: the good ones stay queued.
        bad("bad after two good", "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\nBAD\r\n\r\n", 400,
            "Malformed request line", {"/a", "/b"});
        bad("oversized chunked after a good one",
            "GET /a HTTP/1.1\r\n\r\n" + kChunkedHead + "9\r\n123456789\r\n", 413,
            "Request body too large", {"/a"}, H, 8);
    }

    void framing()
    {
        QFETCH(QByteArray, input);
        QFETCH(int, maxHeader);
        QFETCH(int, maxBody);
        QFETCH(int, status);
        QFETCH(QByteArray, reason);
        QFETCH(QList<QByteArray>, paths);
        QFETCH(QByteArray, closes);
        QFETCH(bool, sendContinue);
        QFETCH(bool, mid);
        const RequestFramer::Limits limits{maxHeader, maxBody};

        Outcome expected;
        expected.status = status;
        expected.reason = reason;
        expected.paths = paths;
        expected.closes = closes;
        expected.sawContinue = sendContinue;
        expected.mid = status == 0 && mid;
        const Outcome whole = run({input}, limits);
        // Which request a refusal names depends on the case; take it from the whole run.
        expected.rejectPath = whole.rejectPath;
        expected.http10 = whole.http10;
        if (status == 0)
            QCOMPARE(whole.http10.size(), paths.size());
        // A refused framer's midRequest() does not matter: the connection is closing.
        Outcome wholeCompared = whole;
        if (status != 0)
            wholeCompared.mid = false;
        QCOMPARE(wholeCompared, expected);

        auto check = [&](const QList<QByteArray> &pieces, const char *how) {
            Outcome got = run(pieces, limits);
            if (status != 0)
                got.mid = false;
            if (!(got == expected)) {
                QByteArray why = QByteArray(how) + ": " + toString(got);
                QFAIL(why.constData());
            }
        };
        check(bytewise(input), "byte at a time");
        if (input.size() <= 4096) {
            for (qsizetype cut = 1; cut < input.size(); ++cut)
                check({input.left(cut), input.mid(cut)},
                      ("cut at " + QByteArray::number(cut)).constData());
        }
        QRandomGenerator random(quint32(qHash(input)));
        for (int round = 0; round < 20; ++round) {
            QList<QByteArray> pieces;
            for (qsizetype at = 0; at < input.size();) {
                const qsizetype n = 1 + random.bounded(qMax<qsizetype>(1, input.size() / 3));
                pieces << input.mid(at, n);
                at += n;
            }
            check(pieces, "random pieces");
        }
    }

    void http10IsReported()
    {
        RequestFramer framer({});
        QCOMPARE(framer
                     .feed("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
                           "GET /b HTTP/1.1\r\n\r\n")
                     .rejectStatus,
                 0);
        QCOMPARE(framer.arrived().size(), 2);
        QVERIFY(framer.arrived()[0].http10);
        QVERIFY(!framer.arrived()[0].closeAfter);
        QVERIFY(!framer.arrived()[1].http10);
    }

    void refusalNamesTheOffendingRequest()
    {
        RequestFramer framer({16 << 10, 4});
        const auto verdict =
            framer.feed("GET /a HTTP/1.1\r\n\r\n"
                        "POST /api/auth?x=1 HTTP/1.1\r\nContent-Length: 5\r\n\r\n");
        QCOMPARE(verdict.rejectStatus, 413);
        QCOMPARE(verdict.path, QByteArray("/api/auth"));
    }

    void arrivedIsConsumedInOrder()
    {
        RequestFramer framer({});
        framer.feed("GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n");
        QCOMPARE(framer.arrived().takeFirst().path, QByteArray("/1"));
        framer.feed("GET /3 HTTP/1.1\r\nConnection: close\r\n\r\n");
        QCOMPARE(framer.arrived().size(), 2);
        QCOMPARE(framer.arrived()[0].path, QByteArray("/2"));
        QCOMPARE(framer.arrived()[1].path, QByteArray("/3"));
        QVERIFY(framer.arrived()[1].closeAfter);
    }

    // Many requests through one framer: state is reset between them.
    void longKeepAliveSession()
    {
        RequestFramer framer({256, 64});
        QByteArray stream;
        for (int i = 0; i < 200; ++i) {
            if (i % 3 == 0)
                stream += "GET /g" + QByteArray::number(i) + " HTTP/1.1\r\n\r\n";
            else if (i % 3 == 1)
                stream += "POST /p HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789";
            else
                stream += kChunkedHead + "20\r\n" + QByteArray(32, 'c') + "\r\n20\r\n" +
                          QByteArray(32, 'd') + "\r\n0\r\n\r\n";
        }
        for (qsizetype at = 0; at < stream.size(); at += 77)
            QCOMPARE(framer
                         .feed(QByteArrayView(stream).sliced(
                             at, qMin<qsizetype>(77, stream.size() - at)))
                         .rejectStatus,
                     0);
        QCOMPARE(framer.arrived().size(), 200);
        QVERIFY(!framer.midRequest());
    }
};

QTEST_APPLESS_MAIN(TestRequestFramer)
#include "tst_requestframer.moc"
