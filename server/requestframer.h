// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

// Follows HTTP/1.1 message boundaries on the raw byte stream, ahead of QtHttpServer's
// own parser, to enforce what QtHttpServer 6.4 does not: header and body size limits,
// a well-formed request line, one unambiguous body length (no request smuggling), and
// per-request facts the responder needs (keep-alive or close, HEAD, Expect).
class RequestFramer
{
public:
    struct Limits
    {
        int maxHeaderBytes = 16 << 10;
        qint64 maxBodyBytes = 1 << 20;
    };
    // What the responder needs to know about each request, in arrival order.
    struct RequestInfo
    {
        bool closeAfter = false;
        bool expectContinue = false;
        QByteArray path; // request target without the query, for error shapes
    };
    struct Verdict
    {
        int rejectStatus = 0; // 0: fine; else 400, 413, 431 or 501
        QByteArray reason;
        QByteArray path;      // of the offending request, when known
        bool sendContinue = false;
    };

    explicit RequestFramer(Limits limits) : m_limits(limits) {}

    // Feeds newly received bytes; completed request heads are queued in `arrived`.
    Verdict feed(QByteArrayView data);
    bool midRequest() const { return m_state != State::Head || !m_head.isEmpty(); }
    QList<RequestInfo> &arrived() { return m_arrived; }

private:
    enum class State { Head, Body, ChunkSize, ChunkData, ChunkDataEnd, Trailer };

    Verdict parseHead(QByteArrayView head);
    Verdict reject(int status, const char *reason) const;
    qsizetype feedHead(QByteArrayView data, Verdict &verdict);
    qsizetype feedLine(QByteArrayView data, Verdict &verdict);

    Limits m_limits;
    State m_state = State::Head;
    QByteArray m_head; // header bytes of the request being received
    QByteArray m_line; // current chunk-size or trailer line
    qint64 m_remaining = 0;
    qint64 m_bodySoFar = 0;
    QByteArray m_path;
    QList<RequestInfo> m_arrived;
};
