// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

// How the console writes times, durations and counts.
struct User;

namespace Format {
// How a user is named on screen: username, else email, else display name, else id.
QString userName(const User &user);
// "Google", "Ethereum wallet", "Email code"… for a wallet-surface identity kind.
QString identityKind(const QString &kind);
QString dateTime(qint64 msSinceEpoch);      // "2025-03-01 14:02:11", "—" for 0
QString shortDateTime(qint64 msSinceEpoch); // "2025-03-01 14:02", for tables
QString duration(qint64 ms);                // "3 d 4 h", "12 min", "40 s"
QString relative(qint64 ms, qint64 nowMs);  // "in 14 d", "5 min ago" (one unit)
QString count(qint64 n);                    // "1,000,000"
QString items(qint64 n, const QString &one, const QString &many); // "1 user", "3 users"
} // namespace Format
