// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "jsonnumber.h"
#include "jsontext.h"

#include <QJsonObject>
#include <QString>

using namespace Qt::StringLiterals;

// "Sign out everywhere" (a user's or a namespace's) must refuse every JWT issued before
// it, even in the same second — JWT `iat` is whole seconds — and no JWT issued after.
// So each sign-out moves an epoch, `tokens_valid_after` (ms), strictly forward, and
// every JWT carries the epoch in force when it was signed (claim "sva"). A token is
// revoked when its epoch is older than the current one: an exact comparison, with no
// clock resolution in it. Stored tokens (sessions, refresh tokens) are revoked by row.
namespace SignOutEpoch {

inline const QString claim = u"sva"_s;

// The epoch a sign-out at `nowMs` sets: now, or one past the current one when the
// clock has not moved on (two sign-outs in one millisecond are still two epochs).
inline qint64 next(qint64 current, qint64 nowMs)
{
    return qMax(nowMs, current + 1);
}

// Adds the claim to a payload being signed. Left out while no sign-out ever happened
// (epoch 0), so the documented payloads stay as they were; a token without it is then
// judged by its `iat` second, and every token signed after a sign-out carries it.
inline void stamp(QJsonObject &claims, qint64 validAfterMs)
{
    if (validAfterMs > 0)
        claims.insert(claim, validAfterMs);
}

// The same for a payload written as text (core/jsontext.h): appended, so a caller that
// keeps its keys sorted stamps last ("sva" sorts after the keys it is used with).
inline void stamp(OrderedFields &claims, qint64 validAfterMs)
{
    if (validAfterMs > 0)
        claims.append({claim, QByteArray::number(validAfterMs)});
}

inline bool revoked(const QJsonObject &claims, qint64 validAfterMs)
{
    if (validAfterMs <= 0)
        return false;
    if (const auto epoch = jsonInteger(claims.value(claim)))
        return *epoch < validAfterMs;
    // Signed before the first sign-out (or before tokens carried the epoch): whole
    // seconds, so the sign-out's own second is refused too.
    const auto iat = jsonInteger(claims.value(QLatin1StringView("iat")));
    return !iat || *iat * 1000 <= validAfterMs;
}

} // namespace SignOutEpoch
