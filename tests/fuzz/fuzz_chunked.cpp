// SPDX-License-Identifier: GPL-3.0-or-later
// Chunked request bodies through RequestFramer. Byte 0 chooses the mode:
// - raw: the rest is the body of a chunked POST, followed by a second request. Whatever
//   the framer accepts must be exactly one well-formed chunked body by the independent
//   decoder (httpreference.h), ending where the framer ended it.
// - round trip: the rest is a payload, cut into chunks (sizes, hex case, extensions and
//   whitespace chosen by the payload): the framer must accept it and end the body right
//   after the terminating CRLF, with the decoded bytes equal to the payload.
#include "fuzzsupport.h"
#include "httpreference.h"

namespace {

const QByteArray kHead = "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
const QByteArray kNext = "GET /next HTTP/1.1\r\n\r\n";

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    RequestFramer::Limits limits;
    limits.maxBodyBytes = 1 << 16;
    const QByteArray rest(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    if (data[0] & 1) {
        QByteArray body;
        unsigned seed = data[0];
        for (qsizetype pos = 0; pos < rest.size();) {
            seed = seed * 1103515245u + 12345u;
            const qsizetype n = qMin<qsizetype>(rest.size() - pos, 1 + (seed >> 16) % 40);
            QByteArray hex = QByteArray::number(n, 16);
            if (seed & 0x100)
                hex = hex.toUpper();
            if (seed & 0x200)
                hex.prepend("00");
            if (seed & 0x400)
                hex += ";ext=1";
            body += hex + "\r\n" + rest.sliced(pos, n) + "\r\n";
            pos += n;
        }
        body += (seed & 0x800) ? "0;last\r\n\r\n" : "0\r\n\r\n";
        const QByteArray stream = kHead + body + kNext;
        bool rejected = false;
        const auto framed = HttpReference::frameBytewise(stream, limits, &rejected);
        FUZZ_CHECK(!rejected);
        FUZZ_CHECK(framed.size() == 2);
        FUZZ_CHECK(framed[0].headEnd == kHead.size());
        FUZZ_CHECK(framed[0].end == kHead.size() + body.size());
        FUZZ_CHECK(framed[1].end == stream.size());
        const auto decoded = HttpReference::dechunk(body);
        FUZZ_CHECK(decoded && *decoded == rest);
        return 0;
    }
    const QByteArray stream = kHead + rest + kNext;
    const auto framed = HttpReference::frameBytewise(stream, limits);
    for (const HttpReference::Framed &r : framed) {
        const HttpReference::Checked c = HttpReference::check(stream, r, limits);
        if (!c.error.isEmpty()) {
            std::fprintf(stderr, "accepted a malformed request: %s\n", qPrintable(c.error));
            std::abort();
        }
    }
    return 0;
}
