// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QStringView>
#include <memory>

// An HMAC-SHA256 key made ready once: the key's inner and outer pads hashed, so each
// mac() costs the data's blocks only, with no allocation but its result
// (Digest::hmacSha256 does all of that again on every call). Immutable after
// construction, so one key may sign on several threads at once.
class HmacKey
{
public:
    explicit HmacKey(QByteArrayView key);
    ~HmacKey();
    HmacKey(const HmacKey &) = delete;
    HmacKey &operator=(const HmacKey &) = delete;

    [[nodiscard]] QByteArray mac(QByteArrayView data) const; // = Digest::hmacSha256(key, data)

    // HMAC-SHA256(masterKey, "gatehouse-jwt:" + purpose) made ready, derived once per
    // master key value and purpose and then shared: a token check no longer derives its
    // purpose key on every request. A different master key value derives anew, so a
    // changed secret never meets a key made from the old one.
    static std::shared_ptr<const HmacKey> forPurpose(QByteArrayView masterKey, QStringView purpose);
    // HMAC-SHA256(masterKey, label) made ready, kept the same way (forPurpose is the label
    // "gatehouse-jwt:" + purpose).
    static std::shared_ptr<const HmacKey> derived(QByteArrayView masterKey, QByteArrayView label);
    // Drops every kept purpose key (Secrets::set: the old secret's keys need not linger).
    static void forgetPurposeKeys();

private:
    struct Ready;
    std::unique_ptr<Ready> m_ready; // the hash states after the inner and outer pad blocks
};
