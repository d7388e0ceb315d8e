// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/ratelimits.h"

#include "clock.h"
#include "crypto/digest.h"
#include "storage/database.h"

#include <QHostAddress>
#include <cmath>

using namespace Qt::StringLiterals;

namespace {
constexpr qint64 kMinuteMs = 60'000;
constexpr qint64 kHourMs = 3'600'000;
// Above this many addresses, full buckets are dropped before a new one is made: a
// client rotating addresses costs a few bytes each, never unbounded memory.
constexpr qsizetype kPruneAbove = 50'000;
} // namespace

RateLimits::RateLimits(const Database &db, const Clock &clock, Options options)
    : m_db(db), m_clock(clock), m_perMinute(options.anonymousPerMinute),
      m_perTarget(options.perTargetPerHour)
{}

QString RateLimits::ipKey(const QString &ip)
{
    QHostAddress address(ip);
    if (address.protocol() != QAbstractSocket::IPv6Protocol)
        return ip;
    Q_IPV6ADDR bytes = address.toIPv6Address();
    for (int i = 8; i < 16; ++i)
        bytes[i] = 0;
    return QHostAddress(bytes).toString() + u"/64"_s;
}

std::optional<int> RateLimits::takeIp(const QString &ip)
{
    const int perMinute = m_perMinute.load(std::memory_order_relaxed);
    if (perMinute <= 0)
        return std::nullopt; // 0: off
    const double ratePerMs = double(perMinute) / kMinuteMs;
    const qint64 now = m_clock.nowMs();
    const QString key = ipKey(ip);
    std::lock_guard lock(m_mutex);
    auto it = m_buckets.find(key);
    if (it == m_buckets.end()) {
        if (m_buckets.size() >= kPruneAbove)
            pruneLocked(now);
        it = m_buckets.insert(key, Bucket{double(perMinute), now});
    }
    Bucket &b = *it;
    b.tokens = qMin(double(perMinute), b.tokens + double(qMax<qint64>(0, now - b.at)) * ratePerMs);
    b.at = now;
    if (b.tokens >= 1.0) {
        b.tokens -= 1.0;
        return std::nullopt;
    }
    return int(qMax(1.0, std::ceil((1.0 - b.tokens) / ratePerMs / 1000.0)));
}

void RateLimits::pruneLocked(qint64 now)
{
    const int perMinute = m_perMinute.load(std::memory_order_relaxed);
    const double ratePerMs = double(qMax(1, perMinute)) / kMinuteMs;
    for (auto it = m_buckets.begin(); it != m_buckets.end();) {
        const double refilled = it->tokens + double(now - it->at) * ratePerMs;
        if (refilled >= perMinute)
            it = m_buckets.erase(it);
        else
            ++it;
    }
}

qsizetype RateLimits::bucketCount() const
{
    std::lock_guard lock(m_mutex);
    return m_buckets.size();
}

std::optional<int> RateLimits::takeTarget(const QString &kind, const QString &target)
{
    const int perHour = m_perTarget.load(std::memory_order_relaxed);
    if (perHour <= 0 || target.isEmpty())
        return std::nullopt;
    const QString subject = Digest::tokenHash((kind + u':' + target.trimmed().toLower()).toUtf8());
    const qint64 now = m_clock.nowMs();
    std::optional<int> wait;
    m_db.write([&] {
        // One statement, so two instances counting the same address at once both count
        // (the SET expressions see the row as it was).
        Sql(m_db, u"INSERT INTO rate_limits (subject, window_start, count) VALUES (:s, :now, 1) "
                  u"ON CONFLICT (subject) DO UPDATE SET "
                  u"window_start = CASE WHEN rate_limits.window_start <= :ended THEN :now "
                  u"ELSE rate_limits.window_start END, "
                  u"count = CASE WHEN rate_limits.window_start <= :ended THEN 1 "
                  u"ELSE rate_limits.count + 1 END"_s)
            .bind(u":s"_s, subject)
            .bind(u":now"_s, now)
            .bind(u":ended"_s, now - kHourMs)
            .exec();
        Sql row(m_db, u"SELECT window_start, count FROM rate_limits WHERE subject = :s"_s);
        row.bind(u":s"_s, subject).exec();
        if (row.next() && row.value(u"count"_s).toInt() > perHour) {
            const qint64 started = row.value(u"window_start"_s).toLongLong();
            wait = int(qMax<qint64>(1, (started + kHourMs - now + 999) / 1000));
        }
    });
    return wait;
}

int RateLimits::purge()
{
    const qint64 now = m_clock.nowMs();
    {
        std::lock_guard lock(m_mutex);
        pruneLocked(now);
    }
    int removed = 0;
    m_db.write([&] {
        removed = Sql(m_db, u"DELETE FROM rate_limits WHERE window_start < :old"_s)
                      .bind(u":old"_s, now - kHourMs)
                      .exec()
                      .rowsAffected();
    });
    return removed;
}
