// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/passwordhasher.h"

#include "crypto/pbkdf2hash.h"

#include <sodium.h>

#include <algorithm>
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

// libsodium reads the encoded form as a crypto_pwhash_STRBYTES buffer: copy it into
// one, NUL-padded, so a short string is never read past its end.
bool toBuffer(const QString &encoded, char (&out)[crypto_pwhash_STRBYTES])
{
    const QByteArray latin1 = encoded.toLatin1();
    if (latin1.size() >= qsizetype(crypto_pwhash_STRBYTES))
        return false;
    std::fill(std::begin(out), std::end(out), '\0');
    std::copy(latin1.begin(), latin1.end(), out);
    return true;
}

bool verifyArgon2(const QString &encoded, QByteArrayView secret)
{
    char stored[crypto_pwhash_STRBYTES];
    if (!toBuffer(encoded, stored))
        return false;
    return crypto_pwhash_str_verify(stored, bytes(secret),
                                    static_cast<unsigned long long>(secret.size())) == 0;
}

// One row per encoding verify() accepts, found by its prefix. Gatehouse writes only the
// first; the others are origin hashes kept until their owner's next sign-in.
struct Scheme
{
    const char *prefix;
    bool (*verify)(const QString &encoded, QByteArrayView secret);
};

const Scheme kSchemes[] = {
    {"$argon2id$", verifyArgon2},
    {"$argon2i$", verifyArgon2},
    {"$pbkdf2-sha256$", Pbkdf2Hash::verify}, // Ambrosia POS PINs (passlib's pbkdf2_sha256 form)
};

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
    ensureSodium();
    for (const Scheme &scheme : kSchemes)
        if (encoded.startsWith(QLatin1StringView(scheme.prefix)))
            return scheme.verify(encoded, secret);
    return false;
}

bool needsRehash(const QString &encoded)
{
    ensureSodium();
    if (!encoded.startsWith(QLatin1StringView("$argon2id$")))
        return true;
    char stored[crypto_pwhash_STRBYTES];
    if (!toBuffer(encoded, stored))
        return true;
    // 0: our parameters; 1: other parameters; -1: not a valid argon2id string.
    return crypto_pwhash_argon2id_str_needs_rehash(stored, kOpsLimit, kMemLimit) != 0;
}

void verifyDummy(QByteArrayView secret)
{
    static const QString dummy = hash("gatehouse-timing-equaliser");
    (void)verify(dummy, secret);
}

} // namespace PasswordHasher
