// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QString>
#include <atomic>
#include <mutex>
#include <optional>

class Clock;
class Database;

// The one mechanism behind every limit on anonymous writes (registrations, code and
// link mails, wallet challenges, OAuth starts, device logins):
// - per client address, in memory (a token bucket per instance, as ARCHITECTURE.md
//   "State" allows): `anonymousPerMinute` writes, refilled evenly over a minute;
//   IPv6 addresses count per /64, the block one host usually holds;
// - per target (an email address or phone number), in the database so every instance
//   shares it: `perTargetPerHour` messages in a fixed hour window. Only a hash of the
//   target is stored.
// Both answer "wait this many seconds" or std::nullopt (go ahead, and it was counted).
class RateLimits
{
public:
    struct Options
    {
        int anonymousPerMinute = 60;
        int perTargetPerHour = 10;
    };

    RateLimits(const Database &db, const Clock &clock, Options options);

    std::optional<int> takeIp(const QString &ip);
    std::optional<int> takeTarget(const QString &kind, const QString &target);
    // Windows that ended (database) and full buckets (memory).
    int purge();
    qsizetype bucketCount() const;
    Options options() const
    {
        return {m_perMinute.load(std::memory_order_relaxed),
                m_perTarget.load(std::memory_order_relaxed)};
    }
    // A reload (SIGHUP) changes the limits while requests are being counted.
    void setOptions(Options options)
    {
        m_perMinute.store(options.anonymousPerMinute, std::memory_order_relaxed);
        m_perTarget.store(options.perTargetPerHour, std::memory_order_relaxed);
    }

    static QString ipKey(const QString &ip);

private:
    struct Bucket
    {
        double tokens = 0;
        qint64 at = 0; // ms of the last refill
    };
    void pruneLocked(qint64 now);

    const Database &m_db;
    const Clock &m_clock;
    std::atomic<int> m_perMinute;
    std::atomic<int> m_perTarget;
    mutable std::mutex m_mutex;
    QHash<QString, Bucket> m_buckets;
};
