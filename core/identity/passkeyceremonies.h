// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <optional>

class Clock;
class Database;

// WebAuthn ceremonies in flight: a challenge handed to a browser with the options, and
// what it was for. Kept in the database (any instance finishes what another began),
// stored as SHA-256 only, single-use and short-lived.
class PasskeyCeremonies
{
public:
    enum class Kind { Register, Login, SecondFactor };

    PasskeyCeremonies(const Database &db, const Clock &clock, qint64 lifetimeMs);

    struct Begun
    {
        QByteArray challenge; // 32 random bytes, for the options
        QString ceremony;     // the id the browser sends back with its answer (base64url)
        qint64 expiresAt = 0; // ms
    };
    // `userId` and `userHandle` (base64url) name the user of a registration; both are
    // empty for a discoverable sign-in, where the credential names its user.
    [[nodiscard]] Begun begin(Kind kind, const QString &userId, const QString &userHandle);

    struct Pending
    {
        QString userId;
        QString userHandle;
    };
    // Spends the ceremony whose challenge is `challenge` (as clientDataJSON carries it):
    // it must be of `kind`, unspent and unexpired, and when `ceremony` is given it must
    // be that ceremony's id. Nothing when any of that fails: a second finish, even by
    // another instance, finds nothing.
    [[nodiscard]] std::optional<Pending> take(Kind kind, const QByteArray &challenge,
                                              const QString &ceremony = {});

    qint64 lifetimeMs() const { return m_lifetimeMs; }

private:
    const Database &m_db;
    const Clock &m_clock;
    qint64 m_lifetimeMs;
};
