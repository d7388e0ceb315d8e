// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// An independent, deliberately plain reading of the HTTP/1.1 rules RequestFramer
// promises (see server/requestframer.h), written from RFC 9112 and the framer's
// documented contract, not from its code: the fuzz targets check every request the
// framer accepts against it, and find where the framer put each request's ends.

#include "requestframer.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <optional>

namespace HttpReference {

struct Framed
{
    qsizetype start = 0;   // first byte of the request line
    qsizetype headEnd = 0; // just past the empty line
    qsizetype end = 0;     // just past the body
};

// Where the framer puts each request, found by feeding one byte at a time and watching
// `arrived` grow and the body end. `complete` gets only requests whose body ended;
// `rejected` whether a refusal came; `open` the request whose head arrived and whose
// body did not end (end -1), if any.
inline QList<Framed> frameBytewise(QByteArrayView stream, RequestFramer::Limits limits,
                                   bool *rejected = nullptr, std::optional<Framed> *open = nullptr)
{
    RequestFramer framer(limits);
    QList<Framed> out;
    qsizetype seen = 0; // arrived().size() as last observed
    qsizetype start = -1;
    bool openRequest = false; // a request has arrived, its body not yet ended
    if (rejected)
        *rejected = false;
    for (qsizetype i = 0; i < stream.size(); ++i) {
        if (start < 0 && !framer.midRequest() && stream[i] != '\r' && stream[i] != '\n')
            start = i;
        const RequestFramer::Verdict v = framer.feed(stream.sliced(i, 1));
        if (v.rejectStatus != 0) {
            if (rejected)
                *rejected = true;
            break;
        }
        if (framer.arrived().size() > seen) {
            seen = framer.arrived().size();
            out.append({start, i + 1, -1});
            openRequest = true;
        }
        if (openRequest && !framer.inBody()) {
            out.last().end = i + 1;
            openRequest = false;
            start = -1;
        }
    }
    if (openRequest) {
        if (open)
            *open = out.last();
        out.removeLast();
    }
    return out;
}

inline bool isTchar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

inline bool allTchar(QByteArrayView s)
{
    if (s.isEmpty())
        return false;
    for (char c : s)
        if (!isTchar(c))
            return false;
    return true;
}

inline bool hasCtl(QByteArrayView s)
{
    for (char c : s)
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f)
            return true;
    return false;
}

inline QByteArray lower(QByteArrayView s)
{
    return s.toByteArray().toLower();
}

// RFC 9112 §7.1 chunked body without trailers, every line ending in CRLF. Returns the
// decoded body and sets `used` to the bytes consumed, or nullopt when `body` does not
// hold exactly one complete, well-formed chunked body.
inline std::optional<QByteArray> dechunk(QByteArrayView body)
{
    QByteArray out;
    qsizetype pos = 0;
    for (;;) {
        const qsizetype eol = body.indexOf("\r\n", pos);
        if (eol < 0)
            return std::nullopt;
        QByteArrayView line = body.sliced(pos, eol - pos);
        if (line.contains('\n') || line.contains('\r'))
            return std::nullopt;
        if (const qsizetype semi = line.indexOf(';'); semi >= 0)
            line = line.first(semi);
        line = line.trimmed();
        if (line.isEmpty())
            return std::nullopt;
        qint64 size = 0;
        for (char c : line) {
            const int d = QByteArray("0123456789abcdef").indexOf(char(c | 0x20));
            if (d < 0 || size > (qint64(1) << 40))
                return std::nullopt;
            size = size * 16 + d;
        }
        pos = eol + 2;
        if (size == 0)
            return body.sliced(pos) == "\r\n" ? std::optional(out) : std::nullopt;
        if (body.size() - pos < size + 2 || body.sliced(pos + size, 2) != "\r\n")
            return std::nullopt;
        out.append(body.sliced(pos, size));
        pos += size + 2;
    }
}

struct Checked
{
    QByteArray method;
    QByteArray target;
    QList<std::pair<QByteArray, QByteArray>> headers; // names lower-cased, values trimmed
    QByteArray body;                                  // decoded
    bool chunked = false;
    bool http10 = false;
    bool closeAfter = false;      // "Connection: close", or HTTP/1.0 without "keep-alive"
    bool expectContinue = false;  // HTTP/1.1 "Expect: 100-continue"
    std::optional<qint64> length; // Content-Length
    QString error;                // empty when the request is well formed
};

// Whether a comma-separated header list holds `token` (case-insensitive).
inline bool listHas(QByteArrayView value, QByteArrayView token)
{
    for (const QByteArray &item : value.toByteArray().split(','))
        if (lower(item.trimmed()) == lower(token))
            return true;
    return false;
}

// Checks one request head (request line to the empty line, inclusive) by the framer's
// contract: a request line "METHOD SP target SP HTTP/1.0|1.1", header lines "name:
// value" without folding or control characters, one Content-Length value or
// "Transfer-Encoding: chunked" (never both).
inline Checked checkHead(QByteArrayView head, const RequestFramer::Limits &limits)
{
    Checked c;
    const auto fail = [&](const char *why) {
        c.error = QString::fromLatin1(why);
        return c;
    };
    // The head ends at its first empty line, and only there.
    qsizetype emptyAt = -1;
    for (qsizetype i = 0; i < head.size(); ++i) {
        if (head[i] != '\n')
            continue;
        if (i + 1 < head.size() && head[i + 1] == '\n') {
            emptyAt = i + 2;
            break;
        }
        if (i + 2 < head.size() && head[i + 1] == '\r' && head[i + 2] == '\n') {
            emptyAt = i + 3;
            break;
        }
    }
    if (emptyAt != head.size())
        return fail("head does not end at its first empty line");
    if (head.size() > limits.maxHeaderBytes)
        return fail("head longer than the limit");
    QList<QByteArray> lines = head.toByteArray().split('\n');
    for (QByteArray &line : lines)
        if (line.endsWith('\r'))
            line.chop(1);
    // The request line.
    const QList<QByteArray> parts = lines.first().split(' ');
    if (parts.size() != 3)
        return fail("request line is not three parts");
    c.method = parts[0];
    c.target = parts[1];
    if (!allTchar(c.method))
        return fail("method is not a token");
    if (c.target.isEmpty() || hasCtl(c.target) || (c.target[0] != '/' && c.target != "*"))
        return fail("bad request target");
    if (parts[2] != "HTTP/1.1" && parts[2] != "HTTP/1.0")
        return fail("bad HTTP version");
    c.http10 = parts[2] == "HTTP/1.0";
    bool te = false;
    bool close = false;
    bool keepAlive = false;
    int fields = 0;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines[i];
        if (line.isEmpty())
            continue;
        ++fields;
        if (line[0] == ' ' || line[0] == '\t')
            return fail("folded header line");
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !allTchar(line.first(colon)))
            return fail("bad header name");
        const QByteArray name = lower(line.first(colon));
        const QByteArray value = line.sliced(colon + 1).trimmed();
        if (hasCtl(value))
            return fail("control character in a header value");
        c.headers.append({name, value});
        if (name == "content-length") {
            bool ok = !value.isEmpty();
            for (char ch : value)
                ok = ok && ch >= '0' && ch <= '9';
            if (!ok || value.size() > 15)
                return fail("bad Content-Length");
            const qint64 n = value.toLongLong();
            if (c.length && *c.length != n)
                return fail("two Content-Length values");
            c.length = n;
        } else if (name == "transfer-encoding") {
            if (lower(value) != "chunked")
                return fail("a transfer coding other than chunked");
            te = true;
        } else if (name == "connection") {
            close = close || listHas(value, "close");
            keepAlive = keepAlive || listHas(value, "keep-alive");
        } else if (name == "expect" && !c.http10) {
            if (lower(value) != "100-continue")
                return fail("an expectation other than 100-continue");
            c.expectContinue = true;
        }
    }
    if (fields > RequestFramer::kMaxHeaderFields)
        return fail("too many header fields");
    if (te && c.length)
        return fail("both Content-Length and Transfer-Encoding");
    c.chunked = te;
    c.closeAfter = close || (c.http10 && !keepAlive);
    return c;
}

// Checks that stream[r.start, r.end) is one well-formed request: a head checkHead
// accepts, and a body of exactly its framing.
inline Checked check(QByteArrayView stream, const Framed &r, const RequestFramer::Limits &limits)
{
    if (r.start < 0 || r.start >= r.headEnd || r.headEnd > r.end) {
        Checked c;
        c.error = QString::fromLatin1("request bounds out of order");
        return c;
    }
    Checked c = checkHead(stream.sliced(r.start, r.headEnd - r.start), limits);
    if (!c.error.isEmpty())
        return c;
    const auto fail = [&](const char *why) {
        c.error = QString::fromLatin1(why);
        return c;
    };
    const QByteArrayView body = stream.sliced(r.headEnd, r.end - r.headEnd);
    if (c.chunked) {
        const auto decoded = dechunk(body);
        if (!decoded)
            return fail("chunked body does not end where the framer ended it");
        if (decoded->size() > limits.maxBodyBytes)
            return fail("chunked body over the limit");
        c.body = *decoded;
    } else {
        if (body.size() != c.length.value_or(0))
            return fail("body length is not Content-Length");
        if (body.size() > limits.maxBodyBytes)
            return fail("body over the limit");
        c.body = body.toByteArray();
    }
    return c;
}

} // namespace HttpReference
