// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/ed25519.h"

#include "crypto/random.h"

#include "crypto/opensslhandle.h"

namespace Ed25519 {
namespace {

using Key = OpenSsl::PKey;
using MdCtx = OpenSsl::MdCtx;

const unsigned char *bytes(QByteArrayView data)
{
    return reinterpret_cast<const unsigned char *>(data.data());
}

Key privateKey(QByteArrayView seed)
{
    if (seed.size() != kSeedSize)
        return nullptr;
    return Key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, bytes(seed), kSeedSize));
}

} // namespace

KeyPair generate()
{
    return fromSeed(Random::bytes(kSeedSize));
}

KeyPair fromSeed(QByteArrayView seed)
{
    KeyPair pair;
    const Key key = privateKey(seed);
    if (!key)
        return pair;
    QByteArray pub(kPublicKeySize, Qt::Uninitialized);
    size_t length = size_t(pub.size());
    if (EVP_PKEY_get_raw_public_key(key.get(), reinterpret_cast<unsigned char *>(pub.data()),
                                    &length) != 1 ||
        length != size_t(kPublicKeySize))
        return pair;
    pair.seed = seed.toByteArray();
    pair.publicKey = pub;
    return pair;
}

QByteArray sign(QByteArrayView seed, QByteArrayView message)
{
    const Key key = privateKey(seed);
    MdCtx ctx(EVP_MD_CTX_new());
    if (!key || !ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1)
        return {};
    QByteArray signature(kSignatureSize, Qt::Uninitialized);
    size_t length = size_t(signature.size());
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(signature.data()), &length,
                       bytes(message), size_t(message.size())) != 1 ||
        length != size_t(kSignatureSize))
        return {};
    return signature;
}

bool verify(QByteArrayView publicKey, QByteArrayView message, QByteArrayView signature)
{
    if (publicKey.size() != kPublicKeySize || signature.size() != kSignatureSize)
        return false;
    const Key key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, bytes(publicKey),
                                              size_t(publicKey.size())));
    MdCtx ctx(EVP_MD_CTX_new());
    if (!key || !ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1)
        return false;
    return EVP_DigestVerify(ctx.get(), bytes(signature), size_t(signature.size()), bytes(message),
                            size_t(message.size())) == 1;
}

} // namespace Ed25519
