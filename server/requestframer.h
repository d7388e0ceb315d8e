// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

// Follows HTTP/1.1 message boundaries on the raw byte stream, ahead of QtHttpServer's
// own parser, to enforce what QtHttpServer 6.4 does not: header and body size limits,
// a well-formed request line, one unambiguous body length (no request smuggling), and
// per-request facts the responder needs (keep-alive or close, HEAD, Expect).
//
// It must cut the stream exactly where QtHttpServer 6.4 does, or the two disagree on
// where a request ends and a body could be parsed as a request. So it refuses what
// QtHttpServer would frame differently: a head ends at the first empty line (CRLF or
// bare LF, as QtHttpServer reads it); more than 100 header fields (QtHttpServer then
// silently drops every header, Content-Length included); chunked bodies whose lines do
// not end in CRLF, and trailer fields (QtHttpServer reads the two bytes after the last
// chunk as its end and the rest as a new request); WebSocket upgrades (QtHttpServer runs
// the handler, then answers a second time and closes).
class RequestFramer
{
public:
    struct Limits
    {
        int maxHeaderBytes = 16 << 10; // the whole head, up to and including the empty line
        qint64 maxBodyBytes = 1 << 20;
        // A chunked body costs QtHttpServer an allocation per chunk: 1-byte chunks turn
        // a 1 MiB body into a million of them.
        int maxBodyChunks = 4096;
    };
    // QtHttpServer's own header parser limits (QHttpHeaderParser); past them it drops
    // every header of the request, so they are refused here with 431.
    static constexpr int kMaxHeaderFields = 100;
    static constexpr int kMaxHeaderFieldBytes = 100 << 10;
    static constexpr int kMaxHeaderBlockBytes = 256 << 10;
    // What the framing of one chunked body (size lines, extensions, line ends) may add on
    // the wire to its data, which counts towards maxBodyBytes.
    static constexpr int kMaxChunkFramingBytes = 64 << 10;

    // What the responder needs to know about each request, in arrival order.
    struct RequestInfo
    {
        bool closeAfter = false;
        bool http10 = false; // an HTTP/1.0 client keeps the connection only when told so
        bool expectContinue = false;
        QByteArray path; // request target without the query, for error shapes
    };
    struct Verdict
    {
        int rejectStatus = 0; // 0: fine; else 400, 413, 417, 431, 501 or 505
        QByteArray reason;
        QByteArray path; // of the offending request, when known
        bool sendContinue = false;
    };

    explicit RequestFramer(Limits limits) : m_limits(limits) {}

    // Feeds newly received bytes; request heads are queued in `arrived` as they complete.
    // After a refusal, `arrived` holds only the complete requests before the refused one.
    Verdict feed(QByteArrayView data);
    bool midRequest() const { return m_state != State::Head || !m_head.isEmpty(); }
    // True while the body of the last arrived request is still coming.
    bool inBody() const { return m_state != State::Head; }
    QList<RequestInfo> &arrived() { return m_arrived; }
    // The path of the request whose body is coming, for the shape of a refusal.
    QByteArray pathInBody() const { return inBody() ? m_path : QByteArray(); }

private:
    enum class State { Head, Body, ChunkSize, ChunkData, ChunkDataEnd, Trailer };

    Verdict parseHead(QByteArrayView head);
    Verdict reject(int status, const char *reason) const;
    Verdict rejectBody(int status, const char *reason);
    qsizetype feedHead(QByteArrayView data, Verdict &verdict);
    qsizetype feedLine(QByteArrayView data, Verdict &verdict);

    Limits m_limits;
    State m_state = State::Head;
    QByteArray m_head; // header bytes of the request being received
    QByteArray m_line; // current chunk-size or trailer line
    qint64 m_remaining = 0;
    qint64 m_bodySoFar = 0;
    qint64 m_chunkFraming = 0; // bytes of chunk framing in the current body
    int m_chunks = 0;
    QByteArray m_path;
    QList<RequestInfo> m_arrived;
};
