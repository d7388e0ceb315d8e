// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/pbkdf2hash.h"

#include "crypto/digest.h"

#include <QRegularExpression>
#include <QStringList>
#include <openssl/evp.h>

#include <optional>

using namespace Qt::StringLiterals;

namespace {

QString adaptedBase64(QByteArrayView raw)
{
    return QString::fromLatin1(
        raw.toByteArray().toBase64(QByteArray::OmitTrailingEquals).replace('+', '.'));
}

std::optional<QByteArray> fromAdaptedBase64(const QString &text)
{
    static const QRegularExpression alphabet(u"^[A-Za-z0-9./]*$"_s);
    if (text.size() % 4 == 1 || !alphabet.match(text).hasMatch())
        return std::nullopt;
    QByteArray padded = text.toLatin1().replace('.', '+');
    padded.append(QByteArray((4 - padded.size() % 4) % 4, '='));
    auto decoded = QByteArray::fromBase64Encoding(padded, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    return *decoded;
}

} // namespace

namespace Pbkdf2Hash {

QByteArray derive(QByteArrayView secret, QByteArrayView salt, int iterations, int length)
{
    QByteArray out(length, Qt::Uninitialized);
    // OpenSSL wants valid pointers even for empty inputs.
    static const char empty = 0;
    const int ok = PKCS5_PBKDF2_HMAC(
        secret.isEmpty() ? &empty : secret.data(), int(secret.size()),
        reinterpret_cast<const unsigned char *>(salt.isEmpty() ? &empty : salt.data()),
        int(salt.size()), iterations, EVP_sha256(), length,
        reinterpret_cast<unsigned char *>(out.data()));
    return ok == 1 ? out : QByteArray();
}

QString encode(int iterations, QByteArrayView salt, QByteArrayView hash)
{
    return QString::fromUtf16(kPrefix) + QString::number(iterations) + u'$' + adaptedBase64(salt) +
           u'$' + adaptedBase64(hash);
}

bool isEncoded(const QString &encoded)
{
    return encoded.startsWith(QString::fromUtf16(kPrefix));
}

bool verify(const QString &encoded, QByteArrayView secret)
{
    if (!isEncoded(encoded))
        return false;
    // "", "pbkdf2-sha256", iterations, salt, hash
    const QStringList parts = encoded.split(u'$');
    if (parts.size() != 5)
        return false;
    static const QRegularExpression digits(u"^[1-9][0-9]{0,7}$"_s);
    if (!digits.match(parts[2]).hasMatch())
        return false;
    const int iterations = parts[2].toInt();
    const auto salt = fromAdaptedBase64(parts[3]);
    const auto hash = fromAdaptedBase64(parts[4]);
    if (iterations > kMaxIterations || !salt || salt->isEmpty() || !hash ||
        hash->size() != kHashBytes)
        return false;
    const QByteArray derived = derive(secret, *salt, iterations);
    return !derived.isEmpty() && Digest::equal(derived, *hash);
}

} // namespace Pbkdf2Hash
