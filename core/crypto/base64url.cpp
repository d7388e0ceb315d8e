// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/base64url.h"

#include <QJsonDocument>

namespace Base64Url {

// Written directly: QByteArray::toBase64 needs a QByteArray, a copy of every token's
// parts on each request. Same bytes (tst_base64url compares them).
QByteArray encode(QByteArrayView raw)
{
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const auto *in = reinterpret_cast<const unsigned char *>(raw.data());
    const qsizetype n = raw.size();
    QByteArray out((n * 4 + 2) / 3, Qt::Uninitialized);
    char *cursor = out.data();
    qsizetype i = 0;
    for (; i + 2 < n; i += 3) {
        const quint32 v = quint32(in[i]) << 16 | quint32(in[i + 1]) << 8 | in[i + 2];
        *cursor++ = kAlphabet[v >> 18];
        *cursor++ = kAlphabet[(v >> 12) & 63];
        *cursor++ = kAlphabet[(v >> 6) & 63];
        *cursor++ = kAlphabet[v & 63];
    }
    if (i < n) { // one or two bytes left: two or three characters, no padding
        const quint32 v = quint32(in[i]) << 16 | (i + 1 < n ? quint32(in[i + 1]) << 8 : 0);
        *cursor++ = kAlphabet[v >> 18];
        *cursor++ = kAlphabet[(v >> 12) & 63];
        if (i + 1 < n)
            *cursor++ = kAlphabet[(v >> 6) & 63];
    }
    return out;
}

std::optional<QByteArray> decode(QByteArrayView text)
{
    if (text.contains('=') || text.contains('+') || text.contains('/'))
        return std::nullopt;
    auto decoded = QByteArray::fromBase64Encoding(text.toByteArray(),
                                                  QByteArray::Base64UrlEncoding |
                                                      QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    return *decoded;
}

std::optional<QJsonObject> decodeObject(QByteArrayView segment)
{
    const auto raw = decode(segment);
    if (!raw)
        return std::nullopt;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(*raw, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}

} // namespace Base64Url
