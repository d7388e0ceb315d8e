// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/cosekey.h"

#include "crypto/base64url.h"
#include "crypto/cbor.h"
#include "crypto/jwkkey.h"

#include "crypto/opensslhandle.h"

#include <QJsonObject>
#include <openssl/err.h>

using namespace Qt::StringLiterals;

namespace CoseKey {
namespace {

// COSE labels (RFC 9052 §7.1, RFC 9053 §7.1-7.2, RFC 8230 §4).
constexpr qint64 kLabelKty = 1;
constexpr qint64 kLabelAlg = 3;
constexpr qint64 kLabelCrvOrN = -1; // crv for EC2/OKP, n for RSA
constexpr qint64 kLabelXOrE = -2;   // x for EC2/OKP, e for RSA
constexpr qint64 kLabelY = -3;
constexpr qint64 kKtyOkp = 1;
constexpr qint64 kKtyEc2 = 2;
constexpr qint64 kKtyRsa = 3;
constexpr qint64 kCrvP256 = 1;
constexpr qint64 kCrvEd25519 = 6;
constexpr qsizetype kMaxRsaModulus = 512; // 4096 bits: verifying stays cheap

struct Key
{
    qint64 alg = 0;
    OpenSsl::PKey pkey;
};

Refusal badKey(const QString &detail)
{
    return Refusal(Refusal::Kind::InvalidInput, u"the passkey's public key is not usable"_s,
                   detail);
}

QByteArray bytesAt(const CborItem &map, qint64 label)
{
    const auto item = map.value(label);
    return item ? item->bytes().value_or(QByteArray()) : QByteArray();
}

qint64 integerAt(const CborItem &map, qint64 label)
{
    const auto item = map.value(label);
    return item ? item->integer().value_or(0) : 0;
}

QString b64(const QByteArray &raw)
{
    return QString::fromLatin1(Base64Url::encode(raw));
}

OpenSsl::PKey ec2(const CborItem &map)
{
    const auto crv = map.value(kLabelCrvOrN);
    if (!crv || crv->integer() != kCrvP256)
        return nullptr;
    // JwkKey::ec checks the sizes and that the point is on the curve.
    return JwkKey::ec({{u"crv"_s, u"P-256"_s},
                       {u"x"_s, b64(bytesAt(map, kLabelXOrE))},
                       {u"y"_s, b64(bytesAt(map, kLabelY))}});
}

OpenSsl::PKey okp(const CborItem &map)
{
    const auto crv = map.value(kLabelCrvOrN);
    const QByteArray x = bytesAt(map, kLabelXOrE);
    if (!crv || crv->integer() != kCrvEd25519 || x.size() != 32)
        return nullptr;
    return OpenSsl::PKey(EVP_PKEY_new_raw_public_key(
        EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char *>(x.constData()), 32));
}

OpenSsl::PKey rsa(const CborItem &map)
{
    const QByteArray n = bytesAt(map, kLabelCrvOrN);
    const QByteArray e = bytesAt(map, kLabelXOrE);
    // JwkKey::rsa wants at least 2048 bits; an even or tiny exponent is no RSA key.
    if (n.size() > kMaxRsaModulus || e.isEmpty() || !(quint8(e.back()) & 1) ||
        (e.size() == 1 && quint8(e[0]) < 3))
        return nullptr;
    return JwkKey::rsa({{u"n"_s, b64(n)}, {u"e"_s, b64(e)}});
}

Result<Key> load(QByteArrayView cose)
{
    auto parsed = CborItem::parse(cose);
    if (!parsed)
        return badKey(u"credentialPublicKey: "_s + parsed.refusal().detail);
    const CborItem &map = *parsed;
    if (!map.isMap())
        return badKey(u"credentialPublicKey: not a CBOR map"_s);
    // 0 is reserved for both kty and alg, so it stands for "missing or not an integer".
    const qint64 kty = integerAt(map, kLabelKty);
    const qint64 alg = integerAt(map, kLabelAlg);
    if (kty == 0 || alg == 0)
        return badKey(u"credentialPublicKey: kty (1) and alg (3) must be integers"_s);
    Key key{alg, nullptr};
    if (alg == kES256 && kty == kKtyEc2)
        key.pkey = ec2(map);
    else if (alg == kEdDSA && kty == kKtyOkp)
        key.pkey = okp(map);
    else if (alg == kRS256 && kty == kKtyRsa)
        key.pkey = rsa(map);
    else
        return Refusal(Refusal::Kind::InvalidInput,
                       u"this kind of passkey is not supported (ES256, EdDSA and RS256 are)"_s,
                       u"credentialPublicKey: alg %1 with kty %2"_s.arg(alg).arg(kty));
    if (!key.pkey) {
        ERR_clear_error();
        return badKey(u"credentialPublicKey: the key parameters (-1, -2, -3) are invalid"_s);
    }
    return Result<Key>(std::move(key));
}

} // namespace

Result<qint64> algorithm(QByteArrayView cose)
{
    auto key = load(cose);
    if (!key)
        return key.refusal();
    return key->alg;
}

Result<Done> verify(QByteArrayView cose, QByteArrayView message, QByteArrayView signature)
{
    auto key = load(cose);
    if (!key)
        return key.refusal();
    // Ed25519 signs the message itself (no digest); the others hash it with SHA-256.
    const EVP_MD *digest = key->alg == kEdDSA ? nullptr : EVP_sha256();
    const OpenSsl::MdCtx ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, digest, nullptr, key->pkey.get()) != 1)
        return Refusal(Refusal::Kind::Internal, u"could not check the passkey's signature"_s,
                       u"EVP_DigestVerifyInit"_s);
    if (EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char *>(signature.data()),
                         size_t(signature.size()),
                         reinterpret_cast<const unsigned char *>(message.data()),
                         size_t(message.size())) != 1) {
        ERR_clear_error(); // a refused signature is an answer, not an error to report later
        return Refusal(Refusal::Kind::BadCredentials, u"the passkey's signature is not valid"_s,
                       u"signature"_s);
    }
    return Done{};
}

} // namespace CoseKey
