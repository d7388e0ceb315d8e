// SPDX-License-Identifier: GPL-3.0-or-later
// Base58: decode(encode(bytes)) gives the bytes back, and every text decode accepts is
// canonical (encode(decode(text)) == text), so one value has one spelling.
#include "crypto/base58.h"
#include "fuzzsupport.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    if (size > 256)
        return 0; // O(n²) by design: keys, addresses and signatures are short
    const QByteArray encoded = Base58::encode(input);
    const auto back = Base58::decode(encoded);
    FUZZ_CHECK(back && *back == input);
    const auto decoded = Base58::decode(input);
    if (decoded) {
        for (char c : input)
            FUZZ_CHECK(c != '0' && c != 'O' && c != 'I' && c != 'l');
        FUZZ_CHECK(Base58::encode(*decoded) == input);
    }
    return 0;
}
