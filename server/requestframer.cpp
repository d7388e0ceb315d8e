// SPDX-License-Identifier: GPL-3.0-or-later
#include "requestframer.h"

#include <optional>
#include <utility>

namespace {

constexpr int kMaxChunkLine = 1024;

bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

bool isToken(QByteArrayView s)
{
    if (s.isEmpty())
        return false;
    for (char c : s)
        if (!isTokenChar(c))
            return false;
    return true;
}

bool hasControl(QByteArrayView s)
{
    for (char c : s)
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f)
            return true;
    return false;
}

bool equalsNoCase(QByteArrayView a, QByteArrayView b)
{
    return a.size() == b.size() && a.compare(b, Qt::CaseInsensitive) == 0;
}

bool containsNoCase(QByteArrayView haystack, QByteArrayView needle)
{
    for (qsizetype i = 0; i + needle.size() <= haystack.size(); ++i)
        if (equalsNoCase(haystack.sliced(i, needle.size()), needle))
            return true;
    return false;
}

std::optional<qint64> parseDecimal(QByteArrayView s)
{
    if (s.isEmpty() || s.size() > 15)
        return std::nullopt;
    qint64 n = 0;
    for (char c : s) {
        if (c < '0' || c > '9')
            return std::nullopt;
        n = n * 10 + (c - '0');
    }
    return n;
}

std::optional<qint64> parseHex(QByteArrayView s)
{
    if (s.isEmpty() || s.size() > 12)
        return std::nullopt;
    qint64 n = 0;
    for (char c : s) {
        int d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return std::nullopt;
        n = n * 16 + d;
    }
    return n;
}

// Where a head ends: at the first LF followed by LF or CRLF, searched from `from`. Returns {index
// of that first LF, index just past the empty line}, or {-1, -1}.
std::pair<qsizetype, qsizetype> headEnd(QByteArrayView s, qsizetype from)
{
    for (qsizetype i = s.indexOf('\n', from); i >= 0; i = s.indexOf('\n', i + 1)) {
        if (i + 1 < s.size() && s[i + 1] == '\n')
            return {i, i + 2};
        if (i + 2 < s.size() && s[i + 1] == '\r' && s[i + 2] == '\n')
            return {i, i + 3};
    }
    return {-1, -1};
}

// Splits off the next line (without its LF, and without a CR before it).
QByteArrayView takeLine(QByteArrayView &rest)
{
    const qsizetype nl = rest.indexOf('\n');
    QByteArrayView line = nl < 0 ? rest : rest.first(nl);
    rest = nl < 0 ? QByteArrayView() : rest.sliced(nl + 1);
    if (line.endsWith('\r'))
        line.chop(1);
    return line;
}

} // namespace

RequestFramer::Verdict RequestFramer::reject(int status, const char *reason) const
{
    Verdict v;
    v.rejectStatus = status;
    v.reason = reason;
    v.path = m_path;
    return v;
}

// A refusal in the middle of a body: that request will never be answered, so it
// leaves `arrived`, which then holds only the complete requests before it.
RequestFramer::Verdict RequestFramer::rejectBody(int status, const char *reason)
{
    if (!m_arrived.isEmpty())
        m_arrived.removeLast();
    return reject(status, reason);
}

RequestFramer::Verdict RequestFramer::feed(QByteArrayView data, qsizetype *used)
{
    Verdict verdict;
    const qsizetype total = data.size();
    while (!data.isEmpty() && verdict.rejectStatus == 0) {
        const State before = m_state;
        const qsizetype arrivedBefore = m_arrived.size();
        qsizetype took = 0;
        switch (m_state) {
        case State::Head:
            took = feedHead(data, verdict);
            break;
        case State::Body:
            took = qsizetype(qMin<qint64>(m_remaining, data.size()));
            m_arrived.last().body.append(data.first(took));
            m_remaining -= took;
            if (m_remaining == 0)
                m_state = State::Head;
            break;
        case State::ChunkData:
            took = qsizetype(qMin<qint64>(m_remaining, data.size()));
            m_arrived.last().body.append(data.first(took));
            m_remaining -= took;
            if (m_remaining == 0)
                m_state = State::ChunkDataEnd;
            break;
        case State::ChunkSize:
        case State::ChunkDataEnd:
        case State::Trailer:
            took = feedLine(data, verdict);
            m_chunkFraming += took;
            if (verdict.rejectStatus == 0 && m_chunkFraming > kMaxChunkFramingBytes)
                verdict = rejectBody(413, "Request body too large");
            break;
        }
        data = data.sliced(took);
        const bool completed = verdict.rejectStatus == 0 && m_state == State::Head &&
                               (before != State::Head || m_arrived.size() > arrivedBefore);
        if (used && completed)
            break;
    }
    if (used)
        *used = total - data.size();
    return verdict;
}

qsizetype RequestFramer::feedHead(QByteArrayView data, Verdict &verdict)
{
    const qsizetype max = m_limits.maxHeaderBytes;
    if (m_head.isEmpty()) {
        qsizetype start = 0; // tolerate blank lines between requests
        while (start < data.size() && (data[start] == '\r' || data[start] == '\n'))
            ++start;
        if (start == data.size())
            return start;
        // Usually the whole head is in one piece: parse it in place, without a copy.
        const QByteArrayView rest = data.sliced(start);
        const auto [lf, end] = headEnd(rest.first(qMin(rest.size(), max)), 0);
        if (end >= 0) {
            verdict = parseHead(rest.first(lf));
            return start + end;
        }
        if (rest.size() >= max) {
            verdict = reject(431, "Request headers too large");
            return data.size();
        }
        m_head.append(rest);
        return data.size();
    }
    const qsizetype before = m_head.size();
    const qsizetype take = qMin<qsizetype>(data.size(), max - before);
    m_head.append(data.first(take));
    // The empty line may have started in the bytes already held.
    const auto [lf, end] = headEnd(m_head, qMax<qsizetype>(0, before - 2));
    if (end < 0) {
        if (m_head.size() >= max) {
            verdict = reject(431, "Request headers too large");
            return data.size();
        }
        return take;
    }
    verdict = parseHead(QByteArrayView(m_head).first(lf));
    m_head.clear();
    return end - before;
}

RequestFramer::Verdict RequestFramer::parseHead(QByteArrayView head)
{
    m_path.clear();
    if (head.size() > kMaxHeaderBlockBytes)
        return reject(431, "Request headers too large");
    QByteArrayView rest = head;
    // Request line: METHOD SP target SP HTTP/1.x
    const QByteArrayView requestLine = takeLine(rest);
    const qsizetype sp1 = requestLine.indexOf(' ');
    const qsizetype sp2 = requestLine.lastIndexOf(' ');
    if (sp1 <= 0 || sp2 <= sp1 + 1)
        return reject(400, "Malformed request line");
    const QByteArrayView method = requestLine.first(sp1);
    const QByteArrayView target = requestLine.sliced(sp1 + 1, sp2 - sp1 - 1);
    const QByteArrayView version = requestLine.sliced(sp2 + 1);
    if (!isToken(method) || target.contains(' ') || hasControl(target) ||
        (target[0] != '/' && target != "*"))
        return reject(400, "Malformed request line");
    const qsizetype q = target.indexOf('?');
    const QByteArrayView path = q < 0 ? target : target.first(q);
    m_path = path.first(qMin<qsizetype>(path.size(), 512)).toByteArray();
    const bool http10 = version == "HTTP/1.0";
    if (!http10 && version != "HTTP/1.1")
        return reject(version.startsWith("HTTP/") ? 505 : 400, "Unsupported HTTP version");

    std::optional<qint64> contentLength;
    bool chunked = false;
    bool sawTransferEncoding = false;
    bool sawClose = false;
    bool sawKeepAlive = false;
    bool expectContinue = false;
    bool connectionUpgrade = false;
    bool websocket = false;
    int fields = 0;
    QList<std::pair<QByteArray, QByteArray>> headers;
    headers.reserve(12); // a browser's usual count: no regrowth on the way
    while (!rest.isEmpty()) {
        const QByteArrayView line = takeLine(rest);
        if (line.isEmpty())
            continue;
        if (line[0] == ' ' || line[0] == '\t')
            return reject(400, "Folded header lines are not accepted");
        if (++fields > kMaxHeaderFields)
            return reject(431, "Too many header fields");
        if (line.size() > kMaxHeaderFieldBytes)
            return reject(431, "Request headers too large");
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line.first(colon)))
            return reject(400, "Malformed header line");
        const QByteArrayView name = line.first(colon);
        const QByteArrayView value = line.sliced(colon + 1).trimmed();
        if (hasControl(value))
            return reject(400, "Control characters in a header value");
        headers.append({name.toByteArray().toLower(), value.toByteArray()});
        if (equalsNoCase(name, "content-length")) {
            const auto n = parseDecimal(value);
            if (!n || (contentLength && *contentLength != *n))
                return reject(400, "Invalid Content-Length");
            contentLength = n;
        } else if (equalsNoCase(name, "transfer-encoding")) {
            sawTransferEncoding = true;
            chunked = equalsNoCase(value, "chunked");
            if (!chunked)
                return reject(501, "Only chunked transfer coding is supported");
        } else if (equalsNoCase(name, "connection")) {
            connectionUpgrade = connectionUpgrade || containsNoCase(value, "upgrade");
            for (QByteArrayView tokens = value; !tokens.isEmpty();) {
                const qsizetype comma = tokens.indexOf(',');
                const QByteArrayView token = (comma < 0 ? tokens : tokens.first(comma)).trimmed();
                tokens = comma < 0 ? QByteArrayView() : tokens.sliced(comma + 1);
                sawClose = sawClose || equalsNoCase(token, "close");
                sawKeepAlive = sawKeepAlive || equalsNoCase(token, "keep-alive");
            }
        } else if (equalsNoCase(name, "expect") && !http10) { // HTTP/1.0: ignored (RFC 9110)
            if (!equalsNoCase(value, "100-continue"))
                return reject(417, "Unsupported Expect header");
            expectContinue = true;
        } else if (equalsNoCase(name, "upgrade")) {
            websocket = websocket || equalsNoCase(value, "websocket");
        }
    }
    // Gatehouse serves no WebSockets: an upgrade is refused rather than answered as HTTP.
    if (connectionUpgrade && websocket)
        return reject(501, "WebSocket is not supported");
    if (sawTransferEncoding && contentLength)
        return reject(400, "Both Content-Length and Transfer-Encoding given");
    if (contentLength && *contentLength > m_limits.maxBodyBytes)
        return reject(413, "Request body too large");

    RequestInfo info;
    info.path = m_path;
    info.http10 = http10;
    info.closeAfter = sawClose || (http10 && !sawKeepAlive);
    info.expectContinue = expectContinue;
    info.method = method.toByteArray();
    info.target = target.toByteArray();
    info.headers = std::move(headers);
    // What is declared, up to 64 KiB: a declared size alone must not reserve memory.
    if (contentLength.value_or(0) > 0)
        info.body.reserve(qsizetype(qMin<qint64>(*contentLength, 64 << 10)));
    Verdict verdict;
    verdict.sendContinue = expectContinue && (chunked || contentLength.value_or(0) > 0);
    m_arrived.append(std::move(info));
    m_bodySoFar = 0;
    m_chunkFraming = 0;
    m_chunks = 0;
    if (chunked) {
        m_state = State::ChunkSize;
    } else if (contentLength.value_or(0) > 0) {
        m_state = State::Body;
        m_remaining = *contentLength;
    }
    return verdict;
}

// Chunk-size lines, the CRLF after chunk data, and the CRLF that ends the body. Every
// one must end in CRLF (parsers that accept a bare LF there disagree on where it ends).
qsizetype RequestFramer::feedLine(QByteArrayView data, Verdict &verdict)
{
    const qsizetype nl = data.indexOf('\n');
    if (nl < 0) {
        m_line.append(data);
        if (m_line.size() > kMaxChunkLine)
            verdict = rejectBody(400, "Malformed chunked body");
        return data.size();
    }
    const qsizetype take = nl + 1;
    QByteArrayView line = data.first(take);
    if (!m_line.isEmpty()) {
        m_line.append(line);
        line = m_line;
    }
    if (line.size() > kMaxChunkLine || line.size() < 2 || line[line.size() - 2] != '\r') {
        verdict = rejectBody(400, "Malformed chunked body");
        return data.size();
    }
    line.chop(2);
    switch (m_state) {
    case State::ChunkDataEnd:
        if (!line.isEmpty())
            verdict = rejectBody(400, "Malformed chunked body");
        m_state = State::ChunkSize;
        break;
    case State::ChunkSize: {
        // A bare CR (or any control byte) in the line: parsers disagree on where such a
        // line ends, a request smuggling vector.
        if (hasControl(line)) {
            verdict = rejectBody(400, "Malformed chunked body");
            break;
        }
        const qsizetype semicolon = line.indexOf(';');
        const auto size = parseHex((semicolon < 0 ? line : line.first(semicolon)).trimmed());
        if (!size) {
            verdict = rejectBody(400, "Malformed chunked body");
            break;
        }
        m_bodySoFar += *size;
        if (*size > 0 && ++m_chunks > m_limits.maxBodyChunks) {
            verdict = rejectBody(413, "Too many chunks in the request body");
            break;
        }
        if (m_bodySoFar > m_limits.maxBodyBytes) {
            verdict = rejectBody(413, "Request body too large");
            break;
        }
        m_remaining = *size;
        m_state = *size == 0 ? State::Trailer : State::ChunkData;
        break;
    }
    case State::Trailer:
        // Trailer fields are refused: some parsers take the two bytes after the last chunk
        // as the end of the body and read the trailers as a new request.
        if (!line.isEmpty())
            verdict = rejectBody(400, "Chunked trailers are not accepted");
        m_state = State::Head;
        break;
    default:
        break;
    }
    m_line.resize(0);
    return take;
}
