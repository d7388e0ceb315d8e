// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>

// Keccak-256 as Ethereum uses it: the original Keccak padding (0x01), not the
// NIST SHA3-256 one (0x06). Written out in keccak.cpp (no Crypto++).
namespace Keccak {
[[nodiscard]] QByteArray keccak256(QByteArrayView data); // 32 bytes
} // namespace Keccak
