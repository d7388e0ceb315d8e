// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"

#include <memory>

#include <QByteArray>
#include <QJsonObject>
#include <QString>

// HS256 JSON Web Tokens bound to one purpose. The signing key is derived from the
// master key and the purpose name, so a token minted for one purpose (say, a login)
// never verifies for another (say, a password reset), without adding claims to the
// documented payloads. Only HS256 is accepted; `alg: none` and every other
// algorithm are refused, and `exp` is required.
class HmacKey;

class Jwt
{
public:
    Jwt(QByteArrayView masterKey, QStringView purpose);

    [[nodiscard]] QByteArray sign(const QJsonObject &claims) const;
    // The same for a payload already written as compact JSON text (core/jsontext.h): a
    // token minted on every request skips building a QJsonObject and printing it.
    [[nodiscard]] QByteArray signPayload(QByteArrayView json) const;
    [[nodiscard]] Result<QJsonObject> verify(QByteArrayView token, qint64 nowSecs) const;

    // Splits a compact JWS without checking it; for tests and diagnostics.
    static QJsonObject unverifiedPayload(QByteArrayView token);

private:
    std::shared_ptr<const HmacKey> m_key; // derived once per master key and purpose
};
