// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/keccak.h"

#include <cryptopp/keccak.h>

namespace Keccak {

QByteArray keccak256(QByteArrayView data)
{
    CryptoPP::Keccak_256 hash;
    QByteArray out(CryptoPP::Keccak_256::DIGESTSIZE, Qt::Uninitialized);
    hash.CalculateDigest(reinterpret_cast<CryptoPP::byte *>(out.data()),
                         reinterpret_cast<const CryptoPP::byte *>(data.data()),
                         size_t(data.size()));
    return out;
}

} // namespace Keccak
