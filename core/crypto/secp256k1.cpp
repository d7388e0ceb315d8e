// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/secp256k1.h"

#include "crypto/random.h"

#include <secp256k1.h>
#include <secp256k1_recovery.h>

namespace Secp256k1 {
namespace {

const unsigned char *bytes(QByteArrayView data)
{
    return reinterpret_cast<const unsigned char *>(data.data());
}

// One context for the process: created and randomized once, then only read, which
// libsecp256k1 allows from any number of threads.
const secp256k1_context *context()
{
    static secp256k1_context *const ctx = [] {
        secp256k1_context *made = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
        const QByteArray seed = Random::bytes(32);
        if (!secp256k1_context_randomize(made, bytes(seed)))
            qWarning("secp256k1: context randomization failed");
        return made;
    }();
    return ctx;
}

QByteArray serializeUncompressed(const secp256k1_pubkey &key)
{
    QByteArray out(kUncompressedSize, Qt::Uninitialized);
    size_t length = size_t(out.size());
    if (!secp256k1_ec_pubkey_serialize(context(), reinterpret_cast<unsigned char *>(out.data()),
                                       &length, &key, SECP256K1_EC_UNCOMPRESSED) ||
        length != size_t(kUncompressedSize))
        return {};
    return out;
}

} // namespace

KeyPair generate()
{
    for (;;) {
        KeyPair pair = fromSecret(Random::bytes(kSecretSize));
        if (!pair.publicKey.isEmpty())
            return pair; // an invalid scalar has probability ~2^-128
    }
}

KeyPair fromSecret(QByteArrayView secret)
{
    KeyPair pair;
    secp256k1_pubkey key;
    if (secret.size() != kSecretSize || !secp256k1_ec_seckey_verify(context(), bytes(secret)) ||
        !secp256k1_ec_pubkey_create(context(), &key, bytes(secret)))
        return pair;
    pair.secret = secret.toByteArray();
    pair.publicKey = serializeUncompressed(key);
    return pair;
}

QByteArray signRecoverable(QByteArrayView secret, QByteArrayView hash32)
{
    if (secret.size() != kSecretSize || hash32.size() != 32)
        return {};
    secp256k1_ecdsa_recoverable_signature signature;
    if (!secp256k1_ecdsa_sign_recoverable(context(), &signature, bytes(hash32), bytes(secret),
                                          nullptr, nullptr))
        return {};
    QByteArray out(kRecoverableSize, Qt::Uninitialized);
    int recid = 0;
    secp256k1_ecdsa_recoverable_signature_serialize_compact(
        context(), reinterpret_cast<unsigned char *>(out.data()), &recid, &signature);
    out[64] = char(recid);
    return out;
}

std::optional<QByteArray> recover(QByteArrayView hash32, QByteArrayView signature)
{
    if (hash32.size() != 32 || signature.size() != kRecoverableSize)
        return std::nullopt;
    const int recid = static_cast<unsigned char>(signature[64]);
    if (recid > 3)
        return std::nullopt;
    secp256k1_ecdsa_recoverable_signature parsed;
    secp256k1_pubkey key;
    if (!secp256k1_ecdsa_recoverable_signature_parse_compact(context(), &parsed, bytes(signature),
                                                             recid) ||
        !secp256k1_ecdsa_recover(context(), &key, &parsed, bytes(hash32)))
        return std::nullopt;
    QByteArray out = serializeUncompressed(key);
    if (out.isEmpty())
        return std::nullopt;
    return out;
}

} // namespace Secp256k1
