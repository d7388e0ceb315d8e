// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "identity/tokenstore.h"

#include <QHash>
#include <QStringList>
#include <QVariant>

// How the Tokens & sessions page and the user details dialog show an issued token.
struct TokenRow
{
    IssuedToken token;
    QString userName; // username or email of token.userId, empty if unknown
};

namespace TokenCells {
enum Column { Kind, User, Label, Created, LastUsed, Expires, State, Id, ColumnCount };
QStringList headers();
QString kindName(const QString &kind);
QStringList kinds(); // every kind, in the order filters list them
QVariant cell(const TokenRow &row, int column, int role, qint64 nowMs);
} // namespace TokenCells
