// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/base58.h"

#include <array>
#include <vector>

namespace {

constexpr char kAlphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

constexpr std::array<qint8, 128> makeIndex()
{
    std::array<qint8, 128> index{};
    for (auto &slot : index)
        slot = -1;
    for (int i = 0; i < 58; ++i)
        index[static_cast<unsigned char>(kAlphabet[i])] = static_cast<qint8>(i);
    return index;
}
constexpr std::array<qint8, 128> kIndex = makeIndex();

} // namespace

namespace Base58 {

// Schoolbook base conversion: O(n²), fine for keys, addresses and tokens.
QByteArray encode(QByteArrayView bytes)
{
    qsizetype zeros = 0;
    while (zeros < bytes.size() && bytes[zeros] == 0)
        ++zeros;
    // log(256) / log(58) < 1.366
    std::vector<quint8> digits(size_t((bytes.size() - zeros) * 138 / 100 + 1), 0);
    size_t used = 0;
    for (qsizetype i = zeros; i < bytes.size(); ++i) {
        int carry = static_cast<quint8>(bytes[i]);
        size_t j = 0;
        for (auto it = digits.rbegin(); (carry != 0 || j < used) && it != digits.rend();
             ++it, ++j) {
            carry += 256 * (*it);
            *it = static_cast<quint8>(carry % 58);
            carry /= 58;
        }
        used = j;
    }
    auto it = digits.begin() + qsizetype(digits.size() - used);
    while (it != digits.end() && *it == 0)
        ++it;
    QByteArray out(zeros, '1');
    out.reserve(zeros + (digits.end() - it));
    for (; it != digits.end(); ++it)
        out.append(kAlphabet[*it]);
    return out;
}

std::optional<QByteArray> decode(QByteArrayView text)
{
    qsizetype ones = 0;
    while (ones < text.size() && text[ones] == '1')
        ++ones;
    // log(58) / log(256) < 0.733
    std::vector<quint8> bytes(size_t((text.size() - ones) * 733 / 1000 + 1), 0);
    size_t used = 0;
    for (qsizetype i = ones; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 128 || kIndex[c] < 0)
            return std::nullopt;
        int carry = kIndex[c];
        size_t j = 0;
        for (auto it = bytes.rbegin(); (carry != 0 || j < used) && it != bytes.rend(); ++it, ++j) {
            carry += 58 * (*it);
            *it = static_cast<quint8>(carry % 256);
            carry /= 256;
        }
        used = j;
    }
    auto it = bytes.begin() + qsizetype(bytes.size() - used);
    while (it != bytes.end() && *it == 0)
        ++it;
    QByteArray out(ones, '\0');
    out.reserve(ones + (bytes.end() - it));
    for (; it != bytes.end(); ++it)
        out.append(static_cast<char>(*it));
    return out;
}

} // namespace Base58
