// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace Digest {
[[nodiscard]] QByteArray sha256(QByteArrayView data);
[[nodiscard]] QByteArray hmacSha256(QByteArrayView key, QByteArrayView data);
// Constant-time for equal lengths; unequal lengths return false without
// revealing where the inputs differ.
[[nodiscard]] bool equal(QByteArrayView a, QByteArrayView b);
// Hex SHA-256 of a bearer secret: how tokens are stored, never in plaintext.
[[nodiscard]] QString tokenHash(QByteArrayView token);
} // namespace Digest
