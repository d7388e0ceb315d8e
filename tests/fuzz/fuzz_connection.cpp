// SPDX-License-Identifier: GPL-3.0-or-later
// A real Connection over a FakeLink (fakelink.h), driven by fuzz-chosen events: the
// client writes fuzz-chosen bytes in fuzz-chosen pieces, reads its answers slowly or not
// at all, closes; requests are answered at once or later and out of order, as the worker
// pool does; the clock jumps past deadlines. Invariants:
// - the requests dispatched are exactly those an independent reading of the delivered
//   bytes finds (httpreference.h), in order, with the same method, target, headers and
//   body; none after a request that ends the connection or after a refusal;
// - the bytes sent are well-formed HTTP/1.1 answers, one per dispatched request in
//   request order (each carries its index in X-Seq), a 100 Continue only before the
//   answer of a request that asked for it, at most one refusal and nothing after a
//   refusal or a "Connection: close" answer, and nothing after the FIN;
// - at most maxPipelined answers owed, and fewer while input is still read;
// - once every answer is given and read, nothing is stuck: with no deadline passed,
//   every request was dispatched and answered, and a malformed one refused.
// The byte stream comes from the front of the input, the events from its back.
#include "fakelink.h"
#include "fuzzsupport.h"
#include "httpreference.h"
#include "listenercontext.h"
#include "metrics.h"
#include "router.h"

#include <QCoreApplication>
#include <QPointer>
#include <fuzzer/FuzzedDataProvider.h>

using namespace Qt::StringLiterals;

namespace {

constexpr int kRequestTimeoutMs = 1000;
constexpr int kIdleTimeoutMs = 5000;
constexpr qint64 kDeltas[] = {0, 400, 1001, 2001, 5001, 7001, 12001, 60000};
constexpr int kStatuses[] = {200, 201, 204, 304, 302, 404, 429, 500};
constexpr qsizetype kPadding[] = {0, 10, 100, 1000};
const QList<int> kRefusals{400, 408, 413, 417, 431, 501, 503, 505};

struct Given
{
    int status = 200;
    QByteArray body;
};

// Reads what the connection sends, batch by batch, as a strict client would.
struct Wire
{
    Wire(const QList<RequestFramer::RequestInfo> &d, const QHash<qsizetype, Given> &g)
        : dispatched(d), given(g)
    {}
    const QList<RequestFramer::RequestInfo> &dispatched;
    const QHash<qsizetype, Given> &given;
    qsizetype answered = 0;     // final answers to requests read so far
    QList<qsizetype> continues; // for each 100 Continue, the index of the request
    bool finished = false;      // a refusal or a "Connection: close" answer was read
    int refusal = 0;

    void read(QByteArrayView bytes)
    {
        while (!bytes.isEmpty()) {
            FUZZ_CHECK(!finished);
            const qsizetype headEnd = bytes.indexOf("\r\n\r\n");
            FUZZ_CHECK(headEnd > 0); // a batch holds whole answers
            QList<QByteArray> lines = bytes.first(headEnd).toByteArray().split('\n');
            for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
                FUZZ_CHECK(lines[i].endsWith('\r'));
                lines[i].chop(1);
            }
            bytes = bytes.sliced(headEnd + 4);
            const QByteArray &statusLine = lines.first();
            FUZZ_CHECK(statusLine.startsWith("HTTP/1.1 ") && statusLine.size() > 13 &&
                       statusLine[12] == ' ');
            bool ok = false;
            const int status = statusLine.mid(9, 3).toInt(&ok);
            FUZZ_CHECK(ok && status >= 100 && status < 600);
            if (status == 100) {
                FUZZ_CHECK(lines.size() == 1 && statusLine == "HTTP/1.1 100 Continue");
                FUZZ_CHECK(continues.isEmpty() || continues.last() != answered);
                continues.append(answered);
                continue;
            }
            QHash<QByteArray, QByteArray> headers;
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const qsizetype colon = lines[i].indexOf(": ");
                FUZZ_CHECK(colon > 0);
                const QByteArray name = lines[i].first(colon).toLower();
                FUZZ_CHECK(!headers.contains(name) || name == "set-cookie");
                headers.insert(name, lines[i].sliced(colon + 2));
            }
            const bool close = headers.value("connection") == "close";
            const bool noBody = status == 204 || status == 304;
            FUZZ_CHECK(noBody != headers.contains("content-length"));
            const qsizetype length = headers.value("content-length").toLongLong();
            qsizetype bodyBytes = length;
            if (headers.contains("x-seq")) {
                FUZZ_CHECK(headers.value("x-seq") == QByteArray::number(answered));
                FUZZ_CHECK(answered < dispatched.size() && given.contains(answered));
                const RequestFramer::RequestInfo &info = dispatched[answered];
                const Given &g = given[answered];
                FUZZ_CHECK(status == g.status);
                FUZZ_CHECK(noBody || length == g.body.size());
                bodyBytes = info.method == "HEAD" || noBody ? 0 : g.body.size();
                FUZZ_CHECK(bytes.size() >= bodyBytes &&
                           bytes.first(bodyBytes) == g.body.first(bodyBytes));
                FUZZ_CHECK(close == info.closeAfter);
                FUZZ_CHECK((headers.value("connection") == "keep-alive") ==
                           (info.http10 && !info.closeAfter));
                finished = info.closeAfter;
                ++answered;
            } else {
                FUZZ_CHECK(kRefusals.contains(status) && close && bytes.size() >= length);
                finished = true;
                refusal = status;
            }
            bytes = bytes.sliced(bodyBytes);
        }
    }
};

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    static int argc = 1;
    static char name[] = "fuzz_connection";
    static char *argv[] = {name, nullptr};
    new QCoreApplication(argc, argv); // for deleteLater
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static Metrics metrics;
    static const Router router;
    FuzzedDataProvider fdp(data, size);
    ListenerContext context;
    context.router = &router;
    context.metrics = &metrics;
    context.requestTimeoutMs = kRequestTimeoutMs;
    context.idleTimeoutMs = kIdleTimeoutMs;
    // Small limits, so the fuzzer reaches them.
    context.maxHeaderBytes = 64 + fdp.ConsumeIntegralInRange(0, 15) * 64;
    context.maxBodyBytes = fdp.ConsumeIntegralInRange(0, 15) * 16;
    context.maxBodyChunks = 1 + fdp.ConsumeIntegralInRange(0, 15);
    context.maxPipelined = 1 + fdp.ConsumeIntegralInRange(0, 7);
    context.maxOutputBytes = qint64(64) << fdp.ConsumeIntegralInRange(0, 7);
    const qsizetype readChunk = 1 + fdp.ConsumeIntegralInRange(0, 255);
    // The socket's send buffer: never none, or nothing would ever leave.
    const qsizetype window = 8 + fdp.ConsumeIntegralInRange(0, 255) * 8;
    const bool turnedAway = fdp.ConsumeIntegral<uint8_t>() == 0xa5;
    const RequestFramer::Limits limits{context.maxHeaderBytes, context.maxBodyBytes,
                                       context.maxBodyChunks};

    QList<RequestFramer::RequestInfo> dispatched;
    QList<quint64> sequences;
    QList<qsizetype> owed; // dispatched, not answered yet
    QHash<qsizetype, Given> given;
    Wire wire{dispatched, given};
    auto *link = new FakeLink(readChunk, window);
    link->onWire = [&wire](QByteArrayView bytes) { wire.read(bytes); };
    auto *connection = new Connection(std::unique_ptr<Link>(link), context, 1);

    const auto answer = [&](qsizetype index) {
        Given g;
        g.status = kStatuses[fdp.ConsumeIntegralInRange(0, 7)];
        g.body = "answer " + QByteArray::number(index) + ' ' +
                 QByteArray(kPadding[fdp.ConsumeIntegralInRange(0, 3)], 'x');
        given.insert(index, g);
        owed.removeOne(index);
        Response response;
        response.status = g.status;
        response.body = g.body;
        response.header("X-Seq", QByteArray::number(index));
        if (context.connections.contains(1)) // as the listener: a closed one gets nothing
            connection->complete(sequences[index], response);
    };
    context.dispatch = [&](Connection &, quint64 sequence, RequestFramer::RequestInfo &info) {
        FUZZ_CHECK(!link->closed && !wire.finished && !turnedAway);
        FUZZ_CHECK(dispatched.isEmpty() || !dispatched.last().closeAfter);
        dispatched.append(info);
        sequences.append(sequence);
        owed.append(dispatched.size() - 1);
        if (fdp.ConsumeBool())
            answer(dispatched.size() - 1);
    };
    const auto checkPipelining = [&] {
        const qsizetype owedNow = dispatched.size() - wire.answered;
        FUZZ_CHECK(owedNow <= context.maxPipelined);
        if (link->reading && !link->closed && !link->wantFin)
            FUZZ_CHECK(owedNow < context.maxPipelined);
    };

    static const bool trace = qEnvironmentVariableIsSet("GATEHOUSE_FUZZ_TRACE");
    if (trace)
        link->onWire = [&wire](QByteArrayView bytes) {
            std::fprintf(stderr, "sent: %s\n",
                         bytes.toByteArray().toPercentEncoding(" :/").constData());
            wire.read(bytes);
        };
    const qint64 start = steadyMs();
    bool interrupted = false; // a deadline may have passed, or the link broke
    if (turnedAway)
        connection->turnAway(503, "Too many connections");
    for (int steps = 0; fdp.remaining_bytes() > 0 && steps < 1024 && !link->closed; ++steps) {
        const uint8_t op = fdp.ConsumeIntegral<uint8_t>();
        const int arg = op >> 3;
        if (trace)
            std::fprintf(
                stderr, "event %d arg %d: delivered %lld, dispatched %lld, answered %lld\n", op & 7,
                arg, static_cast<long long>(link->delivered.size()),
                static_cast<long long>(dispatched.size()), static_cast<long long>(wire.answered));
        switch (op & 7) {
        case 0:
        case 1:
        case 2: // the client writes a piece
            if (!link->clientClosed())
                link->clientWrites(
                    QByteArray::fromStdString(fdp.ConsumeBytesAsString(1 + arg * 8)));
            link->poll();
            break;
        case 3:
            if (!owed.isEmpty())
                answer(owed[fdp.ConsumeIntegralInRange<qsizetype>(0, owed.size() - 1)]);
            break;
        case 4: // the client reads some of its answers
            link->clientReads(arg == 31 ? qsizetype(1) << 30 : arg * 16);
            break;
        case 5:
            link->poll();
            break;
        case 6: {
            const qint64 delta = kDeltas[arg & 7];
            interrupted = interrupted || delta + (steadyMs() - start) >= kRequestTimeoutMs;
            connection->tick(steadyMs() + delta);
            break;
        }
        case 7:
            if (arg == 0) {
                interrupted = true;
                connection->onBroken();
            } else {
                link->clientCloses();
                link->poll();
            }
            break;
        }
        checkPipelining();
    }

    // Everything is answered and read, until nothing moves.
    // Each round moves something or ends the loop; the bound only guards against a livelock
    // (1-byte reads of a long stream need thousands of rounds).
    for (int round = 0; round < (1 << 20) && !link->closed; ++round) {
        const auto state = std::tuple(link->delivered.size(), wire.answered, owed.size(),
                                      link->unsent(), link->waitingInput());
        while (!owed.isEmpty())
            answer(owed.first());
        do
            link->clientReads(qsizetype(1) << 30);
        while (link->unsent() > 0 && !link->closed);
        link->poll();
        checkPipelining();
        if (state == std::tuple(link->delivered.size(), wire.answered, owed.size(), link->unsent(),
                                link->waitingInput()))
            break;
    }

    if (trace)
        std::fprintf(stderr, "delivered: %s\n",
                     link->delivered.toPercentEncoding(" :/").constData());
    bool rejected = false;
    std::optional<HttpReference::Framed> open;
    const QByteArray &stream = link->delivered;
    const QList<HttpReference::Framed> framed =
        HttpReference::frameBytewise(stream, limits, &rejected, &open);
    FUZZ_CHECK(dispatched.size() <= framed.size());
    qsizetype expected = framed.size(); // up to the first request that ends the connection
    bool ends = false;
    for (qsizetype i = 0; i < framed.size(); ++i) {
        const HttpReference::Checked c = HttpReference::check(stream, framed[i], limits);
        if (!c.error.isEmpty()) {
            std::fprintf(stderr, "reference: request %lld: %s\n", static_cast<long long>(i),
                         qPrintable(c.error));
            std::abort();
        }
        if (i < dispatched.size()) {
            const RequestFramer::RequestInfo &info = dispatched[i];
            FUZZ_CHECK(info.method == c.method && info.target == c.target);
            FUZZ_CHECK(info.headers == c.headers && info.body == c.body);
            FUZZ_CHECK(info.closeAfter == c.closeAfter && info.http10 == c.http10);
            FUZZ_CHECK(info.expectContinue == c.expectContinue);
        }
        if (c.closeAfter && !ends) {
            expected = i + 1;
            ends = true;
        }
    }
    for (qsizetype k : wire.continues) {
        FUZZ_CHECK(k <= framed.size());
        const HttpReference::Framed r =
            k < framed.size() ? framed[k] : open.value_or(HttpReference::Framed{});
        FUZZ_CHECK(r.headEnd > r.start);
        FUZZ_CHECK(HttpReference::checkHead(stream.sliced(r.start, r.headEnd - r.start), limits)
                       .expectContinue);
    }
    if (turnedAway) {
        FUZZ_CHECK(dispatched.isEmpty() && wire.refusal == 503);
    } else if (!interrupted) {
        FUZZ_CHECK(dispatched.size() == expected);
        FUZZ_CHECK(wire.answered == dispatched.size());
        // A refusal after a request that ends the connection is never read.
        FUZZ_CHECK((wire.refusal != 0) == (rejected && !ends));
        if (!link->closed && !wire.finished && !link->clientClosed())
            FUZZ_CHECK(link->reading); // not stuck paused
    }

    if (context.connections.contains(1)) {
        delete connection;
    } else { // closed: the event loop deletes it
        const QPointer<Connection> closed(connection);
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        FUZZ_CHECK(closed.isNull());
    }
    FUZZ_CHECK(context.connections.isEmpty());
    return 0;
}
