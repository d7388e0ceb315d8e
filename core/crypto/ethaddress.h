// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <optional>

// Ethereum addresses and EIP-191 personal_sign messages.
namespace EthAddress {
// "0x" + EIP-55 mixed-case hex of the last 20 bytes of Keccak-256(X || Y) of an
// uncompressed public key (65 bytes, 0x04 first); empty on bad input.
[[nodiscard]] QString fromPublicKey(QByteArrayView uncompressed);
// The EIP-55 form of a 0x-prefixed 40-digit hex address in any case; empty if the
// text is not one.
[[nodiscard]] QString checksummed(QStringView address);
// A 0x address that is all lower case, all upper case, or correctly checksummed.
[[nodiscard]] bool isValid(QStringView address);

// Keccak-256("\x19Ethereum Signed Message:\n" + decimal byte length + message).
[[nodiscard]] QByteArray personalMessageHash(QByteArrayView message);
// r || s || v with v = 27 or 28, as wallets return from personal_sign.
[[nodiscard]] QByteArray signPersonal(QByteArrayView secret, QByteArrayView message);
// The checksummed address that signed `message` with personal_sign; the signature is
// 65 bytes r || s || v with v in {0, 1, 27, 28}.
[[nodiscard]] std::optional<QString> recoverPersonal(QByteArrayView message,
                                                     QByteArrayView signature);
// "0x"-prefixed (or bare) hex of exactly 65 bytes.
[[nodiscard]] std::optional<QByteArray> parseSignatureHex(QStringView text);
} // namespace EthAddress
