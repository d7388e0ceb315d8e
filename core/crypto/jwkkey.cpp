// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/jwkkey.h"

#include "crypto/base64url.h"

#include <openssl/core_names.h>
#include <vector>

using namespace Qt::StringLiterals;

namespace JwkKey {
namespace {

QByteArray jwkBytes(const QJsonObject &jwk, const QString &field)
{
    return Base64Url::decode(jwk.value(field).toString().toLatin1()).value_or(QByteArray());
}

OpenSsl::PKey fromParams(const char *type, OSSL_PARAM_BLD *bld, Part part)
{
    const OpenSsl::Params params(OSSL_PARAM_BLD_to_param(bld));
    const OpenSsl::PKeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    const int selection = part == Part::Private ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY;
    EVP_PKEY *made = nullptr;
    if (params && ctx && EVP_PKEY_fromdata_init(ctx.get()) == 1 &&
        EVP_PKEY_fromdata(ctx.get(), &made, selection, params.get()) == 1)
        return OpenSsl::PKey(made);
    return nullptr;
}

// Pushes each JWK field as a BIGNUM; the builder keeps pointers, so `keep` must outlive it
// until the parameters are built.
bool pushNumbers(OSSL_PARAM_BLD *bld, const QJsonObject &jwk,
                 std::initializer_list<std::pair<const char *, const char *>> fields,
                 std::vector<OpenSsl::BigNum> &keep)
{
    for (const auto &[field, param] : fields) {
        const QByteArray bytes = jwkBytes(jwk, QString::fromLatin1(field));
        if (bytes.isEmpty())
            return false;
        keep.push_back(OpenSsl::bigNum(bytes.constData(), int(bytes.size())));
        if (!keep.back() || OSSL_PARAM_BLD_push_BN(bld, param, keep.back().get()) != 1)
            return false;
    }
    return true;
}

} // namespace

OpenSsl::PKey rsa(const QJsonObject &jwk, Part part)
{
    const QByteArray n = jwkBytes(jwk, u"n"_s);
    const QByteArray e = jwkBytes(jwk, u"e"_s);
    if (n.size() < 256 || e.isEmpty() || e.size() > 8) // RSA >= 2048 bits
        return nullptr;
    const OpenSsl::ParamBuilder bld(OSSL_PARAM_BLD_new());
    std::vector<OpenSsl::BigNum> numbers;
    if (!bld || !pushNumbers(bld.get(), jwk,
                             {{"n", OSSL_PKEY_PARAM_RSA_N}, {"e", OSSL_PKEY_PARAM_RSA_E}}, numbers))
        return nullptr;
    if (part == Part::Private && !pushNumbers(bld.get(), jwk,
                                              {{"d", OSSL_PKEY_PARAM_RSA_D},
                                               {"p", OSSL_PKEY_PARAM_RSA_FACTOR1},
                                               {"q", OSSL_PKEY_PARAM_RSA_FACTOR2},
                                               {"dp", OSSL_PKEY_PARAM_RSA_EXPONENT1},
                                               {"dq", OSSL_PKEY_PARAM_RSA_EXPONENT2},
                                               {"qi", OSSL_PKEY_PARAM_RSA_COEFFICIENT1}},
                                              numbers))
        return nullptr;
    return fromParams("RSA", bld.get(), part);
}

OpenSsl::PKey ec(const QJsonObject &jwk, Part part)
{
    const QByteArray x = jwkBytes(jwk, u"x"_s);
    const QByteArray y = jwkBytes(jwk, u"y"_s);
    if (jwk.value(u"crv"_s).toString() != u"P-256" || x.size() != 32 || y.size() != 32)
        return nullptr;
    const QByteArray point = QByteArray(1, 0x04) + x + y;
    const OpenSsl::ParamBuilder bld(OSSL_PARAM_BLD_new());
    std::vector<OpenSsl::BigNum> numbers;
    if (!bld ||
        OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) !=
            1 ||
        OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.constData(),
                                         size_t(point.size())) != 1)
        return nullptr;
    if (part == Part::Private &&
        (jwkBytes(jwk, u"d"_s).size() != 32 ||
         !pushNumbers(bld.get(), jwk, {{"d", OSSL_PKEY_PARAM_PRIV_KEY}}, numbers)))
        return nullptr;
    return fromParams("EC", bld.get(), part); // fails when the point is not on the curve
}

QByteArray rawToDer(QByteArrayView raw)
{
    if (raw.size() != 64)
        return {};
    OpenSsl::EcdsaSig sig(ECDSA_SIG_new());
    OpenSsl::BigNum r = OpenSsl::bigNum(raw.data(), 32);
    OpenSsl::BigNum s = OpenSsl::bigNum(raw.data() + 32, 32);
    if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1)
        return {};
    (void)r.release(); // owned by sig now
    (void)s.release();
    unsigned char *der = nullptr;
    const int length = i2d_ECDSA_SIG(sig.get(), &der);
    const OpenSsl::Bytes owned(der);
    if (length <= 0)
        return {};
    return QByteArray(reinterpret_cast<const char *>(der), length);
}

QByteArray derToRaw(QByteArrayView der)
{
    const auto *p = reinterpret_cast<const unsigned char *>(der.data());
    const OpenSsl::EcdsaSig sig(d2i_ECDSA_SIG(nullptr, &p, long(der.size())));
    if (!sig)
        return {};
    QByteArray out(64, 0);
    auto *bytes = reinterpret_cast<unsigned char *>(out.data());
    if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), bytes, 32) != 32 ||
        BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), bytes + 32, 32) != 32)
        return {};
    return out;
}

} // namespace JwkKey
