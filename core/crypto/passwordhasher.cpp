// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/passwordhasher.h"

#include "crypto/pbkdf2hash.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>

namespace {

constexpr unsigned long long kOpsLimit = 2;
constexpr size_t kMemLimit = 19u * 1024u * 1024u;

void ensureSodium()
{
    static const bool ready = [] {
        if (sodium_init() < 0) {
            std::fputs("gatehouse: libsodium failed to initialise\n", stderr);
            std::abort();
        }
        return true;
    }();
    (void)ready;
}

// libsodium declares its inputs non-null; an empty view may have no data pointer at all.
const char *bytes(QByteArrayView secret)
{
    return secret.data() ? secret.data() : "";
}

} // namespace

namespace PasswordHasher {

QString hash(QByteArrayView secret)
{
    ensureSodium();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, bytes(secret), static_cast<unsigned long long>(secret.size()),
                              kOpsLimit, kMemLimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
        std::fputs("gatehouse: out of memory while hashing a password\n", stderr);
        std::abort();
    }
    return QString::fromLatin1(out);
}

bool verify(const QString &encoded, QByteArrayView secret)
{
    if (Pbkdf2Hash::isEncoded(encoded)) // imported from Ambrosia POS; re-hashed on success
        return Pbkdf2Hash::verify(encoded, secret);
    ensureSodium();
    const QByteArray stored = encoded.toLatin1();
    if (!stored.startsWith("$argon2id$"))
        return false;
    return crypto_pwhash_str_verify(stored.constData(), bytes(secret),
                                    static_cast<unsigned long long>(secret.size())) == 0;
}

void verifyDummy(QByteArrayView secret)
{
    static const QString dummy = hash("gatehouse-timing-equaliser");
    (void)verify(dummy, secret);
}

} // namespace PasswordHasher
