// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/aead.h"

#include "crypto/random.h"

#include "crypto/opensslhandle.h"

namespace Aead {
namespace {

constexpr char kVersion = 1;
constexpr int kNonceSize = 12;
constexpr int kTagSize = 16;
using Ctx = OpenSsl::CipherCtx;

const unsigned char *bytes(QByteArrayView data)
{
    return reinterpret_cast<const unsigned char *>(data.data());
}

unsigned char *bytes(QByteArray &data)
{
    return reinterpret_cast<unsigned char *>(data.data());
}

} // namespace

QByteArray seal(QByteArrayView key, QByteArrayView plaintext, QByteArrayView aad)
{
    if (key.size() != kKeySize)
        return {};
    const QByteArray nonce = Random::bytes(kNonceSize);
    Ctx ctx(EVP_CIPHER_CTX_new());
    QByteArray cipher(plaintext.size() + kTagSize, Qt::Uninitialized);
    int length = 0;
    int total = 0;
    if (!ctx ||
        EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key), bytes(nonce)) != 1 ||
        (!aad.isEmpty() &&
         EVP_EncryptUpdate(ctx.get(), nullptr, &length, bytes(aad), int(aad.size())) != 1) ||
        EVP_EncryptUpdate(ctx.get(), bytes(cipher), &length, bytes(plaintext),
                          int(plaintext.size())) != 1)
        return {};
    total = length;
    if (EVP_EncryptFinal_ex(ctx.get(), bytes(cipher) + total, &length) != 1)
        return {};
    total += length;
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize, bytes(cipher) + total) != 1)
        return {};
    cipher.resize(total + kTagSize);
    return QByteArray(1, kVersion) + nonce + cipher;
}

std::optional<QByteArray> open(QByteArrayView key, QByteArrayView sealed, QByteArrayView aad)
{
    if (key.size() != kKeySize || sealed.size() < 1 + kNonceSize + kTagSize ||
        sealed[0] != kVersion)
        return std::nullopt;
    const QByteArrayView nonce = sealed.sliced(1, kNonceSize);
    const QByteArrayView body = sealed.sliced(1 + kNonceSize);
    const QByteArrayView cipher = body.first(body.size() - kTagSize);
    QByteArray tag = body.last(kTagSize).toByteArray();
    Ctx ctx(EVP_CIPHER_CTX_new());
    QByteArray plain(cipher.size() + 1, Qt::Uninitialized); // +1: never a zero-size buffer
    int length = 0;
    if (!ctx ||
        EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key), bytes(nonce)) != 1 ||
        (!aad.isEmpty() &&
         EVP_DecryptUpdate(ctx.get(), nullptr, &length, bytes(aad), int(aad.size())) != 1) ||
        EVP_DecryptUpdate(ctx.get(), bytes(plain), &length, bytes(cipher), int(cipher.size())) != 1)
        return std::nullopt;
    int total = length;
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize, bytes(tag)) != 1 ||
        EVP_DecryptFinal_ex(ctx.get(), bytes(plain) + total, &length) != 1)
        return std::nullopt;
    total += length;
    plain.resize(total);
    return plain;
}

} // namespace Aead
