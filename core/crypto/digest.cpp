// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/digest.h"

#include <QString>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

namespace Digest {

QByteArray sha256(QByteArrayView data)
{
    QByteArray out(SHA256_DIGEST_LENGTH, Qt::Uninitialized);
    SHA256(reinterpret_cast<const unsigned char *>(data.data()), size_t(data.size()),
           reinterpret_cast<unsigned char *>(out.data()));
    return out;
}

QByteArray hmacSha256(QByteArrayView key, QByteArrayView data)
{
    QByteArray out(SHA256_DIGEST_LENGTH, Qt::Uninitialized);
    unsigned int length = 0;
    // An empty key must still be a valid pointer for OpenSSL.
    static const char empty = 0;
    HMAC(EVP_sha256(), key.isEmpty() ? &empty : key.data(), int(key.size()),
         reinterpret_cast<const unsigned char *>(data.data()), size_t(data.size()),
         reinterpret_cast<unsigned char *>(out.data()), &length);
    out.resize(int(length));
    return out;
}

bool equal(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    if (a.isEmpty())
        return true;
    return CRYPTO_memcmp(a.data(), b.data(), size_t(a.size())) == 0;
}

QString tokenHash(QByteArrayView token)
{
    return QString::fromLatin1(sha256(token).toHex());
}

} // namespace Digest
