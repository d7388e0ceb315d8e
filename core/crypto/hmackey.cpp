// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/hmackey.h"

#include "crypto/digest.h"

#include <QHash>
#include <QMutex>
#include <QString>
#include <atomic>
#include <cstring>
// SHA256_Init/Update/Final are deprecated since OpenSSL 3.0 (see HmacKey::Ready).
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/crypto.h>
#include <openssl/sha.h>

using namespace Qt::StringLiterals;

namespace {

constexpr int kBlock = SHA256_CBLOCK; // 64: HMAC pads the key to one block of the hash

struct Derived
{
    QByteArray masterKey;
    std::shared_ptr<const HmacKey> key;
};

QMutex g_mutex;
QHash<QByteArray, Derived> g_byLabel; // one master key per label: the one in force
std::atomic<quint64> g_generation{0}; // moved by forgetPurposeKeys: every thread's list goes

} // namespace

// HMAC (RFC 2104) over SHA-256's plain state: the hash states after the key's inner and
// outer pad blocks are computed once; each mac() copies them by value and hashes only
// the data and the inner digest. OpenSSL 3.0's EVP_MAC duplicates and frees three digest
// contexts per MAC (heap allocations that were ~5 % of a token check); SHA256_CTX is a
// plain struct. These SHA-256 functions are deprecated in OpenSSL 3 in favour of EVP,
// not removed, and run the same assembly; tst_hmackey checks every mac() against
// OpenSSL's HMAC() and RFC 4231's vectors.
struct HmacKey::Ready
{
    SHA256_CTX inner;
    SHA256_CTX outer;
};

HmacKey::HmacKey(QByteArrayView key) : m_ready(std::make_unique<Ready>())
{
    unsigned char block[kBlock] = {};
    if (key.size() > kBlock) // a long key is hashed first
        SHA256(reinterpret_cast<const unsigned char *>(key.data()), size_t(key.size()), block);
    else if (!key.isEmpty())
        memcpy(block, key.data(), size_t(key.size()));
    unsigned char pad[kBlock];
    for (int i = 0; i < kBlock; ++i)
        pad[i] = block[i] ^ 0x36;
    SHA256_Init(&m_ready->inner);
    SHA256_Update(&m_ready->inner, pad, kBlock);
    for (int i = 0; i < kBlock; ++i)
        pad[i] = block[i] ^ 0x5c;
    SHA256_Init(&m_ready->outer);
    SHA256_Update(&m_ready->outer, pad, kBlock);
    OPENSSL_cleanse(block, sizeof block);
    OPENSSL_cleanse(pad, sizeof pad);
}

HmacKey::~HmacKey()
{
    OPENSSL_cleanse(m_ready.get(), sizeof(Ready));
}

QByteArray HmacKey::mac(QByteArrayView data) const
{
    QByteArray out(SHA256_DIGEST_LENGTH, Qt::Uninitialized);
    auto *digest = reinterpret_cast<unsigned char *>(out.data());
    SHA256_CTX ctx = m_ready->inner;
    SHA256_Update(&ctx, data.data(), size_t(data.size()));
    SHA256_Final(digest, &ctx);
    ctx = m_ready->outer;
    SHA256_Update(&ctx, digest, SHA256_DIGEST_LENGTH);
    SHA256_Final(digest, &ctx);
    OPENSSL_cleanse(&ctx, sizeof ctx);
    return out;
}

// Each thread keeps the purpose keys it used, so a token check finds its key without
// the lock or building the label. Matched by master key value like derived(): after a
// change of secret the first use of a purpose replaces that purpose's entry, so an old
// master key stays in no thread's list beyond its next token check, and
// forgetPurposeKeys() empties every thread's list at its next call.
std::shared_ptr<const HmacKey> HmacKey::forPurpose(QByteArrayView masterKey, QStringView purpose)
{
    struct Kept
    {
        QString purpose;
        QByteArray masterKey;
        std::shared_ptr<const HmacKey> key;
    };
    thread_local QList<Kept> kept;
    thread_local quint64 keptGeneration = 0;
    if (const quint64 now = g_generation.load(std::memory_order_acquire); now != keptGeneration) {
        kept.clear();
        keptGeneration = now;
    }
    Kept *samePurpose = nullptr;
    for (Kept &k : kept) {
        if (k.purpose != purpose)
            continue;
        if (Digest::equal(k.masterKey, masterKey))
            return k.key;
        samePurpose = &k;
    }
    auto key = derived(masterKey, "gatehouse-jwt:" + purpose.toUtf8());
    if (samePurpose)
        *samePurpose = {purpose.toString(), masterKey.toByteArray(), key};
    else
        kept.append({purpose.toString(), masterKey.toByteArray(), key});
    return key;
}

std::shared_ptr<const HmacKey> HmacKey::derived(QByteArrayView masterKey, QByteArrayView label)
{
    {
        QMutexLocker lock(&g_mutex);
        const auto it = g_byLabel.constFind(label.toByteArray());
        if (it != g_byLabel.cend() && Digest::equal(it->masterKey, masterKey))
            return it->key;
    }
    auto key = std::make_shared<const HmacKey>(Digest::hmacSha256(masterKey, label));
    QMutexLocker lock(&g_mutex);
    g_byLabel.insert(label.toByteArray(), {masterKey.toByteArray(), key});
    return key;
}

void HmacKey::forgetPurposeKeys()
{
    QMutexLocker lock(&g_mutex);
    g_byLabel.clear();
    g_generation.fetch_add(1, std::memory_order_release);
}
