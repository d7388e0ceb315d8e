// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/base64url.h"
#include "crypto/jwkkey.h"
#include "crypto/jws.h"

#include <QJsonDocument>
#include <openssl/core_names.h>

using namespace Qt::StringLiterals;

struct JwsSigner::Key
{
    OpenSsl::PKey pkey;
};

JwsSigner::JwsSigner() : m_key(std::make_unique<Key>()) {}
JwsSigner::JwsSigner(const JwsSigner &other)
    : m_key(std::make_unique<Key>(
          Key{OpenSsl::share(other.m_key ? other.m_key->pkey.get() : nullptr)})),
      m_algorithm(other.m_algorithm), m_kid(other.m_kid)
{}
JwsSigner::JwsSigner(JwsSigner &&other) noexcept = default;
JwsSigner &JwsSigner::operator=(const JwsSigner &other)
{
    if (this != &other)
        *this = JwsSigner(other);
    return *this;
}
JwsSigner &JwsSigner::operator=(JwsSigner &&other) noexcept = default;
JwsSigner::~JwsSigner() = default;

JwsSigner JwsSigner::generate(Algorithm algorithm, const QString &kid)
{
    JwsSigner signer;
    signer.m_algorithm = algorithm;
    signer.m_kid = kid;
    signer.m_key->pkey.reset(algorithm == Algorithm::RS256
                                 ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(2048))
                                 : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    return signer;
}

std::optional<JwsSigner> JwsSigner::fromPrivateJwk(const QJsonObject &jwk)
{
    JwsSigner signer;
    signer.m_kid = jwk.value(u"kid"_s).toString();
    const QString kty = jwk.value(u"kty"_s).toString();
    if (kty == u"RSA") {
        signer.m_algorithm = Algorithm::RS256;
        signer.m_key->pkey = JwkKey::rsa(jwk, JwkKey::Part::Private);
    } else if (kty == u"EC") {
        signer.m_algorithm = Algorithm::ES256;
        signer.m_key->pkey = JwkKey::ec(jwk, JwkKey::Part::Private);
    }
    if (!signer.m_key->pkey)
        return std::nullopt;
    return signer;
}

namespace {

QString b64(const QByteArray &raw)
{
    return QString::fromLatin1(Base64Url::encode(raw));
}

// A big-endian number parameter of the key, left-padded with zeros to `width` bytes.
QByteArray bnBytes(EVP_PKEY *key, const char *name, int width = 0)
{
    BIGNUM *got = nullptr;
    QByteArray out;
    if (EVP_PKEY_get_bn_param(key, name, &got) == 1) {
        const OpenSsl::BigNum bn(got);
        out.resize(qMax(width, BN_num_bytes(bn.get())));
        BN_bn2binpad(bn.get(), reinterpret_cast<unsigned char *>(out.data()), int(out.size()));
    }
    return out;
}

} // namespace

QJsonObject JwsSigner::privateJwk() const
{
    QJsonObject jwk = publicJwk();
    EVP_PKEY *key = m_key ? m_key->pkey.get() : nullptr;
    if (!key)
        return jwk;
    if (m_algorithm == Algorithm::RS256) {
        const std::pair<const char16_t *, const char *> numbers[] = {
            {u"d", OSSL_PKEY_PARAM_RSA_D},          {u"p", OSSL_PKEY_PARAM_RSA_FACTOR1},
            {u"q", OSSL_PKEY_PARAM_RSA_FACTOR2},    {u"dp", OSSL_PKEY_PARAM_RSA_EXPONENT1},
            {u"dq", OSSL_PKEY_PARAM_RSA_EXPONENT2}, {u"qi", OSSL_PKEY_PARAM_RSA_COEFFICIENT1},
        };
        for (const auto &[member, param] : numbers)
            jwk.insert(QString::fromUtf16(member), b64(bnBytes(key, param)));
    } else {
        jwk.insert(u"d"_s, b64(bnBytes(key, OSSL_PKEY_PARAM_PRIV_KEY, 32)));
    }
    return jwk;
}

QJsonObject JwsSigner::publicJwk() const
{
    EVP_PKEY *key = m_key ? m_key->pkey.get() : nullptr;
    QJsonObject jwk{{u"kid"_s, m_kid}, {u"use"_s, u"sig"_s}};
    if (!key)
        return jwk;
    if (m_algorithm == Algorithm::RS256) {
        jwk.insert(u"kty"_s, u"RSA"_s);
        jwk.insert(u"alg"_s, u"RS256"_s);
        jwk.insert(u"n"_s, b64(bnBytes(key, OSSL_PKEY_PARAM_RSA_N)));
        jwk.insert(u"e"_s, b64(bnBytes(key, OSSL_PKEY_PARAM_RSA_E)));
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

QByteArray JwsSigner::signInput(QByteArrayView input) const
{
    EVP_PKEY *key = m_key ? m_key->pkey.get() : nullptr;
    const OpenSsl::MdCtx ctx(EVP_MD_CTX_new());
    const auto *data = reinterpret_cast<const unsigned char *>(input.data());
    size_t length = 0;
    if (!key || !ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &length, data, size_t(input.size())) != 1)
        return {};
    QByteArray signature(qsizetype(length), 0);
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(signature.data()), &length,
                       data, size_t(input.size())) != 1)
        return {};
    signature.resize(qsizetype(length));
    return m_algorithm == Algorithm::ES256 ? JwkKey::derToRaw(signature) : signature;
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
    return input + '.' + Base64Url::encode(signInput(input));
}
