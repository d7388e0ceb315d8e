// SPDX-License-Identifier: GPL-3.0-or-later
#include "fakeauthenticator.h"

#include "crypto/base64url.h"
#include "crypto/digest.h"
#include "crypto/random.h"

#include "crypto/opensslhandle.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <openssl/core_names.h>
#include <openssl/rsa.h>

using namespace Qt::StringLiterals;

namespace TestCbor {

QByteArray head(int major, quint64 value)
{
    QByteArray out;
    const auto initial = char(major << 5);
    if (value < 24)
        return QByteArray(1, char(initial | char(value)));
    int width = value <= 0xff ? 1 : value <= 0xffff ? 2 : value <= 0xffffffffULL ? 4 : 8;
    out.append(char(initial | char(24 + (width == 1 ? 0 : width == 2 ? 1 : width == 4 ? 2 : 3))));
    for (int shift = (width - 1) * 8; shift >= 0; shift -= 8)
        out.append(char((value >> shift) & 0xff));
    return out;
}

QByteArray integer(qint64 value)
{
    return value >= 0 ? head(0, quint64(value)) : head(1, quint64(-1 - value));
}

QByteArray bytes(const QByteArray &raw)
{
    return head(2, quint64(raw.size())) + raw;
}

QByteArray text(const QString &value)
{
    const QByteArray utf8 = value.toUtf8();
    return head(3, quint64(utf8.size())) + utf8;
}

QByteArray map(const QList<std::pair<QByteArray, QByteArray>> &pairs)
{
    QByteArray out = head(5, quint64(pairs.size()));
    for (const auto &[key, value] : pairs)
        out += key + value;
    return out;
}

} // namespace TestCbor

struct FakeAuthenticator::Key
{
    OpenSsl::PKey pkey;
};

namespace {

QByteArray bnParam(EVP_PKEY *key, const char *name)
{
    BIGNUM *raw = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &raw) != 1)
        return {};
    const OpenSsl::BigNum owned(raw);
    QByteArray out(BN_num_bytes(raw), Qt::Uninitialized);
    BN_bn2bin(raw, reinterpret_cast<unsigned char *>(out.data()));
    return out;
}

QByteArray octetParam(EVP_PKEY *key, const char *name)
{
    QByteArray out(600, Qt::Uninitialized);
    size_t length = 0;
    if (EVP_PKEY_get_octet_string_param(key, name, reinterpret_cast<unsigned char *>(out.data()),
                                        size_t(out.size()), &length) != 1)
        return {};
    out.truncate(qsizetype(length));
    return out;
}

} // namespace

FakeAuthenticator::FakeAuthenticator(WebAuthn::Algorithm alg)
    : credentialId(Random::bytes(32)), userHandle(Random::bytes(32)), m_alg(alg),
      m_key(std::make_shared<Key>())
{
    switch (alg) {
    case WebAuthn::Algorithm::ES256:
        m_key->pkey.reset(EVP_EC_gen("P-256"));
        break;
    case WebAuthn::Algorithm::EdDSA:
        m_key->pkey.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
        break;
    case WebAuthn::Algorithm::RS256:
        m_key->pkey.reset(EVP_RSA_gen(2048));
        break;
    }
}

QByteArray FakeAuthenticator::publicKeyCose(qint64 coseAlg) const
{
    using TestCbor::bytes;
    using TestCbor::integer;
    const qint64 alg = coseAlg != 0 ? coseAlg : qint64(m_alg);
    EVP_PKEY *key = m_key->pkey.get();
    switch (m_alg) {
    case WebAuthn::Algorithm::ES256: {
        const QByteArray point = octetParam(key, OSSL_PKEY_PARAM_PUB_KEY); // 04 || x || y
        return TestCbor::map({{integer(1), integer(2)},
                              {integer(3), integer(alg)},
                              {integer(-1), integer(1)},
                              {integer(-2), bytes(point.sliced(1, 32))},
                              {integer(-3), bytes(point.sliced(33, 32))}});
    }
    case WebAuthn::Algorithm::EdDSA:
        return TestCbor::map({{integer(1), integer(1)},
                              {integer(3), integer(alg)},
                              {integer(-1), integer(6)},
                              {integer(-2), bytes(octetParam(key, OSSL_PKEY_PARAM_PUB_KEY))}});
    case WebAuthn::Algorithm::RS256:
        return TestCbor::map({{integer(1), integer(3)},
                              {integer(3), integer(alg)},
                              {integer(-1), bytes(bnParam(key, OSSL_PKEY_PARAM_RSA_N))},
                              {integer(-2), bytes(bnParam(key, OSSL_PKEY_PARAM_RSA_E))}});
    }
    return {};
}

QByteArray FakeAuthenticator::clientDataJson(const QString &type, const QByteArray &challenge,
                                             const QString &origin, bool crossOrigin)
{
    const QJsonObject data{{u"type"_s, type},
                           {u"challenge"_s, QString::fromLatin1(Base64Url::encode(challenge))},
                           {u"origin"_s, origin},
                           {u"crossOrigin"_s, crossOrigin}};
    return QJsonDocument(data).toJson(QJsonDocument::Compact);
}

QByteArray FakeAuthenticator::authenticatorData(const QString &rpId, bool attested) const
{
    QByteArray out = Digest::sha256(rpId.toUtf8());
    out.append(char(flags | (attested ? kAt : 0)));
    for (int shift = 24; shift >= 0; shift -= 8)
        out.append(char((signCount >> shift) & 0xff));
    if (attested) {
        out += aaguid;
        out.append(char(credentialId.size() >> 8));
        out.append(char(credentialId.size() & 0xff));
        out += credentialId + publicKeyCose();
    }
    return out;
}

QByteArray FakeAuthenticator::attestationObject(const QByteArray &authData, QStringView fmt)
{
    using TestCbor::text;
    return TestCbor::map({{text(u"fmt"_s), text(fmt.toString())},
                          {text(u"attStmt"_s), TestCbor::map({})},
                          {text(u"authData"_s), TestCbor::bytes(authData)}});
}

QByteArray FakeAuthenticator::sign(const QByteArray &data) const
{
    const OpenSsl::MdCtx ctx(EVP_MD_CTX_new());
    const EVP_MD *md = m_alg == WebAuthn::Algorithm::EdDSA ? nullptr : EVP_sha256();
    size_t length = 0;
    const auto *in = reinterpret_cast<const unsigned char *>(data.constData());
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, md, nullptr, m_key->pkey.get()) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &length, in, size_t(data.size())) != 1)
        return {};
    QByteArray out(qsizetype(length), Qt::Uninitialized);
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(out.data()), &length, in,
                       size_t(data.size())) != 1)
        return {};
    out.truncate(qsizetype(length));
    return out;
}

WebAuthn::RegistrationResponse FakeAuthenticator::create(const QString &rpId, const QString &origin,
                                                         const QByteArray &challenge) const
{
    return {clientDataJson(u"webauthn.create"_s, challenge, origin),
            attestationObject(authenticatorData(rpId, true))};
}

WebAuthn::AssertionResponse FakeAuthenticator::get(const QString &rpId, const QString &origin,
                                                   const QByteArray &challenge) const
{
    WebAuthn::AssertionResponse response;
    response.credentialId = credentialId;
    response.clientDataJson = clientDataJson(u"webauthn.get"_s, challenge, origin);
    response.authenticatorData = authenticatorData(rpId, false);
    response.signature = sign(response.authenticatorData + Digest::sha256(response.clientDataJson));
    response.userHandle = userHandle;
    return response;
}

WebAuthn::StoredCredential FakeAuthenticator::stored(quint32 storedSignCount) const
{
    WebAuthn::StoredCredential credential;
    credential.credentialId = credentialId;
    credential.publicKeyCose = publicKeyCose();
    credential.alg = m_alg;
    credential.signCount = storedSignCount;
    credential.backupEligible = (flags & kBe) != 0;
    credential.userHandle = userHandle;
    return credential;
}
