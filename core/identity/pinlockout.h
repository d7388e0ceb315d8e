// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <optional>

class Clock;
class Database;

// One row of the PIN brute-force state: a name or an IP address and its failures.
struct PinLockoutEntry
{
    QString subject; // "name:cooluser1" or "ip:203.0.113.7"
    int failures = 0;
    qint64 lockedUntil = 0; // ms since the epoch; 0 when not locked
    qint64 lastFailureAt = 0;
    QString kind() const { return subject.section(u':', 0, 0); } // "name" or "ip"
    QString value() const { return subject.section(u':', 1); }   // the name or address
};

// Four-digit PINs are guessable, so every name and every client address gets a few
// free failures and then a growing wait: after `freeFailures` failures the subject is
// locked for base, then 2x, 4x… up to `capMs` per further failure. A quiet `forgetMs`
// after the last failure (and the lock) forgets the count. State is in the database,
// so restarts and other instances see it.
//
// An attempt is counted as a failure *before* the PIN is checked (begin()), and given
// back by succeeded(): parallel guesses cannot all slip past the check.
class PinLockout
{
public:
    struct Options
    {
        int freeFailures = 5;
        qint64 baseMs = 30'000;
        qint64 capMs = 3'600'000;
        qint64 forgetMs = 3'600'000;
    };

    PinLockout(const Database &db, const Clock &clock, Options options);
    PinLockout(const Database &db, const Clock &clock) : PinLockout(db, clock, Options()) {}

    // Seconds to wait when the name or the address is locked; otherwise the attempt is
    // counted and std::nullopt returned.
    std::optional<int> begin(const QString &name, const QString &ip);
    // The attempt was right: the name starts over, the address gets its attempt back.
    void succeeded(const QString &name, const QString &ip);

    // For the console: subjects that are locked now, or have failures on record.
    QList<PinLockoutEntry> entries(bool lockedOnly = true) const;
    // Forgets a subject ("name:…"/"ip:…"); a bare name means "name:<name>".
    bool unlock(const QString &subject);

    static QString nameSubject(const QString &name);
    static QString ipSubject(const QString &ip);
    const Options &options() const { return m_options; }

private:
    qint64 lockMsFor(int failures) const;

    const Database &m_db;
    const Clock &m_clock;
    Options m_options;
};
