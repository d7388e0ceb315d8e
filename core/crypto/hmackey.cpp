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

namespace {

// Each thread keeps the keys it used, by name (a purpose or a label), so a token check
// finds its key without the lock or building the label. Matched by master key value
// like the shared map: after a change of secret the first use of a name replaces that
// name's entry, so an old master key stays in no thread's list beyond its next use, and
// forgetPurposeKeys() empties every thread's list at its next call.
template <typename Name> class ThreadKeys
{
public:
    template <typename View, typename Make>
    std::shared_ptr<const HmacKey> get(View name, QByteArrayView masterKey, Make make)
    {
        if (const quint64 now = g_generation.load(std::memory_order_acquire); now != m_generation) {
            m_kept.clear();
            m_generation = now;
        }
        Kept *sameName = nullptr;
        for (Kept &k : m_kept) {
            if (k.name != name)
                continue;
            if (Digest::equal(k.masterKey, masterKey))
                return k.key;
            sameName = &k;
        }
        auto key = make();
        Kept fresh{Name(name.data(), name.size()), masterKey.toByteArray(), key};
        if (sameName)
            *sameName = std::move(fresh);
        else
            m_kept.append(std::move(fresh));
        return key;
    }

private:
    struct Kept
    {
        Name name;
        QByteArray masterKey;
        std::shared_ptr<const HmacKey> key;
    };
    QList<Kept> m_kept;
    quint64 m_generation = 0;
};

std::shared_ptr<const HmacKey> derivedShared(QByteArrayView masterKey, QByteArrayView label)
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

} // namespace

std::shared_ptr<const HmacKey> HmacKey::forPurpose(QByteArrayView masterKey, QStringView purpose)
{
    thread_local ThreadKeys<QString> keys;
    return keys.get(purpose, masterKey,
                    [&] { return derivedShared(masterKey, "gatehouse-jwt:" + purpose.toUtf8()); });
}

std::shared_ptr<const HmacKey> HmacKey::derived(QByteArrayView masterKey, QByteArrayView label)
{
    thread_local ThreadKeys<QByteArray> keys;
    return keys.get(label, masterKey, [&] { return derivedShared(masterKey, label); });
}

void HmacKey::forgetPurposeKeys()
{
    QMutexLocker lock(&g_mutex);
    g_byLabel.clear();
    g_generation.fetch_add(1, std::memory_order_release);
}
