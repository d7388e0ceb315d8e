// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/jws.h"

#include "crypto/base64url.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

using namespace Qt::StringLiterals;

namespace {

using R = Result<Jws::Verified>;
using PKey = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

QByteArray jwkBytes(const QJsonObject &jwk, const QString &field)
{
    return Base64Url::decode(jwk.value(field).toString().toLatin1()).value_or(QByteArray());
}

PKey fromParams(const char *type, OSSL_PARAM_BLD *bld)
{
    PKey key(nullptr, EVP_PKEY_free);
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr);
    EVP_PKEY *made = nullptr;
    if (params && ctx && EVP_PKEY_fromdata_init(ctx) == 1 &&
        EVP_PKEY_fromdata(ctx, &made, EVP_PKEY_PUBLIC_KEY, params) == 1)
        key.reset(made);
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    return key;
}

PKey rsaKey(const QJsonObject &jwk)
{
    const QByteArray n = jwkBytes(jwk, u"n"_s);
    const QByteArray e = jwkBytes(jwk, u"e"_s);
    if (n.size() < 256 || e.isEmpty() || e.size() > 8) // RSA >= 2048 bits
        return PKey(nullptr, EVP_PKEY_free);
    BIGNUM *bn =
        BN_bin2bn(reinterpret_cast<const unsigned char *>(n.data()), int(n.size()), nullptr);
    BIGNUM *be =
        BN_bin2bn(reinterpret_cast<const unsigned char *>(e.data()), int(e.size()), nullptr);
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    PKey key(nullptr, EVP_PKEY_free);
    if (bn && be && bld && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn) &&
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be))
        key = fromParams("RSA", bld);
    OSSL_PARAM_BLD_free(bld);
    BN_free(bn);
    BN_free(be);
    return key;
}

PKey ecKey(const QJsonObject &jwk)
{
    const QByteArray x = jwkBytes(jwk, u"x"_s);
    const QByteArray y = jwkBytes(jwk, u"y"_s);
    if (jwk.value(u"crv"_s).toString() != u"P-256" || x.size() != 32 || y.size() != 32)
        return PKey(nullptr, EVP_PKEY_free);
    QByteArray point = QByteArray(1, 0x04) + x + y;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    PKey key(nullptr, EVP_PKEY_free);
    if (bld && OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) &&
        OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.constData(),
                                         size_t(point.size())))
        key = fromParams("EC", bld); // fails when the point is not on the curve
    OSSL_PARAM_BLD_free(bld);
    return key;
}

// JWS ES256 carries r || s (32 bytes each); OpenSSL wants DER.
QByteArray rawToDer(QByteArrayView raw)
{
    ECDSA_SIG *sig = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(reinterpret_cast<const unsigned char *>(raw.data()), 32, nullptr);
    BIGNUM *s = BN_bin2bn(reinterpret_cast<const unsigned char *>(raw.data()) + 32, 32, nullptr);
    QByteArray out;
    if (sig && r && s && ECDSA_SIG_set0(sig, r, s) == 1) {
        r = s = nullptr; // owned by sig now
        unsigned char *der = nullptr;
        const int length = i2d_ECDSA_SIG(sig, &der);
        if (length > 0)
            out = QByteArray(reinterpret_cast<const char *>(der), length);
        OPENSSL_free(der);
    }
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(sig);
    return out;
}

QByteArray derToRaw(QByteArrayView der)
{
    const auto *p = reinterpret_cast<const unsigned char *>(der.data());
    ECDSA_SIG *sig = d2i_ECDSA_SIG(nullptr, &p, long(der.size()));
    if (!sig)
        return {};
    QByteArray out(64, 0);
    BN_bn2binpad(ECDSA_SIG_get0_r(sig), reinterpret_cast<unsigned char *>(out.data()), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(sig), reinterpret_cast<unsigned char *>(out.data()) + 32, 32);
    ECDSA_SIG_free(sig);
    return out;
}

bool verifySha256(EVP_PKEY *key, QByteArrayView input, QByteArrayView signature)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    const bool ok = ctx && EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
                    EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char *>(signature.data()),
                                     size_t(signature.size()),
                                     reinterpret_cast<const unsigned char *>(input.data()),
                                     size_t(input.size())) == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
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
    const auto payload = Base64Url::decodeObject(token.sliced(first + 1, last - first - 1));
    const auto signature = Base64Url::decode(token.sliced(last + 1));
    // Only the canonical spelling: the decoder ignores the last character's spare bits,
    // so without this one signature would have several accepted spellings (a malleable
    // token, as Jwt::verify notes).
    if (!payload || !signature || signature->isEmpty() ||
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
    PKey key = rsa ? rsaKey(*jwk) : ecKey(*jwk);
    if (!key)
        return R::failure(Refusal::Kind::TokenInvalid, u"unusable key in the JWKS"_s);
    QByteArray sig = *signature;
    if (!rsa) {
        if (sig.size() != 64)
            return R::failure(Refusal::Kind::TokenInvalid, u"bad signature"_s);
        sig = rawToDer(sig);
    }
    if (sig.isEmpty() || !verifySha256(key.get(), token.first(last), sig))
        return R::failure(Refusal::Kind::TokenInvalid, u"bad signature"_s);
    return Verified{*header, *payload};
}

} // namespace Jws

JwsSigner JwsSigner::generate(Algorithm algorithm, const QString &kid)
{
    JwsSigner signer;
    signer.m_algorithm = algorithm;
    signer.m_kid = kid;
    EVP_PKEY *key = algorithm == Algorithm::RS256
                        ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(2048))
                        : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    signer.m_key =
        std::shared_ptr<void>(key, [](void *k) { EVP_PKEY_free(static_cast<EVP_PKEY *>(k)); });
    return signer;
}

QJsonObject JwsSigner::publicJwk() const
{
    auto *key = static_cast<EVP_PKEY *>(m_key.get());
    auto b64 = [](const QByteArray &raw) { return QString::fromLatin1(Base64Url::encode(raw)); };
    QJsonObject jwk{{u"kid"_s, m_kid}, {u"use"_s, u"sig"_s}};
    if (!key)
        return jwk;
    if (m_algorithm == Algorithm::RS256) {
        auto bnBytes = [&](const char *name) {
            BIGNUM *bn = nullptr;
            QByteArray out;
            if (EVP_PKEY_get_bn_param(key, name, &bn) == 1) {
                out.resize(BN_num_bytes(bn));
                BN_bn2bin(bn, reinterpret_cast<unsigned char *>(out.data()));
            }
            BN_free(bn);
            return out;
        };
        jwk.insert(u"kty"_s, u"RSA"_s);
        jwk.insert(u"alg"_s, u"RS256"_s);
        jwk.insert(u"n"_s, b64(bnBytes(OSSL_PKEY_PARAM_RSA_N)));
        jwk.insert(u"e"_s, b64(bnBytes(OSSL_PKEY_PARAM_RSA_E)));
    } else {
        QByteArray point(65, 0);
        size_t length = 0;
        EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY,
                                        reinterpret_cast<unsigned char *>(point.data()),
                                        size_t(point.size()), &length);
        jwk.insert(u"kty"_s, u"EC"_s);
        jwk.insert(u"alg"_s, u"ES256"_s);
        jwk.insert(u"crv"_s, u"P-256"_s);
        jwk.insert(u"x"_s, b64(point.mid(1, 32)));
        jwk.insert(u"y"_s, b64(point.mid(33, 32)));
    }
    return jwk;
}

QByteArray JwsSigner::sign(const QJsonObject &payload, const QJsonObject &extraHeader) const
{
    QJsonObject header{{u"alg"_s, m_algorithm == Algorithm::RS256 ? u"RS256"_s : u"ES256"_s},
                       {u"kid"_s, m_kid},
                       {u"typ"_s, u"JWT"_s}};
    for (auto it = extraHeader.begin(); it != extraHeader.end(); ++it)
        header.insert(it.key(), it.value());
    const QByteArray input =
        Base64Url::encode(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.' +
        Base64Url::encode(QJsonDocument(payload).toJson(QJsonDocument::Compact));
    auto *key = static_cast<EVP_PKEY *>(m_key.get());
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    QByteArray signature;
    size_t length = 0;
    if (key && ctx && EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
        EVP_DigestSign(ctx, nullptr, &length, reinterpret_cast<const unsigned char *>(input.data()),
                       size_t(input.size())) == 1) {
        signature.resize(qsizetype(length));
        if (EVP_DigestSign(ctx, reinterpret_cast<unsigned char *>(signature.data()), &length,
                           reinterpret_cast<const unsigned char *>(input.data()),
                           size_t(input.size())) == 1)
            signature.resize(qsizetype(length));
        else
            signature.clear();
    }
    EVP_MD_CTX_free(ctx);
    if (m_algorithm == Algorithm::ES256)
        signature = derToRaw(signature);
    return input + '.' + Base64Url::encode(signature);
}
