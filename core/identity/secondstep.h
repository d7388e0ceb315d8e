// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"

#include <QString>

using namespace Qt::StringLiterals;

class Clock;
class Database;

// A sign-in that passed its first step (the password) and waits for the second (a TOTP
// code, a recovery code or a passkey). begin() hands out a random challenge token, kept
// only as its hash, bound to one user and one purpose, alive 5 minutes, spent by
// finish(). Every code checked against it counts a try first (countTry): 5 per
// challenge, and 10 failed tries per user in 15 minutes across all of that user's
// challenges (so fetching a new challenge with the password does not buy new guesses).
// Rows live in the database, so any instance can finish what another began; Housekeeping
// purges them once expired.
class SecondStep
{
public:
    static inline const QString kLoginPurpose = u"login"_s;
    struct Options
    {
        qint64 lifetimeSecs = 5 * 60;
        int triesPerChallenge = 5;
        int failuresPerUser = 10; // failed tries per user in `failureWindowSecs`
        qint64 failureWindowSecs = 15 * 60;
    };

    SecondStep(const Database &db, const Clock &clock, Options options);
    SecondStep(const Database &db, const Clock &clock) : SecondStep(db, clock, Options()) {}

    // A fresh challenge for `userId`: the only time the token exists in clear.
    [[nodiscard]] QString begin(const QString &userId, const QString &purpose = kLoginPurpose);
    // The user of a live challenge, without spending it: TokenInvalid (unknown, spent, or
    // another purpose), TokenExpired, Locked (tries spent) or RateLimited (the user's
    // failures).
    [[nodiscard]] Result<QString> peek(const QString &token,
                                       const QString &purpose = kLoginPurpose) const;
    // As peek(), and counts one try: call it before checking a code against the challenge.
    [[nodiscard]] Result<QString> countTry(const QString &token,
                                           const QString &purpose = kLoginPurpose);
    // Spends the challenge (after its code was right): the user id, exactly once. A
    // spent try counted by countTry() is forgiven (it was not a failure).
    [[nodiscard]] Result<QString> finish(const QString &token,
                                         const QString &purpose = kLoginPurpose);
    // Seconds a fresh challenge lives (for the response's expires_in).
    qint64 lifetimeSecs() const { return m_options.lifetimeSecs; }

private:
    const Database &m_db;
    const Clock &m_clock;
    Options m_options;
};
