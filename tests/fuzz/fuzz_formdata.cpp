// SPDX-License-Identifier: GPL-3.0-or-later
// FormData::parse (multipart/form-data and urlencoded bodies). Byte 0 chooses the mode:
// - raw: the first line is the Content-Type, the rest the body. The parser either
//   returns fields or throws a 400 ApiError: nothing else.
// - round trip: NUL-separated boundary, then name/value pairs, made legal and encoded
//   as a browser would; parsing must give back each name's first value.
#include "fuzzsupport.h"
#include "http/apierror.h"
#include "http/formdata.h"

using namespace Qt::StringLiterals;

namespace {

QByteArray keep(QByteArrayView in, QByteArrayView allowed, qsizetype max)
{
    QByteArray out;
    for (char c : in)
        if (allowed.contains(c) && out.size() < max)
            out += c;
    return out;
}

const QByteArray kBoundaryChars =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'()+_,-./:=?";
const QByteArray kNameChars = "abcdefghijklmnopqrstuvwxyz_0123456789-";

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const QByteArray rest(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    Request request;
    if (!(data[0] & 1)) {
        const qsizetype nl = rest.indexOf('\n');
        request.headers.append({"content-type", nl < 0 ? rest : rest.first(nl)});
        request.body = nl < 0 ? QByteArray() : rest.sliced(nl + 1);
        try {
            const auto fields = FormData::parse(request);
            for (auto it = fields.cbegin(); it != fields.cend(); ++it)
                (void)FormData::field(fields, it.key(), u"x"_s, 16);
        } catch (const ApiError &e) {
            FUZZ_CHECK(e.status == 400);
        }
        return 0;
    }
    const QList<QByteArray> items = rest.split('\0');
    const QByteArray boundary = keep(items[0], kBoundaryChars, 70);
    if (boundary.isEmpty())
        return 0;
    QByteArray body;
    QList<std::pair<QString, QByteArray>> expected;
    for (qsizetype i = 1; i + 1 < items.size(); i += 2) {
        const QByteArray name = keep(items[i], kNameChars, 40);
        const QByteArray &value = items[i + 1];
        if (name.isEmpty() || value.contains("\r\n--" + boundary) ||
            (value + "\r\n").contains("\r\n--" + boundary))
            return 0;
        if (i == 1 && value.startsWith("--" + boundary))
            return 0;
        body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name +
                "\"\r\n\r\n" + value + "\r\n";
        expected.append({QString::fromLatin1(name), value});
    }
    if (expected.size() > 64)
        return 0; // the parser's documented limit
    body += "--" + boundary + "--\r\n";
    if (body.startsWith("--" + boundary + "--") && expected.isEmpty())
        return 0;
    request.headers.append({"content-type", "multipart/form-data; boundary=" + boundary});
    request.body = body;
    QHash<QString, QByteArray> fields;
    try {
        fields = FormData::parse(request);
    } catch (const ApiError &e) {
        std::fprintf(stderr, "refused a well-formed body: %s\n%s\n", qPrintable(e.detail),
                     body.constData());
        std::abort();
    }
    QHash<QString, QByteArray> first;
    for (const auto &[name, value] : expected)
        if (!first.contains(name))
            first.insert(name, value);
    FUZZ_CHECK(fields == first);
    return 0;
}
