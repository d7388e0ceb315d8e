// SPDX-License-Identifier: GPL-3.0-or-later
// RequestFramer on arbitrary bytes. Invariants:
// - the outcome (refusal, requests and their facts, mid-request) does not depend on how
//   the bytes are cut into reads: whole, one byte at a time, or fuzz-chosen pieces;
// - every request it accepts is well formed by an independent reading of the rules
//   (httpreference.h), and ends exactly where that reading ends it.
#include "fuzzsupport.h"
#include "httpreference.h"

namespace {

struct Outcome
{
    int status = 0;
    QByteArray reason;
    QByteArray rejectPath;
    QList<QByteArray> facts; // path, closeAfter, http10, expectContinue per request
    bool mid = false;
    bool operator==(const Outcome &) const = default;
};

Outcome run(QByteArrayView stream, const QList<qsizetype> &cuts, RequestFramer::Limits limits)
{
    RequestFramer framer(limits);
    Outcome out;
    qsizetype pos = 0;
    for (qsizetype i = 0; i <= cuts.size(); ++i) {
        const qsizetype end = i < cuts.size() ? qMin(cuts[i], stream.size()) : stream.size();
        if (end <= pos)
            continue;
        const RequestFramer::Verdict v = framer.feed(stream.sliced(pos, end - pos));
        pos = end;
        if (v.rejectStatus != 0) {
            FUZZ_CHECK(QList<int>({400, 413, 417, 431, 501, 505}).contains(v.rejectStatus));
            out.status = v.rejectStatus;
            out.reason = v.reason;
            out.rejectPath = v.path;
            break;
        }
    }
    for (const RequestFramer::RequestInfo &info : framer.arrived())
        out.facts << info.path + ' ' + char('0' + info.closeAfter) + char('0' + info.http10) +
                         char('0' + info.expectContinue);
    out.mid = out.status == 0 && framer.midRequest();
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    // Small limits, so the fuzzer reaches them: byte 0 picks them, byte 1 seeds the cuts.
    RequestFramer::Limits limits;
    limits.maxHeaderBytes = 64 + (data[0] & 0x0f) * 64;
    limits.maxBodyBytes = (data[0] >> 4) * 16;
    unsigned seed = data[1];
    const QByteArrayView stream(reinterpret_cast<const char *>(data + 2), qsizetype(size - 2));

    QList<qsizetype> pieces, bytes;
    for (qsizetype pos = 0; pos < stream.size();) {
        seed = seed * 1103515245u + 12345u;
        pos += 1 + (seed >> 16) % 24;
        pieces << pos;
    }
    for (qsizetype i = 1; i < stream.size(); ++i)
        bytes << i;
    const Outcome whole = run(stream, {}, limits);
    FUZZ_CHECK(run(stream, pieces, limits) == whole);
    FUZZ_CHECK(run(stream, bytes, limits) == whole);

    bool rejected = false;
    const QList<HttpReference::Framed> framed =
        HttpReference::frameBytewise(stream, limits, &rejected);
    FUZZ_CHECK(rejected == (whole.status != 0));
    qsizetype previousEnd = 0;
    for (const HttpReference::Framed &r : framed) {
        // Only blank lines may come between requests.
        for (qsizetype i = previousEnd; i < r.start; ++i)
            FUZZ_CHECK(stream[i] == '\r' || stream[i] == '\n');
        const HttpReference::Checked c = HttpReference::check(stream, r, limits);
        if (!c.error.isEmpty()) {
            std::fprintf(stderr, "accepted a malformed request at %lld: %s\n",
                         static_cast<long long>(r.start), qPrintable(c.error));
            std::abort();
        }
        previousEnd = r.end;
    }
    return 0;
}
