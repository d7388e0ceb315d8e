// SPDX-License-Identifier: GPL-3.0-or-later
#include "requestframer.h"

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

} // namespace

RequestFramer::Verdict RequestFramer::reject(int status, const char *reason) const
{
    Verdict v;
    v.rejectStatus = status;
    v.reason = reason;
    v.path = m_path;
    return v;
}

RequestFramer::Verdict RequestFramer::feed(QByteArrayView data)
{
    Verdict verdict;
    while (!data.isEmpty() && verdict.rejectStatus == 0) {
        qsizetype used = 0;
        switch (m_state) {
        case State::Head:
            used = feedHead(data, verdict);
            break;
        case State::Body:
            used = qsizetype(qMin<qint64>(m_remaining, data.size()));
            m_remaining -= used;
            if (m_remaining == 0)
                m_state = State::Head;
            break;
        case State::ChunkData:
            used = qsizetype(qMin<qint64>(m_remaining, data.size()));
            m_remaining -= used;
            if (m_remaining == 0)
                m_state = State::ChunkDataEnd;
            break;
        case State::ChunkSize:
        case State::ChunkDataEnd:
        case State::Trailer:
            used = feedLine(data, verdict);
            break;
        }
        data = data.sliced(used);
    }
    return verdict;
}

qsizetype RequestFramer::feedHead(QByteArrayView data, Verdict &verdict)
{
    qsizetype start = 0;
    if (m_head.isEmpty()) { // tolerate blank lines between requests
        while (start < data.size() && (data[start] == '\r' || data[start] == '\n'))
            ++start;
        if (start == data.size())
            return start;
    }
    const qsizetype before = m_head.size();
    const qsizetype take = qMin<qsizetype>(data.size() - start, m_limits.maxHeaderBytes + 4 - before);
    m_head.append(data.sliced(start, take));
    qsizetype end = m_head.indexOf("\r\n\r\n", qMax<qsizetype>(0, before - 3));
    qsizetype endLength = 4;
    if (end < 0) {
        end = m_head.indexOf("\n\n", qMax<qsizetype>(0, before - 1));
        endLength = 2;
    }
    if (end < 0) {
        if (m_head.size() > m_limits.maxHeaderBytes) {
            verdict = reject(431, "Request headers too large");
            return data.size();
        }
        return data.size();
    }
    if (end > m_limits.maxHeaderBytes) {
        verdict = reject(431, "Request headers too large");
        return data.size();
    }
    const QByteArray head = m_head.left(end);
    const qsizetype usedFromData = start + (end + endLength - before);
    m_head.clear();
    verdict = parseHead(head);
    return usedFromData;
}

RequestFramer::Verdict RequestFramer::parseHead(QByteArrayView head)
{
    QList<QByteArrayView> lines;
    for (qsizetype from = 0; from <= head.size();) {
        qsizetype nl = head.indexOf('\n', from);
        if (nl < 0)
            nl = head.size();
        QByteArrayView line = head.sliced(from, nl - from);
        if (line.endsWith('\r'))
            line.chop(1);
        lines.append(line);
        from = nl + 1;
    }
    // Request line: METHOD SP target SP HTTP/1.x
    const QByteArrayView requestLine = lines.value(0);
    const qsizetype sp1 = requestLine.indexOf(' ');
    const qsizetype sp2 = requestLine.lastIndexOf(' ');
    m_path.clear();
    if (sp1 <= 0 || sp2 <= sp1 + 1)
        return reject(400, "Malformed request line");
    const QByteArrayView method = requestLine.first(sp1);
    const QByteArrayView target = requestLine.sliced(sp1 + 1, sp2 - sp1 - 1);
    const QByteArrayView version = requestLine.sliced(sp2 + 1);
    if (!isToken(method) || target.contains(' ') || hasControl(target) ||
        (target[0] != '/' && target != "*"))
        return reject(400, "Malformed request line");
    const qsizetype q = target.indexOf('?');
    m_path = (q < 0 ? target : target.first(q)).toByteArray().left(512);
    if (version != "HTTP/1.1" && version != "HTTP/1.0")
        return reject(version.startsWith("HTTP/") ? 505 : 400, "Unsupported HTTP version");

    std::optional<qint64> contentLength;
    bool chunked = false;
    bool sawTransferEncoding = false;
    RequestInfo info;
    info.path = m_path;
    info.closeAfter = version == "HTTP/1.0";
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArrayView line = lines[i];
        if (line.isEmpty())
            continue;
        if (line[0] == ' ' || line[0] == '\t')
            return reject(400, "Folded header lines are not accepted");
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line.first(colon)))
            return reject(400, "Malformed header line");
        const QByteArray name = line.first(colon).toByteArray().toLower();
        const QByteArrayView value = line.sliced(colon + 1).trimmed();
        if (hasControl(value))
            return reject(400, "Control characters in a header value");
        if (name == "content-length") {
            const auto n = parseDecimal(value);
            if (!n || (contentLength && *contentLength != *n))
                return reject(400, "Invalid Content-Length");
            contentLength = n;
        } else if (name == "transfer-encoding") {
            sawTransferEncoding = true;
            chunked = value.compare("chunked", Qt::CaseInsensitive) == 0;
            if (!chunked)
                return reject(501, "Only chunked transfer coding is supported");
        } else if (name == "connection") {
            for (const QByteArray &token : value.toByteArray().toLower().split(',')) {
                if (token.trimmed() == "close")
                    info.closeAfter = true;
                else if (token.trimmed() == "keep-alive")
                    info.closeAfter = false;
            }
        } else if (name == "expect") {
            if (value.compare("100-continue", Qt::CaseInsensitive) != 0)
                return reject(417, "Unsupported Expect header");
            info.expectContinue = true;
        }
    }
    if (sawTransferEncoding && contentLength)
        return reject(400, "Both Content-Length and Transfer-Encoding given");
    if (contentLength && *contentLength > m_limits.maxBodyBytes)
        return reject(413, "Request body too large");

    Verdict verdict;
    verdict.sendContinue = info.expectContinue && (chunked || contentLength.value_or(0) > 0);
    m_arrived.append(info);
    m_bodySoFar = 0;
    if (chunked) {
        m_state = State::ChunkSize;
    } else if (contentLength.value_or(0) > 0) {
        m_state = State::Body;
        m_remaining = *contentLength;
    }
    return verdict;
}

qsizetype RequestFramer::feedLine(QByteArrayView data, Verdict &verdict)
{
    const qsizetype nl = data.indexOf('\n');
    const qsizetype take = nl < 0 ? data.size() : nl + 1;
    m_line.append(data.first(take));
    if (m_line.size() > kMaxChunkLine) {
        verdict = reject(400, "Malformed chunked body");
        return data.size();
    }
    if (nl < 0)
        return take;
    QByteArrayView line = QByteArrayView(m_line).chopped(1);
    if (line.endsWith('\r'))
        line.chop(1);
    switch (m_state) {
    case State::ChunkDataEnd:
        if (!line.isEmpty())
            verdict = reject(400, "Malformed chunked body");
        m_state = State::ChunkSize;
        break;
    case State::ChunkSize: {
        const qsizetype semicolon = line.indexOf(';');
        const auto size = parseHex((semicolon < 0 ? line : line.first(semicolon)).trimmed());
        if (!size) {
            verdict = reject(400, "Malformed chunked body");
            break;
        }
        m_bodySoFar += *size;
        if (m_bodySoFar > m_limits.maxBodyBytes) {
            verdict = reject(413, "Request body too large");
            break;
        }
        m_remaining = *size;
        m_state = *size == 0 ? State::Trailer : State::ChunkData;
        break;
    }
    case State::Trailer:
        if (line.isEmpty())
            m_state = State::Head;
        break;
    default:
        break;
    }
    m_line.clear();
    return take;
}
