// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <optional>

// Unpadded base64url (RFC 4648 §5), as JWTs, JWKs and PKCE use it.
namespace Base64Url {
QByteArray encode(QByteArrayView raw);
// Strict: padding, '+', '/' or any other stray character is an error.
std::optional<QByteArray> decode(QByteArrayView text);
// A JWT/JWS segment: base64url of a JSON object.
std::optional<QJsonObject> decodeObject(QByteArrayView segment);
} // namespace Base64Url
