// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonValue>

#include <cmath>
#include <optional>

// A JSON number as a qint64, its fraction dropped (as a JWT NumericDate allows), or nothing
// when it is not a number, not finite, or beyond ±2^53. Casting such a double straight to
// an integer is undefined behaviour, and clients choose these numbers (fuzz_telegram).
[[nodiscard]] inline std::optional<qint64> jsonInteger(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    constexpr double kExact = 9007199254740992.0; // 2^53: every whole number up to it is exact
    const double number = std::trunc(value.toDouble());
    if (!(number >= -kExact && number <= kExact)) // false for NaN too
        return std::nullopt;
    return qint64(number);
}
