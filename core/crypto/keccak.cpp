// SPDX-License-Identifier: GPL-3.0-or-later
// Keccak-f[1600] and the sponge, after the Keccak team's compact reference (FIPS 202,
// section 3). Written out here so the server does not load Crypto++ (2.6 MiB of resident
// pages at start) for this one hash; the known answers in tst_walletcrypto cover it.
#include "crypto/keccak.h"

#include <array>
#include <bit>
#include <cstdint>

namespace {

using State = std::array<std::uint64_t, 25>;

constexpr std::array<std::uint64_t, 24> roundConstants = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL};

// rho offsets and pi lane order, walking the lanes as the reference's combined step does.
constexpr std::array<int, 24> rotations = {1,  3,  6,  10, 15, 21, 28, 36, 45, 55, 2,  14,
                                           27, 41, 56, 8,  25, 43, 62, 18, 39, 61, 20, 44};
constexpr std::array<int, 24> piLanes = {10, 7,  11, 17, 18, 3, 5,  16, 8,  21, 24, 4,
                                         15, 23, 19, 13, 12, 2, 20, 14, 22, 9,  6,  1};

void permute(State &a)
{
    for (const std::uint64_t constant : roundConstants) {
        std::array<std::uint64_t, 5> c{};
        for (int x = 0; x < 5; ++x)
            c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
        for (int x = 0; x < 5; ++x) { // theta
            const std::uint64_t d = c[(x + 4) % 5] ^ std::rotl(c[(x + 1) % 5], 1);
            for (int y = 0; y < 25; y += 5)
                a[y + x] ^= d;
        }
        std::uint64_t carried = a[1]; // rho and pi
        for (int i = 0; i < 24; ++i) {
            const std::uint64_t next = a[piLanes[i]];
            a[piLanes[i]] = std::rotl(carried, rotations[i]);
            carried = next;
        }
        for (int y = 0; y < 25; y += 5) { // chi
            for (int x = 0; x < 5; ++x)
                c[x] = a[y + x];
            for (int x = 0; x < 5; ++x)
                a[y + x] = c[x] ^ (~c[(x + 1) % 5] & c[(x + 2) % 5]);
        }
        a[0] ^= constant; // iota
    }
}

// Lanes are little-endian whatever the machine's byte order.
void absorbByte(State &state, int position, std::uint8_t byte)
{
    state[position / 8] ^= std::uint64_t(byte) << (8 * (position % 8));
}

} // namespace

namespace Keccak {

QByteArray keccak256(QByteArrayView data)
{
    constexpr int rate = 136; // (1600 - 2 * 256) / 8
    State state{};
    int position = 0;
    for (const char byte : data) {
        absorbByte(state, position, std::uint8_t(byte));
        if (++position == rate) {
            permute(state);
            position = 0;
        }
    }
    absorbByte(state, position, 0x01); // the original Keccak padding, not SHA-3's 0x06
    absorbByte(state, rate - 1, 0x80);
    permute(state);
    QByteArray out(32, Qt::Uninitialized);
    for (int i = 0; i < out.size(); ++i)
        out[i] = char(state[i / 8] >> (8 * (i % 8)));
    return out;
}

} // namespace Keccak
