// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/hmackey.h"

#include "crypto/digest.h"
#include "crypto/opensslhandle.h"

#include <QHash>
#include <QMutex>
#include <QString>
#include <openssl/core_names.h>

using namespace Qt::StringLiterals;

namespace {

using Mac = OpenSsl::Owner<EVP_MAC, EVP_MAC_free>;
using MacCtx = OpenSsl::Owner<EVP_MAC_CTX, EVP_MAC_CTX_free>;

EVP_MAC *hmacAlgorithm()
{
    static const Mac mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr)); // fetched once
    return mac.get();
}

struct Derived
{
    QByteArray masterKey;
    std::shared_ptr<const HmacKey> key;
};

QMutex g_mutex;
QHash<QByteArray, Derived> g_byLabel; // one master key per label: the one in force

} // namespace

struct HmacKey::Ready
{
    MacCtx ctx; // initialised with the key; copied for each mac(), never changed
};

HmacKey::HmacKey(QByteArrayView key) : m_key(key.toByteArray())
{
    if (!hmacAlgorithm())
        return;
    MacCtx ctx(EVP_MAC_CTX_new(hmacAlgorithm()));
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_end(),
    };
    static const unsigned char empty = 0; // an empty key must still be a valid pointer
    const auto *bytes =
        key.isEmpty() ? &empty : reinterpret_cast<const unsigned char *>(key.data());
    if (ctx && EVP_MAC_init(ctx.get(), bytes, size_t(key.size()), params) == 1)
        m_ready = std::make_unique<Ready>(Ready{std::move(ctx)});
}

HmacKey::~HmacKey() = default;

QByteArray HmacKey::mac(QByteArrayView data) const
{
    if (m_ready) {
        const MacCtx ctx(EVP_MAC_CTX_dup(m_ready->ctx.get()));
        QByteArray out(32, Qt::Uninitialized);
        size_t length = 0;
        if (ctx &&
            EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char *>(data.data()),
                           size_t(data.size())) == 1 &&
            EVP_MAC_final(ctx.get(), reinterpret_cast<unsigned char *>(out.data()), &length,
                          size_t(out.size())) == 1 &&
            length == size_t(out.size()))
            return out;
    }
    return Digest::hmacSha256(m_key, data);
}

std::shared_ptr<const HmacKey> HmacKey::forPurpose(QByteArrayView masterKey, QStringView purpose)
{
    return derived(masterKey, "gatehouse-jwt:" + purpose.toUtf8());
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
}
