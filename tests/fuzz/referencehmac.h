// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <openssl/evp.h>
#include <openssl/hmac.h>

// HMAC-SHA256 straight from OpenSSL: the targets' own reference, independent of
// core/crypto, against which Gatehouse's checks are compared.
inline QByteArray referenceHmacSha256(QByteArrayView key, QByteArrayView data)
{
    unsigned char out[32];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), int(key.size()),
         reinterpret_cast<const unsigned char *>(data.data()), size_t(data.size()), out, &len);
    return QByteArray(reinterpret_cast<const char *>(out), int(len));
}
