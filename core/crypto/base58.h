// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <optional>

// Base58 with the Bitcoin alphabet (no 0, O, I, l), for arbitrary bytes: each leading
// zero byte becomes a leading '1', as in Bitcoin addresses and Solana keys. No
// checksum (Base58Check is a separate layer a caller can add).
namespace Base58 {
[[nodiscard]] QByteArray encode(QByteArrayView bytes);
// nullopt when `text` holds a character outside the alphabet (whitespace included).
[[nodiscard]] std::optional<QByteArray> decode(QByteArrayView text);
} // namespace Base58
