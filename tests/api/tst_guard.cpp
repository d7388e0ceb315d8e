// SPDX-License-Identifier: GPL-3.0-or-later
// The connection guard, over raw sockets: limits, malformed requests, keep-alive and
// close, pipelining order, Expect, HEAD, 404/405, CORS, timeouts and the connection
// cap. Every case checks something QtHttpServer 6.4 alone gets wrong, so each one
// fails if the guard (Connection + RequestFramer) is taken out.
#include "http/response.h"
#include "services.h"
#include "testserver.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <memory>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

using Headers = QList<std::pair<QByteArray, QByteArray>>;

// One client connection kept open across requests; reads responses one at a time.
class Wire
{
public:
    explicit Wire(quint16 port)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        m_socket.waitForConnected(5000);
    }

    bool isOpen() const { return m_socket.state() == QAbstractSocket::ConnectedState; }

    void send(const QByteArray &bytes)
    {
        m_socket.write(bytes);
        while (m_socket.bytesToWrite() > 0 && m_socket.waitForBytesWritten(5000)) {
        }
    }

    // Sends one byte at a time, each in its own TCP segment.
    void trickle(const QByteArray &bytes, int pauseMs = 2)
    {
        m_socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
        for (char c : bytes) {
            send(QByteArray(1, c));
            QThread::msleep(pauseMs);
        }
    }

    // The next response on the wire (an interim 100 is one too); status 0 when the
    // server closed or `timeoutMs` passed first.
    HttpReply next(int timeoutMs = 5000, bool headRequest = false)
    {
        QElapsedTimer timer;
        timer.start();
        for (;;) {
            const qsizetype end = m_buffer.indexOf("\r\n\r\n");
            if (end >= 0) {
                HttpReply reply;
                const QList<QByteArray> lines = m_buffer.left(end).split('\n');
                reply.status = lines.value(0).split(' ').value(1).toInt();
                for (qsizetype i = 1; i < lines.size(); ++i) {
                    const QByteArray line = lines[i].trimmed();
                    const qsizetype colon = line.indexOf(':');
                    if (colon > 0)
                        reply.headers.append(
                            {line.left(colon).toLower(), line.mid(colon + 1).trimmed()});
                }
                qint64 length = reply.header("content-length").toLongLong();
                if (headRequest || reply.status < 200 || reply.status == 204 || reply.status == 304)
                    length = 0;
                if (m_buffer.size() >= end + 4 + length) {
                    reply.body = m_buffer.mid(end + 4, length);
                    m_buffer.remove(0, end + 4 + length);
                    return reply;
                }
            }
            if (!fill(timer, timeoutMs))
                return {};
        }
    }

    // True when the server closes the connection within `timeoutMs`.
    bool closedWithin(int timeoutMs)
    {
        QElapsedTimer timer;
        timer.start();
        while (fill(timer, timeoutMs)) {
        }
        return !isOpen();
    }

    // Bytes received and not yet returned by next().
    QByteArray unread() const { return m_buffer; }

private:
    // Reads what arrives; false once the connection is closed or time is up.
    bool fill(const QElapsedTimer &timer, int timeoutMs)
    {
        if (m_socket.bytesAvailable() > 0) {
            m_buffer += m_socket.readAll();
            return true;
        }
        if (!isOpen())
            return false;
        const qint64 left = timeoutMs - timer.elapsed();
        if (left <= 0)
            return false;
        if (m_socket.waitForReadyRead(int(left))) {
            m_buffer += m_socket.readAll();
            return true;
        }
        m_buffer += m_socket.readAll();
        return isOpen() && timer.elapsed() < timeoutMs;
    }

    QTcpSocket m_socket;
    QByteArray m_buffer;
};

QByteArray requestBytes(const QByteArray &method, const QByteArray &target,
                        const QByteArray &body = {}, const Headers &headers = {},
                        const QByteArray &version = "HTTP/1.1")
{
    QByteArray out = method + ' ' + target + ' ' + version + "\r\nHost: 127.0.0.1\r\n";
    for (const auto &[name, value] : headers)
        out += name + ": " + value + "\r\n";
    if (!body.isEmpty() || method == "POST")
        out +=
            "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
            "\r\n";
    return out + "\r\n" + body;
}

QByteArray chunked(const QByteArray &body, int chunkSize)
{
    QByteArray out;
    for (qsizetype at = 0; at < body.size(); at += chunkSize) {
        const QByteArray part = body.mid(at, chunkSize);
        out += QByteArray::number(part.size(), 16) + "\r\n" + part + "\r\n";
    }
    return out + "0\r\n\r\n";
}

QByteArray validAuthBody()
{
    return QByteArray(R"({"accessToken":")") + TestServer::kCliApiToken + R"(:default"})";
}

// A JSON body of exactly `size` bytes that /api/auth accepts.
QByteArray paddedAuthBody(qsizetype size)
{
    QByteArray body = validAuthBody();
    body.append(size - body.size(), ' ');
    return body;
}

QJsonObject jsonOf(const HttpReply &reply)
{
    return QJsonDocument::fromJson(reply.body).object();
}

} // namespace

class TestGuard : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestServer> m_server;
    quint16 port() const { return m_server->port(); }
    // The server still answers a fresh connection.
    void checkStillServing(quint16 port)
    {
        const HttpReply reply = HttpClient(port).get("/healthz");
        QCOMPARE(reply.status, 200);
        QCOMPARE(jsonOf(reply).value(u"status").toString(), u"ok"_s);
    }

private Q_SLOTS:
    void initTestCase() { m_server = std::make_unique<TestServer>(); }
    void cleanupTestCase() { m_server.reset(); }

    // --- size limits -------------------------------------------------------------

    void bodyOverLimitIs413InSurfaceShape()
    {
        Wire wire(port());
        wire.send(requestBytes("POST", "/api/auth", paddedAuthBody(2 << 20)));
        const HttpReply reply = wire.next();
        QCOMPARE(reply.status, 413);
        QCOMPARE(reply.header("content-type"), QByteArray("application/json"));
        QCOMPARE(jsonOf(reply), QJsonObject({{u"error"_s, u"Request body too large"_s}}));
        QCOMPARE(reply.header("connection"), QByteArray("close"));
        QVERIFY(wire.closedWithin(3000));
        checkStillServing(port());
    }

    // A client that keeps uploading after the refusal (curl, a browser) still reads the
    // answer: the server drains what it sends instead of resetting the connection.
    void refusalReachesAClientStillUploading()
    {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        QVERIFY(fd >= 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port());
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        QCOMPARE(::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address), 0);
        const QByteArray head =
            "POST /api/auth HTTP/1.1\r\nHost: x\r\nContent-Length: 4194304\r\n\r\n";
        QCOMPARE(::send(fd, head.constData(), size_t(head.size()), MSG_NOSIGNAL),
                 ssize_t(head.size()));
        QThread::msleep(100); // the refusal is sent now, while the body is still to come
        const QByteArray piece(64 << 10, 'x');
        int failedSends = 0;
        for (int i = 0; i < 16; ++i) {
            if (::send(fd, piece.constData(), size_t(piece.size()), MSG_NOSIGNAL) < 0)
                ++failedSends;
            QThread::msleep(5);
        }
        QByteArray received;
        char buffer[4096];
        for (;;) {
            const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
            if (n <= 0) {
                QCOMPARE(n, ssize_t(0)); // an orderly end, not a reset
                break;
            }
            received.append(buffer, n);
        }
        ::close(fd);
        QCOMPARE(failedSends, 0);
        QVERIFY2(received.startsWith("HTTP/1.1 413 "), received.constData());
        QVERIFY(received.contains("Request body too large"));
    }

    void bodyAtTheLimit_data()
    {
        QTest::addColumn<qsizetype>("size");
        QTest::addColumn<int>("status");
        QTest::newRow("well under") << qsizetype(1000) << 200;
        QTest::newRow("one byte under") << qsizetype((1 << 20) - 1) << 200;
        QTest::newRow("exactly the limit") << qsizetype(1 << 20) << 200;
        QTest::newRow("one byte over") << qsizetype((1 << 20) + 1) << 413;
    }
    void bodyAtTheLimit()
    {
        QFETCH(qsizetype, size);
        QFETCH(int, status);
        Wire wire(port());
        wire.send(requestBytes("POST", "/api/auth", paddedAuthBody(size)));
        const HttpReply reply = wire.next();
        QCOMPARE(reply.status, status);
        if (status == 200)
            QVERIFY(!jsonOf(reply).value(u"token").toString().isEmpty());
    }

    void announcedLengthRefusedBeforeTheBody()
    {
        Wire wire(port());
        wire.send("POST /api/auth HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  "Content-Length: 2097152\r\n\r\n");
        // No body sent: the refusal must come from the announced length alone.
        const HttpReply reply = wire.next(3000);
        QCOMPARE(reply.status, 413);
        QCOMPARE(jsonOf(reply).value(u"error").toString(), u"Request body too large"_s);
        QVERIFY(wire.closedWithin(3000));
    }

    void chunkedBodies_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("chunk");
        QTest::addColumn<int>("status");
        QTest::newRow("small, one chunk") << validAuthBody() << 4096 << 200;
        QTest::newRow("small, 7-byte chunks") << validAuthBody() << 7 << 200;
        QTest::newRow("at the limit") << paddedAuthBody(1 << 20) << 65536 << 200;
        QTest::newRow("over the limit") << paddedAuthBody((1 << 20) + 1) << 65536 << 413;
        QTest::newRow("far over the limit") << paddedAuthBody(3 << 20) << 65536 << 413;
    }
    void chunkedBodies()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, chunk);
        QFETCH(int, status);
        Wire wire(port());
        wire.send("POST /api/auth HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  "Transfer-Encoding: chunked\r\n\r\n" +
                  chunked(body, chunk));
        const HttpReply reply = wire.next();
        QCOMPARE(reply.status, status);
        if (status == 413) {
            QCOMPARE(jsonOf(reply).value(u"error").toString(), u"Request body too large"_s);
            QVERIFY(wire.closedWithin(3000));
        } else {
            QVERIFY(!jsonOf(reply).value(u"token").toString().isEmpty());
            QVERIFY(wire.isOpen());
        }
    }

    // Each byte in its own segment: the guard and QtHttpServer must stay in step.
    void trickledRequests_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::newRow("content-length") << requestBytes("POST", "/api/auth", validAuthBody());
        QTest::newRow("chunked")
            << "POST /api/auth HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
                   chunked(validAuthBody(), 16);
    }
    void trickledRequests()
    {
        QFETCH(QByteArray, request);
        Wire wire(port());
        wire.trickle(request);
        const HttpReply reply = wire.next();
        QCOMPARE(reply.status, 200);
        // And the connection is still in step for the next request.
        wire.send(requestBytes("GET", "/healthz"));
        QCOMPARE(wire.next().status, 200);
    }

    void headerBlockTooLarge_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<QString>("error");
        QTest::newRow("one huge header")
            << requestBytes("GET", "/healthz", {}, {{"X-Big", QByteArray(20 << 10, 'a')}})
            << u"Request headers too large"_s;
        QTest::newRow("no end in sight")
            << "GET /healthz HTTP/1.1\r\nX-Big: " + QByteArray(40 << 10, 'a')
            << u"Request headers too large"_s;
        Headers many;
        for (int i = 0; i < 101; ++i)
            many.append({"X-H" + QByteArray::number(i), "v"});
        // QtHttpServer's header parser drops every header past 100 fields, Content-Length
        // included, and would then read the body as a second, smuggled request.
        const QByteArray smuggled = "GET /metrics HTTP/1.1\r\n\r\n";
        many.append({"Content-Length", QByteArray::number(smuggled.size())});
        QTest::newRow("more than 100 fields")
            << requestBytes("GET", "/healthz", {}, many) + smuggled << u"Too many header fields"_s;
    }
    void headerBlockTooLarge()
    {
        QFETCH(QByteArray, request);
        QFETCH(QString, error);
        Wire wire(port());
        wire.send(request);
        const HttpReply reply = wire.next();
        QCOMPARE(reply.status, 431);
        QCOMPARE(jsonOf(reply), QJsonObject({{u"error"_s, error}}));
        QVERIFY(wire.closedWithin(3000));
        QVERIFY2(wire.unread().isEmpty(), wire.unread().constData());
        checkStillServing(port());
    }

    // --- malformed requests ------------------------------------------------------

    void malformed_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        QTest::newRow("garbage") << QByteArray("\x01\x02\x03 hello\r\n\r\n", 13) << 400;
        QTest::newRow("tls client hello")
            << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 15) << 400;
        QTest::newRow("no target") << QByteArray("GET HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("one word") << QByteArray("HELLO\r\n\r\n") << 400;
        QTest::newRow("space in target") << QByteArray("GET /a b HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("control in target") << QByteArray("GET /a\x01 HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("not a version") << QByteArray("GET / FTP/1.1\r\n\r\n") << 400;
        QTest::newRow("http/2 preface") << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") << 505;
        QTest::newRow("http/1.2") << QByteArray("GET /healthz HTTP/1.2\r\n\r\n") << 505;
        QTest::newRow("header without colon")
            << QByteArray("GET /healthz HTTP/1.1\r\nHost x\r\n\r\n") << 400;
        QTest::newRow("space before colon")
            << QByteArray("GET /healthz HTTP/1.1\r\nHost : x\r\n\r\n") << 400;
        QTest::newRow("folded header")
            << QByteArray("GET /healthz HTTP/1.1\r\nX-A: 1\r\n  2\r\n\r\n") << 400;
        QTest::newRow("NUL in header value")
            << QByteArray("GET /healthz HTTP/1.1\r\nX-A: a") + '\0' + "b\r\n\r\n"
            << 400;
        QTest::newRow("both lengths")
            << QByteArray("POST /api/auth HTTP/1.1\r\nContent-Length: 3\r\n"
                          "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n")
            << 400;
        QTest::newRow("conflicting lengths")
            << QByteArray("POST /api/auth HTTP/1.1\r\nContent-Length: 3\r\n"
                          "Content-Length: 4\r\n\r\nabcd")
            << 400;
        QTest::newRow("negative length")
            << QByteArray("POST /api/auth HTTP/1.1\r\nContent-Length: -1\r\n\r\n") << 400;
        QTest::newRow("hex length")
            << QByteArray("POST /api/auth HTTP/1.1\r\nContent-Length: 0x10\r\n\r\n") << 400;
        QTest::newRow("unknown transfer coding")
            << QByteArray("POST /api/auth HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n") << 501;
        QTest::newRow("bad chunk size")
            << QByteArray("POST /api/auth HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                          "zz\r\nabc\r\n0\r\n\r\n")
            << 400;
        QTest::newRow("chunk overruns its size")
            << QByteArray("POST /api/auth HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                          "2\r\nabc\r\n0\r\n\r\n")
            << 400;
        // QtHttpServer 6.4 takes the first bytes after the last chunk as the end of the
        // body and parses the rest as a new request: a smuggled GET.
        QTest::newRow("chunked trailer smuggling a request")
            << QByteArray("POST /api/auth HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                          "2\r\n{}\r\n0\r\nGET /metrics HTTP/1.1\r\n\r\n")
            << 400;
        // QtHttpServer would run the handler and then answer a second time (404).
        QTest::newRow("websocket upgrade")
            << QByteArray("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\n"
                          "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
            << 501;
        QTest::newRow("unsupported expectation")
            << QByteArray(
                   "POST /api/auth HTTP/1.1\r\nExpect: 200-ok\r\nContent-Length: 2\r\n\r\n{}")
            << 417;
    }
    void malformed()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        Wire wire(port());
        wire.send(request);
        const HttpReply reply = wire.next();
        QCOMPARE(reply.status, status);
        QVERIFY(!jsonOf(reply).value(u"error").toString().isEmpty());
        QCOMPARE(reply.header("connection"), QByteArray("close"));
        QVERIFY(wire.closedWithin(3000));
        // Nothing after the refusal: QtHttpServer never saw the request.
        QVERIFY2(wire.unread().isEmpty(), wire.unread().constData());
        checkStillServing(port());
    }

    // QtHttpServer ends a header block at the first empty line, CRLF or bare LF; the
    // guard must cut requests at the same place.
    void headerBlockEndsAtTheFirstEmptyLine()
    {
        Wire wire(port());
        wire.send("GET /healthz HTTP/1.1\nHost: x\n\nGET /nowhere HTTP/1.1\r\n\r\n"
                  "GET /healthz HTTP/1.1\nHost: x\n\r\n");
        QCOMPARE(wire.next().status, 200);
        QCOMPARE(wire.next().status, 404);
        QCOMPARE(wire.next().status, 200);
        // Still in step: no half-request left that would time out as 408.
        wire.send(requestBytes("GET", "/healthz"));
        QCOMPARE(wire.next().status, 200);
        QVERIFY(wire.isOpen());
    }

    // --- connection management ---------------------------------------------------

    void connectionCloseIsHonoured()
    {
        Wire wire(port());
        wire.send(requestBytes("GET", "/healthz", {}, {{"Connection", "close"}}));
        const HttpReply reply = wire.next();
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.header("connection"), QByteArray("close"));
        QVERIFY(wire.closedWithin(2000)); // well before the 60 s idle timeout
    }

    void closeWinsOverKeepAlive()
    {
        Wire wire(port());
        wire.send(requestBytes("GET", "/healthz", {}, {{"Connection", "close, keep-alive"}}));
        QCOMPARE(wire.next().header("connection"), QByteArray("close"));
        QVERIFY(wire.closedWithin(2000));
    }

    void http10ClosesByDefault()
    {
        Wire wire(port());
        wire.send("GET /healthz HTTP/1.0\r\n\r\n");
        const HttpReply reply = wire.next();
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.header("connection"), QByteArray("close"));
        QVERIFY(wire.closedWithin(2000));
    }

    void http10KeepAliveStaysOpen()
    {
        Wire wire(port());
        for (int i = 0; i < 2; ++i) {
            wire.send("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            const HttpReply reply = wire.next();
            QCOMPARE(reply.status, 200);
            // An HTTP/1.0 client only keeps the connection when told so.
            QCOMPARE(reply.header("connection"), QByteArray("keep-alive"));
        }
        QVERIFY(!wire.closedWithin(300));
    }

    void keepAliveServesThreeRequests()
    {
        Wire wire(port());
        wire.send(requestBytes("GET", "/healthz"));
        QCOMPARE(wire.next().status, 200);
        wire.send(requestBytes("POST", "/api/auth", validAuthBody()));
        const HttpReply auth = wire.next();
        QCOMPARE(auth.status, 200);
        QVERIFY(auth.header("connection").isEmpty());
        wire.send(requestBytes("GET", "/readyz"));
        QCOMPARE(wire.next().status, 200);
        QVERIFY(wire.isOpen());
        QVERIFY(!wire.closedWithin(300));
    }

    void pipelinedResponsesKeepRequestOrder()
    {
        Wire wire(port());
        // /readyz runs on the worker pool and finishes after the inline /healthz.
        wire.send(requestBytes("GET", "/readyz") + requestBytes("GET", "/healthz") +
                  requestBytes("POST", "/api/auth", R"({"accessToken":"wrong:default"})") +
                  requestBytes("GET", "/readyz") + requestBytes("GET", "/nowhere") +
                  requestBytes("POST", "/api/auth", validAuthBody(), {{"Connection", "close"}}));
        HttpReply r = wire.next();
        QCOMPARE(r.status, 200);
        QCOMPARE(jsonOf(r), QJsonObject({{u"status"_s, u"ok"_s}, {u"database"_s, true}}));
        r = wire.next();
        QCOMPARE(r.status, 200);
        QCOMPARE(jsonOf(r), QJsonObject({{u"status"_s, u"ok"_s}}));
        r = wire.next();
        QCOMPARE(r.status, 401);
        QCOMPARE(jsonOf(r), QJsonObject({{u"error"_s, u"Invalid access token"_s}}));
        r = wire.next();
        QCOMPARE(r.status, 200);
        QVERIFY(jsonOf(r).contains(u"database"));
        QCOMPARE(wire.next().status, 404);
        r = wire.next();
        QCOMPARE(r.status, 200);
        QVERIFY(jsonOf(r).contains(u"token"));
        QCOMPARE(r.header("connection"), QByteArray("close"));
        QVERIFY(wire.closedWithin(2000));
        QVERIFY(wire.unread().isEmpty());
    }

    void pipelinedRequestsArriveInPieces()
    {
        Wire wire(port());
        const QByteArray all = requestBytes("GET", "/readyz") + requestBytes("GET", "/healthz") +
                               requestBytes("POST", "/api/auth", validAuthBody());
        // Split the stream in the middle of the second request.
        const qsizetype cut = all.indexOf("/healthz") + 3;
        wire.send(all.left(cut));
        QThread::msleep(50);
        wire.send(all.mid(cut));
        QCOMPARE(wire.next().status, 200);
        QCOMPARE(jsonOf(wire.next()), QJsonObject({{u"status"_s, u"ok"_s}}));
        QVERIFY(jsonOf(wire.next()).contains(u"token"));
        QVERIFY(!wire.closedWithin(300));
    }

    // Pipelined answers leave in separate writes; with Nagle's algorithm on, each round
    // would wait for the client's delayed ACK (~40 ms on Linux).
    void pipelinedAnswersAreNotHeldBack()
    {
        Wire wire(port());
        const QByteArray four = requestBytes("GET", "/healthz").repeated(4);
        int slowRounds = 0;
        for (int round = 0; round < 30; ++round) {
            QElapsedTimer timer;
            timer.start();
            wire.send(four);
            for (int i = 0; i < 4; ++i)
                QCOMPARE(wire.next().status, 200);
            if (timer.elapsed() >= 35)
                ++slowRounds;
        }
        QVERIFY2(slowRounds < 10, QByteArray::number(slowRounds).constData());
    }

    // A bad request behind good ones: the good ones are answered first, in order.
    void refusalWaitsForEarlierResponses()
    {
        Wire wire(port());
        wire.send(requestBytes("GET", "/readyz") + requestBytes("GET", "/healthz") + "BAD\r\n\r\n");
        HttpReply r = wire.next();
        QCOMPARE(r.status, 200);
        QVERIFY(jsonOf(r).contains(u"database"));
        r = wire.next();
        QCOMPARE(r.status, 200);
        QCOMPARE(jsonOf(r), QJsonObject({{u"status"_s, u"ok"_s}}));
        r = wire.next();
        QCOMPARE(r.status, 400);
        QCOMPARE(r.header("connection"), QByteArray("close"));
        QVERIFY(wire.closedWithin(2000));
    }

    void expectContinue()
    {
        Wire wire(port());
        const QByteArray body = validAuthBody();
        wire.send("POST /api/auth HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  "Expect: 100-continue\r\nContent-Length: " +
                  QByteArray::number(body.size()) + "\r\n\r\n");
        const HttpReply interim = wire.next(3000);
        QCOMPARE(interim.status, 100);
        wire.send(body);
        const HttpReply reply = wire.next();
        QCOMPARE(reply.status, 200);
        QVERIFY(jsonOf(reply).contains(u"token"));
    }

    void expectContinueWithOversizedBodyGets413Instead()
    {
        Wire wire(port());
        wire.send("POST /api/auth HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                  "Content-Length: 5000000\r\n\r\n");
        QCOMPARE(wire.next(3000).status, 413);
        QVERIFY(wire.closedWithin(2000));
    }

    void headHasHeadersButNoBody()
    {
        Wire wire(port());
        wire.send(requestBytes("HEAD", "/healthz"));
        const HttpReply head = wire.next(5000, true);
        QCOMPARE(head.status, 200);
        QCOMPARE(head.header("content-length"),
                 QByteArray::number(QByteArray(R"({"status":"ok"})").size()));
        QCOMPARE(head.header("content-type"), QByteArray("application/json"));
        // Were a body sent, it would be read as the start of this next response.
        wire.send(requestBytes("GET", "/nowhere"));
        const HttpReply next = wire.next();
        QCOMPARE(next.status, 404);
        QVERIFY(wire.unread().isEmpty());
    }

    void routingErrors_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("allow");
        QTest::addColumn<QString>("error");
        QTest::newRow("unknown path")
            << QByteArray("GET") << QByteArray("/nowhere") << 404 << QByteArray() << u"Not found"_s;
        QTest::newRow("unknown api path") << QByteArray("POST") << QByteArray("/api/nothing") << 404
                                          << QByteArray() << u"Not found"_s;
        QTest::newRow("GET on a POST route") << QByteArray("GET") << QByteArray("/api/auth") << 405
                                             << QByteArray("POST") << u"Method not allowed"_s;
        QTest::newRow("DELETE on a GET route")
            << QByteArray("DELETE") << QByteArray("/healthz") << 405 << QByteArray("GET, HEAD")
            << u"Method not allowed"_s;
        QTest::newRow("unknown method") << QByteArray("BREW") << QByteArray("/healthz") << 405
                                        << QByteArray("GET, HEAD") << u"Method not allowed"_s;
    }
    void routingErrors()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, target);
        QFETCH(int, status);
        QFETCH(QByteArray, allow);
        QFETCH(QString, error);
        Wire wire(port());
        wire.send(requestBytes(method, target));
        const HttpReply reply = wire.next();
        QCOMPARE(reply.status, status);
        QCOMPARE(reply.header("content-type"), QByteArray("application/json"));
        QCOMPARE(jsonOf(reply), QJsonObject({{u"error"_s, error}}));
        QCOMPARE(reply.header("allow"), allow);
        // An error answer does not end a keep-alive connection.
        wire.send(requestBytes("GET", "/healthz"));
        QCOMPARE(wire.next().status, 200);
    }

    void cors()
    {
        TestServer server([](Settings &s) { s.corsOrigins = {u"https://app.example"_s}; });
        HttpClient client = server.client();
        const HttpReply allowed =
            client.request("OPTIONS", "/api/auth", {},
                           {{"Origin", "https://app.example"},
                            {"Access-Control-Request-Method", "POST"},
                            {"Access-Control-Request-Headers", "content-type, x-requested-with"}});
        QCOMPARE(allowed.status, 204);
        QCOMPARE(allowed.header("access-control-allow-origin"), QByteArray("https://app.example"));
        QCOMPARE(allowed.header("access-control-allow-methods"), QByteArray("POST"));
        QCOMPARE(allowed.header("access-control-allow-headers"),
                 QByteArray("content-type,x-requested-with"));
        QCOMPARE(allowed.header("access-control-allow-credentials"), QByteArray("true"));
        QCOMPARE(allowed.header("vary"), QByteArray("Origin"));
        QVERIFY(allowed.body.isEmpty());

        const HttpReply refused = client.request(
            "OPTIONS", "/api/auth", {},
            {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}});
        QCOMPARE(refused.status, 204);
        for (const auto &[name, value] : refused.headers)
            QVERIFY2(!name.startsWith("access-control-"), name.constData());

        // The actual request carries the header too, errors included.
        const HttpReply simple = client.postJson("/api/auth", {{u"accessToken"_s, u"x"_s}},
                                                 {{"Origin", "https://app.example"}});
        QCOMPARE(simple.status, 401);
        QCOMPARE(simple.header("access-control-allow-origin"), QByteArray("https://app.example"));
        const HttpReply other = client.get("/healthz", {{"Origin", "https://app.example.evil"}});
        QCOMPARE(other.status, 200);
        QVERIFY(other.header("access-control-allow-origin").isEmpty());
    }

    // --- timeouts and the connection cap ------------------------------------------

    void idleConnectionIsClosed()
    {
        TestServer server([](Settings &s) {
            s.idleTimeoutSecs = 1;
            s.requestTimeoutSecs = 1;
        });
        Wire silent(server.port());
        QVERIFY(silent.isOpen());
        QElapsedTimer timer;
        timer.start();
        QVERIFY(silent.closedWithin(4000));
        QVERIFY(timer.elapsed() >= 800);
        QVERIFY(silent.unread().isEmpty()); // nothing was asked, nothing is said

        Wire kept(server.port());
        kept.send(requestBytes("GET", "/healthz"));
        QCOMPARE(kept.next().status, 200);
        QVERIFY(kept.closedWithin(4000));
        QVERIFY(kept.unread().isEmpty());
    }

    void halfSentRequestTimesOut_data()
    {
        QTest::addColumn<QByteArray>("partial");
        QTest::newRow("head") << QByteArray("GET /healthz HTTP/1.1\r\nHost: x");
        QTest::newRow("body") << QByteArray(
            "POST /api/auth HTTP/1.1\r\nContent-Length: 40\r\n\r\n{\"a");
        QTest::newRow("chunked body")
            << QByteArray("POST /api/auth HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab");
    }
    void halfSentRequestTimesOut()
    {
        QFETCH(QByteArray, partial);
        TestServer server([](Settings &s) {
            s.idleTimeoutSecs = 1;
            s.requestTimeoutSecs = 1;
        });
        Wire wire(server.port());
        wire.send(partial);
        const HttpReply reply = wire.next(4000);
        QCOMPARE(reply.status, 408);
        QCOMPARE(jsonOf(reply).value(u"error").toString(), u"Request timed out"_s);
        QVERIFY(wire.closedWithin(2000));
    }

    // A client that keeps sending a byte now and then still has to finish in time.
    void slowClientTimesOutDespiteProgress()
    {
        TestServer server([](Settings &s) {
            s.idleTimeoutSecs = 5;
            s.requestTimeoutSecs = 1;
        });
        Wire wire(server.port());
        QElapsedTimer timer;
        timer.start();
        const QByteArray request = requestBytes("GET", "/healthz");
        for (qsizetype i = 0; i < request.size() - 1 && wire.isOpen(); ++i) {
            wire.send(request.mid(i, 1));
            QThread::msleep(150);
            if (timer.elapsed() > 1500)
                break;
        }
        const HttpReply reply = wire.next(3000);
        QCOMPARE(reply.status, 408);
        QVERIFY(timer.elapsed() < 3000);
    }

    void connectionCap()
    {
        TestServer server([](Settings &s) { s.maxConnections = 3; });
        std::vector<std::unique_ptr<Wire>> open;
        for (int i = 0; i < 3; ++i) {
            open.push_back(std::make_unique<Wire>(server.port()));
            open.back()->send(requestBytes("GET", "/healthz"));
            QCOMPARE(open.back()->next().status, 200); // accepted and served
        }
        Wire fourth(server.port());
        const HttpReply busy = fourth.next(3000);
        QCOMPARE(busy.status, 503);
        QCOMPARE(jsonOf(busy), QJsonObject({{u"error"_s, u"Server busy, try again"_s}}));
        QVERIFY(fourth.closedWithin(2000));
        // The three keep working; once one leaves, a newcomer is served.
        open[0]->send(requestBytes("GET", "/healthz"));
        QCOMPARE(open[0]->next().status, 200);
        open.pop_back();
        QElapsedTimer timer;
        timer.start();
        int status = 0;
        while (status != 200 && timer.elapsed() < 3000) {
            status = HttpClient(server.port()).get("/healthz").status;
            if (status != 200)
                QThread::msleep(20);
        }
        QCOMPARE(status, 200);
    }

    // --- the wire form -----------------------------------------------------------

    void unsafeHeadersNeverReachTheWire_data()
    {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QByteArray>("value");
        QTest::newRow("CRLF in value")
            << QByteArray("X-Note") << QByteArray("a\r\nSet-Cookie: evil=1");
        QTest::newRow("LF in value") << QByteArray("X-Note") << QByteArray("a\nSet-Cookie: evil=1");
        QTest::newRow("CR in value") << QByteArray("X-Note") << QByteArray("a\rSet-Cookie: evil=1");
        QTest::newRow("NUL in value")
            << QByteArray("X-Note") << QByteArray("a\0Set-Cookie: evil=1", 20);
        QTest::newRow("CRLF in name") << QByteArray("X-A\r\nSet-Cookie") << QByteArray("evil=1");
        QTest::newRow("colon in name") << QByteArray("Set-Cookie: evil=1\r\nX") << QByteArray("1");
        QTest::newRow("empty name") << QByteArray() << QByteArray("Set-Cookie: evil=1");
    }
    void unsafeHeadersNeverReachTheWire()
    {
        QFETCH(QByteArray, name);
        QFETCH(QByteArray, value);
        Response response = Response::json(QJsonObject{{u"ok"_s, true}});
        response.header("X-Before", "1").header(name, value).header("X-After", "2");
        for (const bool headOnly : {false, true}) {
            const QByteArray wire = serializeResponse(response, headOnly, false, {{name, value}});
            QVERIFY(!wire.contains("evil"));
            const qsizetype end = wire.indexOf("\r\n\r\n");
            QVERIFY(end > 0);
            const QByteArray head = wire.left(end + 2);
            // Every line of the head is a proper header line; nothing was split.
            QVERIFY(!head.contains('\0'));
            const QList<QByteArray> lines = head.split('\n');
            QVERIFY(lines.last().isEmpty());
            for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
                const QByteArray &line = lines[i];
                QVERIFY2(line.endsWith('\r'), line.constData());
                QVERIFY(!line.chopped(1).contains('\r'));
                if (i > 0)
                    QVERIFY2(line.indexOf(": ") > 0, line.constData());
            }
            QVERIFY(head.contains("\r\nX-Before: 1\r\n"));
            QVERIFY(head.contains("\r\nX-After: 2"));
            const HttpReply parsed = HttpClient::parse(wire);
            QCOMPARE(parsed.status, 200);
            QVERIFY(parsed.headerValues("set-cookie").isEmpty());
            QCOMPARE(wire.endsWith(R"({"ok":true})"), !headOnly);
        }
    }

    void serializedResponseShape()
    {
        const QByteArray body = R"({"ok":true})";
        QByteArray wire =
            serializeResponse(Response::json(QJsonObject{{u"ok"_s, true}}, 201), false, true, {});
        QVERIFY(wire.startsWith("HTTP/1.1 201 Created\r\n"));
        QVERIFY(wire.contains("\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n"));
        QVERIFY(wire.contains("\r\nConnection: close\r\n"));
        QVERIFY(wire.contains("\r\nCache-Control: no-store\r\n"));
        QVERIFY(wire.endsWith("\r\n\r\n" + body));
        // 204 and 304 carry neither a body nor a length.
        wire = serializeResponse(Response::empty(204), false, false, {});
        QVERIFY(!wire.contains("Content-Length"));
        QVERIFY(wire.endsWith("\r\n\r\n"));
        QVERIFY(!wire.contains("Connection:"));
    }
};

QTEST_GUILESS_MAIN(TestGuard)
#include "tst_guard.moc"
