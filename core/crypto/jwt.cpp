// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/jwt.h"

#include "crypto/base64url.h"
#include "crypto/digest.h"
#include "crypto/hmackey.h"
#include "jsonnumber.h"

#include <QJsonDocument>
#include <QJsonValue>
#include <QList>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kClockSkewSecs = 60;

} // namespace

Jwt::Jwt(QByteArrayView masterKey, QStringView purpose)
    : m_key(HmacKey::forPurpose(masterKey, purpose))
{}

QByteArray Jwt::sign(const QJsonObject &claims) const
{
    static const QByteArray header = Base64Url::encode(R"({"alg":"HS256","typ":"JWT"})");
    QByteArray input =
        header + '.' + Base64Url::encode(QJsonDocument(claims).toJson(QJsonDocument::Compact));
    return input + '.' + Base64Url::encode(m_key->mac(input));
}

Result<QJsonObject> Jwt::verify(QByteArrayView token, qint64 nowSecs) const
{
    using R = Result<QJsonObject>;
    const qsizetype first = token.indexOf('.');
    const qsizetype last = token.lastIndexOf('.');
    if (first <= 0 || last == first || token.sliced(first + 1, last - first - 1).contains('.'))
        return R::failure(Refusal::Kind::TokenInvalid, u"malformed token"_s);

    const auto header = Base64Url::decodeObject(token.first(first));
    if (!header || header->value(u"alg").toString() != u"HS256" || header->contains(u"crit"))
        return R::failure(Refusal::Kind::TokenInvalid, u"unsupported token algorithm"_s);

    // Compare the canonical encoding, not the decoded bytes: base64url leaves spare bits
    // in the last character, and padding is optional to Qt's decoder, so decoding would
    // accept several spellings of one signature (a malleable token).
    const QByteArray expected = Base64Url::encode(m_key->mac(token.first(last)));
    if (!Digest::equal(expected, token.sliced(last + 1)))
        return R::failure(Refusal::Kind::TokenInvalid, u"bad token signature"_s);

    const auto payload = Base64Url::decodeObject(token.sliced(first + 1, last - first - 1));
    if (!payload)
        return R::failure(Refusal::Kind::TokenInvalid, u"malformed token payload"_s);
    const auto exp = jsonInteger(payload->value(u"exp"));
    if (!exp)
        return R::failure(Refusal::Kind::TokenInvalid, u"token has no expiry"_s);
    if (*exp <= nowSecs)
        return R::failure(Refusal::Kind::TokenExpired, u"token expired"_s);
    const auto nbf = jsonInteger(payload->value(u"nbf"));
    if (nbf && *nbf > nowSecs + kClockSkewSecs)
        return R::failure(Refusal::Kind::TokenInvalid, u"token not yet valid"_s);
    const auto iat = jsonInteger(payload->value(u"iat"));
    if (iat && *iat > nowSecs + kClockSkewSecs)
        return R::failure(Refusal::Kind::TokenInvalid, u"token issued in the future"_s);
    return *payload;
}

QJsonObject Jwt::unverifiedPayload(QByteArrayView token)
{
    const QList<QByteArray> parts = token.toByteArray().split('.');
    if (parts.size() != 3)
        return {};
    return Base64Url::decodeObject(parts[1]).value_or(QJsonObject());
}
