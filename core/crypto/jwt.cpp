// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/jwt.h"

#include "crypto/base64url.h"
#include "crypto/digest.h"
#include "crypto/hmackey.h"
#include "jsonnumber.h"

#include <QHash>
#include <QJsonDocument>
#include <QJsonValue>
#include <QList>
#include <optional>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kClockSkewSecs = 60;
constexpr qsizetype kVerifiedCap = 4096;

// A token this thread verified before: its payload and times, found again by its MAC.
// Only a token whose MAC checked out (constant time, as always) is looked up, so the
// cache answers only for tokens Gatehouse signed itself, and it spares their base64 and
// JSON decoding, never the signature check. The times are checked on every use.
struct Verified
{
    std::shared_ptr<const HmacKey> key; // held: a later key cannot reuse its address
    QByteArray signedPart;
    QJsonObject payload;
    qint64 exp = 0;
    std::optional<qint64> nbf;
    std::optional<qint64> iat;
};

QHash<QByteArray, Verified> &verifiedTokens()
{
    thread_local QHash<QByteArray, Verified> cache;
    return cache;
}

Result<QJsonObject> checkTimes(const Verified &v, qint64 nowSecs)
{
    using R = Result<QJsonObject>;
    if (v.exp <= nowSecs)
        return R::failure(Refusal::Kind::TokenExpired, u"token expired"_s);
    if (v.nbf && *v.nbf > nowSecs + kClockSkewSecs)
        return R::failure(Refusal::Kind::TokenInvalid, u"token not yet valid"_s);
    if (v.iat && *v.iat > nowSecs + kClockSkewSecs)
        return R::failure(Refusal::Kind::TokenInvalid, u"token issued in the future"_s);
    return v.payload;
}

} // namespace

Jwt::Jwt(QByteArrayView masterKey, QStringView purpose)
    : m_key(HmacKey::forPurpose(masterKey, purpose))
{}

QByteArray Jwt::sign(const QJsonObject &claims) const
{
    return signPayload(QJsonDocument(claims).toJson(QJsonDocument::Compact));
}

QByteArray Jwt::signPayload(QByteArrayView json) const
{
    static const QByteArray header = Base64Url::encode(R"({"alg":"HS256","typ":"JWT"})");
    const QByteArray payload = Base64Url::encode(json);
    QByteArray token;
    token.reserve(header.size() + payload.size() + 45); // two dots, a 43-character MAC
    token += header;
    token += '.';
    token += payload;
    const QByteArray mac = Base64Url::encode(m_key->mac(token));
    token += '.';
    token += mac;
    return token;
}

Result<QJsonObject> Jwt::verify(QByteArrayView token, qint64 nowSecs) const
{
    using R = Result<QJsonObject>;
    const qsizetype first = token.indexOf('.');
    const qsizetype last = token.lastIndexOf('.');
    if (first <= 0 || last == first || token.sliced(first + 1, last - first - 1).contains('.'))
        return R::failure(Refusal::Kind::TokenInvalid, u"malformed token"_s);

    const QByteArray mac = m_key->mac(token.first(last));
    // Compare the canonical encoding, not the decoded bytes: base64url leaves spare bits
    // in the last character, and padding is optional to Qt's decoder, so decoding would
    // accept several spellings of one signature (a malleable token).
    const bool signatureGood = Digest::equal(Base64Url::encode(mac), token.sliced(last + 1));
    QHash<QByteArray, Verified> &cache = verifiedTokens();
    if (signatureGood) {
        const auto known = cache.constFind(mac);
        if (known != cache.cend() && known->key == m_key && known->signedPart == token.first(last))
            return checkTimes(*known, nowSecs);
    }

    const auto header = Base64Url::decodeObject(token.first(first));
    if (!header || header->value(u"alg").toString() != u"HS256" || header->contains(u"crit"))
        return R::failure(Refusal::Kind::TokenInvalid, u"unsupported token algorithm"_s);
    if (!signatureGood)
        return R::failure(Refusal::Kind::TokenInvalid, u"bad token signature"_s);

    const auto payload = Base64Url::decodeObject(token.sliced(first + 1, last - first - 1));
    if (!payload)
        return R::failure(Refusal::Kind::TokenInvalid, u"malformed token payload"_s);
    const auto exp = jsonInteger(payload->value(u"exp"));
    if (!exp)
        return R::failure(Refusal::Kind::TokenInvalid, u"token has no expiry"_s);
    Verified verified{
        m_key, token.first(last).toByteArray(),     *payload,
        *exp,  jsonInteger(payload->value(u"nbf")), jsonInteger(payload->value(u"iat"))};
    Result<QJsonObject> checked = checkTimes(verified, nowSecs);
    if (checked) {
        if (cache.size() >= kVerifiedCap)
            cache.clear();
        cache.insert(mac, std::move(verified));
    }
    return checked;
}

QJsonObject Jwt::unverifiedPayload(QByteArrayView token)
{
    const QList<QByteArray> parts = token.toByteArray().split('.');
    if (parts.size() != 3)
        return {};
    return Base64Url::decodeObject(parts[1]).value_or(QJsonObject());
}
