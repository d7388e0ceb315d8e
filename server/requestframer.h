// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

// Gatehouse's HTTP/1.1 request parser: it cuts the raw byte stream into requests
// (method, target, headers, body) and enforces the limits: header and body sizes, a
// well-formed request line, one unambiguous body length (no request smuggling), and the
// per-request facts the responder needs (keep-alive or close, HEAD, Expect).
//
// It is strict where parsers are known to disagree, so that a proxy in front of
// Gatehouse cannot read a request differently: a head ends at the first empty line
// (CRLF or bare LF); at most 100 header fields; chunked bodies whose lines all end in
// CRLF and no trailer fields; no WebSocket upgrades (Gatehouse serves none). These
// limits once kept it in step with QtHttpServer 6.4, which parsed behind it.
class RequestFramer
{
public:
    struct Limits
    {
        int maxHeaderBytes = 16 << 10; // the whole head, up to and including the empty line
        qint64 maxBodyBytes = 1 << 20;
        // Each chunk costs a parse step and an append: 1-byte chunks would turn a 1 MiB
        // body into a million of them.
        int maxBodyChunks = 4096;
    };
    // Past these a request is refused with 431.
    static constexpr int kMaxHeaderFields = 100;
    static constexpr int kMaxHeaderFieldBytes = 100 << 10;
    static constexpr int kMaxHeaderBlockBytes = 256 << 10;
    // What the framing of one chunked body (size lines, extensions, line ends) may add on
    // the wire to its data, which counts towards maxBodyBytes.
    static constexpr int kMaxChunkFramingBytes = 64 << 10;

    // One request, in arrival order; the body fills in as it arrives.
    struct RequestInfo
    {
        bool closeAfter = false;
        bool http10 = false; // an HTTP/1.0 client keeps the connection only when told so
        bool expectContinue = false;
        QByteArray path;   // request target without the query (at most 512 bytes), for errors
        QByteArray method; // as sent: a token, case-sensitive
        QByteArray target; // origin-form: path and query, still percent-encoded
        QList<std::pair<QByteArray, QByteArray>> headers; // names in lower case, values trimmed
        QByteArray body;                                  // chunked bodies decoded
    };
    struct Verdict
    {
        int rejectStatus = 0; // 0: fine; else 400, 413, 417, 431, 501 or 505
        QByteArray reason;
        QByteArray path; // of the offending request, when known
        bool sendContinue = false;
    };

    explicit RequestFramer(Limits limits) : m_limits(limits) {}

    // Feeds newly received bytes; each request is queued in `arrived` once its head is
    // complete (inBody() tells whether the last one's body is still coming). After a
    // refusal, `arrived` holds only the complete requests before the refused one.
    // With `used`, it stops right after the first request completes and says how many
    // bytes it took, so a caller can hold back the rest.
    Verdict feed(QByteArrayView data, qsizetype *used = nullptr);
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
