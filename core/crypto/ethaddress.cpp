// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/ethaddress.h"

#include "crypto/keccak.h"
#include "crypto/secp256k1.h"

using namespace Qt::StringLiterals;

namespace EthAddress {
namespace {

bool isHex(QStringView text)
{
    for (QChar c : text) {
        const bool digit = c >= u'0' && c <= u'9';
        const bool lower = c >= u'a' && c <= u'f';
        const bool upper = c >= u'A' && c <= u'F';
        if (!digit && !lower && !upper)
            return false;
    }
    return true;
}

} // namespace

QString checksummed(QStringView address)
{
    if (address.size() != 42 || !address.startsWith(u"0x") || !isHex(address.mid(2)))
        return {};
    const QByteArray lower = address.mid(2).toString().toLower().toLatin1();
    const QByteArray hash = Keccak::keccak256(lower).toHex();
    QString out = u"0x"_s;
    for (int i = 0; i < 40; ++i) {
        const char c = lower[i];
        // EIP-55: upper-case a letter when the matching hex digit of the hash is >= 8.
        const char h = hash[i];
        const int nibble = h >= 'a' ? h - 'a' + 10 : h - '0';
        const bool upper = c >= 'a' && nibble >= 8;
        out.append(QChar::fromLatin1(upper ? char(c - 'a' + 'A') : c));
    }
    return out;
}

QString fromPublicKey(QByteArrayView uncompressed)
{
    if (uncompressed.size() != 65 || uncompressed[0] != 0x04)
        return {};
    const QByteArray hash = Keccak::keccak256(uncompressed.sliced(1));
    return checksummed(QString::fromLatin1(QByteArray("0x") + hash.right(20).toHex()));
}

bool isValid(QStringView address)
{
    const QString fixed = checksummed(address);
    if (fixed.isEmpty())
        return false;
    const QStringView digits = address.mid(2);
    const bool allLower = digits.toString().toLower() == digits;
    const bool allUpper = digits.toString().toUpper() == digits;
    return allLower || allUpper || fixed == address;
}

QByteArray personalMessageHash(QByteArrayView message)
{
    QByteArray prefixed = "\x19"
                          "Ethereum Signed Message:\n";
    prefixed += QByteArray::number(message.size());
    prefixed += message;
    return Keccak::keccak256(prefixed);
}

QByteArray signPersonal(QByteArrayView secret, QByteArrayView message)
{
    QByteArray signature = Secp256k1::signRecoverable(secret, personalMessageHash(message));
    if (signature.size() == 65)
        signature[64] = char(27 + signature[64]);
    return signature;
}

std::optional<QString> recoverPersonal(QByteArrayView message, QByteArrayView signature)
{
    if (signature.size() != 65)
        return std::nullopt;
    QByteArray compact = signature.toByteArray();
    int v = static_cast<unsigned char>(compact[64]);
    if (v >= 27)
        v -= 27;
    if (v != 0 && v != 1)
        return std::nullopt;
    compact[64] = char(v);
    const auto key = Secp256k1::recover(personalMessageHash(message), compact);
    if (!key)
        return std::nullopt;
    const QString address = fromPublicKey(*key);
    if (address.isEmpty())
        return std::nullopt;
    return address;
}

std::optional<QByteArray> parseSignatureHex(QStringView text)
{
    QStringView digits = text.startsWith(u"0x") ? text.mid(2) : text;
    if (digits.size() != 130 || !isHex(digits))
        return std::nullopt;
    return QByteArray::fromHex(digits.toLatin1());
}

} // namespace EthAddress
