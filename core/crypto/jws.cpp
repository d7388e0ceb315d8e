// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/jws.h"

#include "crypto/base64url.h"
#include "crypto/jwkkey.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace {

bool verifySha256(EVP_PKEY *key, QByteArrayView input, QByteArrayView signature)
{
    const OpenSsl::MdCtx ctx(EVP_MD_CTX_new());
    return ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
           EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char *>(signature.data()),
                            size_t(signature.size()),
                            reinterpret_cast<const unsigned char *>(input.data()),
                            size_t(input.size())) == 1;
}

std::optional<QJsonObject> findKey(const QJsonObject &jwks, const QString &kid, const QString &kty)
{
    const QJsonArray keys = jwks.value(u"keys"_s).toArray();
    std::optional<QJsonObject> only;
    int candidates = 0;
    for (const QJsonValue &value : keys) {
        const QJsonObject key = value.toObject();
        if (key.value(u"kty"_s).toString() != kty)
            continue;
        ++candidates;
        only = key;
        if (!kid.isEmpty() && key.value(u"kid"_s).toString() == kid)
            return key;
    }
    // No kid in the token: acceptable only when the set holds one key of this type.
    if (kid.isEmpty() && candidates == 1)
        return only;
    return std::nullopt;
}

struct Checked
{
    QJsonObject header;
    QByteArrayView payload; // still base64url
};
enum class Payload { Object, Bytes };
using R = Result<Checked>;

R check(QByteArrayView token, const QJsonObject &jwks, Payload want)
{
    const qsizetype first = token.indexOf('.');
    const qsizetype last = token.lastIndexOf('.');
    if (first <= 0 || last == first || token.indexOf('.', first + 1) != last)
        return R::failure(Refusal::Kind::TokenInvalid, u"malformed token"_s);
    const auto header = Base64Url::decodeObject(token.first(first));
    if (!header)
        return R::failure(Refusal::Kind::TokenInvalid, u"malformed token"_s);
    // The algorithm first: `alg: none` is named as such, whatever follows it.
    const QString alg = header->value(u"alg"_s).toString();
    const bool rsa = alg == u"RS256";
    if (!rsa && alg != u"ES256")
        return R::failure(Refusal::Kind::TokenInvalid, u"unsupported algorithm \"%1\""_s.arg(alg));
    const QByteArrayView payload = token.sliced(first + 1, last - first - 1);
    const bool payloadOk = want == Payload::Object ? Base64Url::decodeObject(payload).has_value()
                                                   : Base64Url::decode(payload).has_value();
    const auto signature = Base64Url::decode(token.sliced(last + 1));
    // Only the canonical spelling: the decoder ignores the last character's spare bits,
    // so without this one signature would have several accepted spellings (a malleable
    // token, as Jwt::verify notes).
    if (!payloadOk || !signature || signature->isEmpty() ||
        Base64Url::encode(*signature) != token.sliced(last + 1))
        return R::failure(Refusal::Kind::TokenInvalid, u"malformed token"_s);
    const QString kid = header->value(u"kid"_s).toString();
    const auto jwk = findKey(jwks, kid, rsa ? u"RSA"_s : u"EC"_s);
    if (!jwk)
        return R::failure(Refusal::Kind::TokenInvalid,
                          u"no %1 key with kid \"%2\""_s.arg(alg, kid));
    const QString use = jwk->value(u"use"_s).toString();
    const QString keyAlg = jwk->value(u"alg"_s).toString();
    if ((!use.isEmpty() && use != u"sig") || (!keyAlg.isEmpty() && keyAlg != alg))
        return R::failure(Refusal::Kind::TokenInvalid, u"the key is not for this algorithm"_s);
    const OpenSsl::PKey key = rsa ? JwkKey::rsa(*jwk) : JwkKey::ec(*jwk);
    if (!key)
        return R::failure(Refusal::Kind::TokenInvalid, u"unusable key in the JWKS"_s);
    const QByteArray sig = rsa ? *signature : JwkKey::rawToDer(*signature);
    if (sig.isEmpty() || !verifySha256(key.get(), token.first(last), sig))
        return R::failure(Refusal::Kind::TokenInvalid, u"bad signature"_s);
    return Checked{*header, payload};
}

} // namespace

namespace Jws {

QString keyId(QByteArrayView token)
{
    const qsizetype dot = token.indexOf('.');
    if (dot <= 0)
        return {};
    const auto header = Base64Url::decodeObject(token.first(dot));
    return header ? header->value(u"kid"_s).toString() : QString();
}

bool hasKey(const QJsonObject &jwks, const QString &kid)
{
    for (const QJsonValue &value : jwks.value(u"keys"_s).toArray())
        if (value.toObject().value(u"kid"_s).toString() == kid)
            return true;
    return false;
}

Result<Verified> verify(QByteArrayView token, const QJsonObject &jwks)
{
    auto checked = check(token, jwks, Payload::Object);
    if (!checked)
        return Result<Verified>::failure(Refusal::Kind::TokenInvalid, checked.error());
    return Verified{checked->header, *Base64Url::decodeObject(checked->payload)};
}

Result<QByteArray> verifyBytes(QByteArrayView token, const QJsonObject &jwks)
{
    auto checked = check(token, jwks, Payload::Bytes);
    if (!checked)
        return Result<QByteArray>::failure(Refusal::Kind::TokenInvalid, checked.error());
    return *Base64Url::decode(checked->payload);
}

} // namespace Jws
