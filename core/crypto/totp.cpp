// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/totp.h"

#include "crypto/digest.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

using namespace Qt::StringLiterals;

namespace Totp {

namespace {
const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

const EVP_MD *digestOf(Hash hash)
{
    switch (hash) {
    case Hash::Sha256:
        return EVP_sha256();
    case Hash::Sha512:
        return EVP_sha512();
    case Hash::Sha1:
        break;
    }
    return EVP_sha1();
}
} // namespace

QString hotp(QByteArrayView key, quint64 counter, int digits, Hash hash)
{
    unsigned char message[8];
    for (int i = 7; i >= 0; --i) {
        message[i] = static_cast<unsigned char>(counter & 0xff);
        counter >>= 8;
    }
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    static const char empty = 0; // OpenSSL wants a valid pointer even for an empty key
    HMAC(digestOf(hash), key.isEmpty() ? &empty : key.data(), int(key.size()), message,
         sizeof message, mac, &length);
    // RFC 4226 §5.3 dynamic truncation.
    const unsigned offset = mac[length - 1] & 0x0f;
    const quint32 binary = (quint32(mac[offset] & 0x7f) << 24) | (quint32(mac[offset + 1]) << 16) |
                           (quint32(mac[offset + 2]) << 8) | quint32(mac[offset + 3]);
    quint64 modulus = 1;
    for (int i = 0; i < digits; ++i)
        modulus *= 10;
    return QString::number(binary % modulus).rightJustified(digits, u'0');
}

quint64 step(qint64 unixSecs, qint64 periodSecs)
{
    return unixSecs < 0 ? 0 : quint64(unixSecs / periodSecs);
}

QString at(QByteArrayView key, qint64 unixSecs, int digits, Hash hash)
{
    return hotp(key, step(unixSecs), digits, hash);
}

std::optional<quint64> matchingStep(QByteArrayView key, const QString &code, qint64 unixSecs)
{
    if (code.size() != kDigits)
        return std::nullopt;
    for (QChar c : code)
        if (c < u'0' || c > u'9')
            return std::nullopt;
    const quint64 now = step(unixSecs);
    std::optional<quint64> found;
    // Every candidate is computed and compared, so the time does not say which matched.
    for (quint64 s : {now - 1, now, now + 1}) {
        if (Digest::equal(hotp(key, s).toLatin1(), code.toLatin1()) && !found)
            found = s;
    }
    return found;
}

QString base32(QByteArrayView bytes)
{
    QString out;
    quint32 buffer = 0;
    int bits = 0;
    for (char byte : bytes) {
        buffer = (buffer << 8) | quint8(byte);
        bits += 8;
        while (bits >= 5) {
            out += QLatin1Char(kAlphabet[(buffer >> (bits - 5)) & 31]);
            bits -= 5;
        }
    }
    if (bits > 0)
        out += QLatin1Char(kAlphabet[(buffer << (5 - bits)) & 31]);
    return out;
}

std::optional<QByteArray> fromBase32(const QString &text)
{
    QByteArray out;
    quint32 buffer = 0;
    int bits = 0;
    for (QChar c : text) {
        if (c == u' ' || c == u'=')
            continue;
        const char up = char(c.toUpper().unicode() & 0xff);
        const char *at = c.unicode() < 128 ? strchr(kAlphabet, up) : nullptr;
        if (!at || up == 0)
            return std::nullopt;
        buffer = (buffer << 5) | quint32(at - kAlphabet);
        bits += 5;
        if (bits >= 8) {
            out += char((buffer >> (bits - 8)) & 0xff);
            bits -= 8;
        }
    }
    return out;
}

} // namespace Totp
