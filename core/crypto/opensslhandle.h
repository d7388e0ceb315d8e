// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Owners for the OpenSSL handles core/ uses: each kind is freed here and nowhere else,
// so an early return never leaks and nothing is freed twice. Private to core: it
// includes <openssl/…>, so only .cpp files include it (public headers stay Qt-typed).

#include <memory>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>

namespace OpenSsl {

template <auto FreeFunction> struct Deleter
{
    template <typename T> void operator()(T *handle) const noexcept { FreeFunction(handle); }
};

template <typename T, auto FreeFunction> using Owner = std::unique_ptr<T, Deleter<FreeFunction>>;

using PKey = Owner<EVP_PKEY, EVP_PKEY_free>;
using PKeyCtx = Owner<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using MdCtx = Owner<EVP_MD_CTX, EVP_MD_CTX_free>;
using CipherCtx = Owner<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>;
using BigNum = Owner<BIGNUM, BN_free>;
using EcdsaSig = Owner<ECDSA_SIG, ECDSA_SIG_free>;
using ParamBuilder = Owner<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>;
using Params = Owner<OSSL_PARAM, OSSL_PARAM_free>;
using Bio = Owner<BIO, BIO_free>;
using Certificate = Owner<X509, X509_free>;

// Memory OpenSSL allocated for us (the output of i2d_*); OPENSSL_free is a macro.
struct BytesDeleter
{
    void operator()(unsigned char *bytes) const noexcept { OPENSSL_free(bytes); }
};
using Bytes = std::unique_ptr<unsigned char, BytesDeleter>;

// A second owner of the same key (EVP_PKEY is reference-counted and immutable once
// built, so owners on several threads may sign or verify with it at once).
inline PKey share(EVP_PKEY *key)
{
    return PKey(key && EVP_PKEY_up_ref(key) == 1 ? key : nullptr);
}

inline BigNum bigNum(const char *bytes, int size)
{
    return BigNum(BN_bin2bn(reinterpret_cast<const unsigned char *>(bytes), size, nullptr));
}

} // namespace OpenSsl
