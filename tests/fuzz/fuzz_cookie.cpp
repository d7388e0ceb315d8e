// SPDX-License-Identifier: GPL-3.0-or-later
// Request::cookie. Byte 0 chooses the mode:
// - raw: NUL-separated wanted name, then Cookie header values. The result is empty or
//   the trimmed value of a `name=value` pair whose name is exactly the wanted one.
// - round trip: name/value pairs (names from a tiny alphabet, so prefixes and
//   near-misses abound) written as browsers do, over one or several Cookie headers with
//   varying spaces; cookie(name) gives each name's first value, absent names nothing.
#include "fuzzsupport.h"
#include "http/request.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const QByteArray rest(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    Request request;
    if (!(data[0] & 1)) {
        const QList<QByteArray> items = rest.split('\0');
        const QByteArray wanted = items[0].trimmed();
        if (wanted.isEmpty() || wanted.contains(';') || wanted.contains('='))
            return 0;
        for (qsizetype i = 1; i < items.size(); ++i)
            request.headers.append({i % 3 ? "cookie" : "x-other", items[i]});
        const QByteArray value = request.cookie(wanted);
        if (value.isEmpty())
            return 0;
        FUZZ_CHECK(!value.contains(';'));
        bool found = false;
        for (qsizetype i = 1; i < items.size() && !found; i += 1) {
            if (i % 3 == 0)
                continue;
            for (const QByteArray &pair : items[i].split(';')) {
                const qsizetype eq = pair.indexOf('=');
                if (eq > 0 && pair.first(eq).trimmed() == wanted) {
                    FUZZ_CHECK(pair.sliced(eq + 1).trimmed() == value); // the first match
                    found = true;
                    break;
                }
            }
        }
        FUZZ_CHECK(found);
        return 0;
    }
    // Pairs: each input byte picks a name from "a", "b", "ab", "ba", "a_b"… and a value.
    static const QList<QByteArray> names = {"a", "b", "ab", "ba", "a_b", "A", "aa", "b-a"};
    QList<std::pair<QByteArray, QByteArray>> pairs;
    QByteArray header;
    for (qsizetype i = 0; i < rest.size(); ++i) {
        const auto c = static_cast<unsigned char>(rest[i]);
        const QByteArray name = names[c % names.size()];
        QByteArray value = QByteArray::number(i) + char('a' + (c >> 3) % 26);
        if (c & 0x80)
            value = "\"" + value + "\""; // quoted: kept as is, quotes included
        pairs.append({name, value});
        header += name + '=' + value;
        if (c & 0x40) { // a new Cookie header
            request.headers.append({"cookie", header});
            header.clear();
        } else {
            header += (c & 0x20) ? ";" : "; ";
        }
    }
    request.headers.append({"cookie", header});
    for (const QByteArray &name : names) {
        QByteArray expected;
        for (const auto &[n, v] : pairs)
            if (n == name) {
                expected = v;
                break;
            }
        FUZZ_CHECK(request.cookie(name) == expected);
    }
    return 0;
}
