// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/base64url.h"

#include <QJsonDocument>

namespace Base64Url {

QByteArray encode(QByteArrayView raw)
{
    return raw.toByteArray().toBase64(QByteArray::Base64UrlEncoding |
                                      QByteArray::OmitTrailingEquals);
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
