// SPDX-License-Identifier: GPL-3.0-or-later
// Differential: Gatehouse's RequestFramer and QtHttpServer 6.4 must split a byte stream
// into the same requests. QtHttpServer's parser is private in 6.4 (no private headers
// are installed, and QHttpServerRequestPrivate is not exported), so the target drives a
// real QAbstractHttpServer in-process over a loopback TCP connection, which is the path
// every request takes in production.
//
// For each input, the bytes up to the end of the last request the framer accepted are
// sent, followed by a sentinel request. QtHttpServer must then report the same requests
// in order (method, path, body — a chunked body decoded) and then the sentinel. It may
// stop early only by closing the connection (a request it cannot parse): nothing after
// that point is ever read, so no byte can be taken for a different request.
#include "fuzzsupport.h"
#include "httpreference.h"

#include <QAbstractHttpServer>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHttpServerRequest>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

namespace {

const QByteArray kSentinelPath = "/__fuzz_end";

struct Seen
{
    QByteArray method;
    QByteArray path;
    QByteArray body;
};

class Recorder : public QAbstractHttpServer
{
public:
    QList<Seen> seen;
    bool sentinel = false;

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override
    {
        const QByteArray path = request.url().path(QUrl::FullyEncoded).toUtf8();
        if (path == kSentinelPath) {
            sentinel = true;
        } else if (!sentinel) {
            seen.append({methodName(request.method()), path, request.body()});
        }
        // As Gatehouse's Connection does: go on with pipelined bytes still buffered.
        if (socket->bytesAvailable() > 0)
            QMetaObject::invokeMethod(socket, "readyRead", Qt::QueuedConnection);
        return true;
    }
    void missingHandler(const QHttpServerRequest &, QTcpSocket *) override {}

private:
    static QByteArray methodName(QHttpServerRequest::Method m)
    {
        switch (m) {
        case QHttpServerRequest::Method::Get:
            return "GET";
        case QHttpServerRequest::Method::Put:
            return "PUT";
        case QHttpServerRequest::Method::Delete:
            return "DELETE";
        case QHttpServerRequest::Method::Post:
            return "POST";
        case QHttpServerRequest::Method::Head:
            return "HEAD";
        case QHttpServerRequest::Method::Options:
            return "OPTIONS";
        case QHttpServerRequest::Method::Patch:
            return "PATCH";
        case QHttpServerRequest::Method::Connect:
            return "CONNECT";
        case QHttpServerRequest::Method::Trace:
            return "TRACE";
        default:
            return "UNKNOWN";
        }
    }
};

// Remembers the server side of the newest connection, to see QtHttpServer close it.
class Server : public QTcpServer
{
public:
    QPointer<QTcpSocket> last;
    QTcpSocket *nextPendingConnection() override
    {
        QTcpSocket *socket = QTcpServer::nextPendingConnection();
        last = socket;
        return socket;
    }
};

QCoreApplication *g_app = nullptr;
Server *g_server = nullptr;
Recorder *g_recorder = nullptr;

// The path as QtHttpServer's QUrl would give it, from the raw request target.
QByteArray expectedPath(const QByteArray &target)
{
    const qsizetype q = target.indexOf('?');
    const QByteArray raw = q < 0 ? target : target.first(q);
    return QUrl::fromEncoded(raw).path(QUrl::FullyEncoded).toUtf8();
}

void fail(const char *what, qsizetype index, const QByteArray &expected, const QByteArray &actual)
{
    std::fprintf(
        stderr,
        "framer and QtHttpServer disagree on request %lld: %s\n  framer: %s\n  qt:     %s\n",
        static_cast<long long>(index), what, expected.toStdString().c_str(),
        actual.toStdString().c_str());
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    g_app = new QCoreApplication(*argc, *argv);
    g_server = new Server;
    FUZZ_CHECK(g_server->listen(QHostAddress::LocalHost, 0));
    g_recorder = new Recorder;
    g_recorder->bind(g_server);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    RequestFramer::Limits limits; // the defaults Gatehouse runs with
    const QByteArrayView stream(reinterpret_cast<const char *>(data), qsizetype(size));
    const QList<HttpReference::Framed> framed = HttpReference::frameBytewise(stream, limits);
    if (framed.isEmpty())
        return 0;
    QList<HttpReference::Checked> expected;
    for (const HttpReference::Framed &r : framed) {
        expected << HttpReference::check(stream, r, limits);
        FUZZ_CHECK(expected.last().error.isEmpty()); // fuzz_framer's invariant
    }

    g_recorder->seen.clear();
    g_recorder->sentinel = false;
    g_server->last.clear();
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, g_server->serverPort());
    FUZZ_CHECK(client.waitForConnected(5000));
    client.write(stream.first(framed.last().end).toByteArray() + "GET " + kSentinelPath +
                 " HTTP/1.1\r\nHost: fuzz\r\n\r\n");
    QElapsedTimer timer;
    timer.start();
    bool closedByQt = false;
    while (!g_recorder->sentinel) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        if (g_server->last && g_server->last->state() != QAbstractSocket::ConnectedState) {
            closedByQt = true;
            break;
        }
        if (!g_server->last && client.state() != QAbstractSocket::ConnectedState) {
            closedByQt = true;
            break;
        }
        if (timer.elapsed() > 5000) {
            std::fprintf(stderr, "QtHttpServer neither reached the sentinel nor closed: it is "
                                 "waiting for bytes the framer did not give this request\n");
            std::abort();
        }
    }
    const QList<Seen> &seen = g_recorder->seen;
    static const bool trace = qEnvironmentVariableIsSet("GATEHOUSE_FUZZ_TRACE");
    if (trace) {
        std::fprintf(stderr, "framer %lld, qt %lld%s:", static_cast<long long>(expected.size()),
                     static_cast<long long>(seen.size()), closedByQt ? " (qt closed)" : "");
        for (const Seen &s : seen)
            std::fprintf(stderr, " %s %s [%lld]", s.method.constData(), s.path.constData(),
                         static_cast<long long>(s.body.size()));
        std::fprintf(stderr, "\n");
    }
    if (seen.size() > expected.size())
        fail("QtHttpServer saw more requests", expected.size(), "", seen.last().path);
    if (!closedByQt && seen.size() != expected.size())
        fail("QtHttpServer saw fewer requests", seen.size(), expected[seen.size()].target, "");
    for (qsizetype i = 0; i < seen.size(); ++i) {
        // QtHttpServer reports a method it does not know as Unknown (Gatehouse answers 404
        // or 405): a known name must still be reported as itself. Qt 6.4 reports TRACE as
        // Unknown too (seen with 6.4.2, every TRACE request), so TRACE is not
        // in the list; the framing (path and body) is still compared.
        static const QList<QByteArray> known = {"GET",  "PUT",     "DELETE", "POST",
                                                "HEAD", "OPTIONS", "PATCH",  "CONNECT"};
        const bool unknown = seen[i].method == "UNKNOWN" && !known.contains(expected[i].method);
        if (seen[i].method != expected[i].method && !unknown)
            fail("method", i, expected[i].method, seen[i].method);
        if (expected[i].target != "*" && seen[i].path != expectedPath(expected[i].target))
            fail("path", i, expectedPath(expected[i].target), seen[i].path);
        if (seen[i].body != expected[i].body)
            fail("body", i, expected[i].body.toHex(), seen[i].body.toHex());
    }
    client.abort();
    if (g_server->last)
        g_server->last->abort();
    QCoreApplication::processEvents();
    return 0;
}
