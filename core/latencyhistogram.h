// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <array>
#include <atomic>

// A Prometheus histogram of durations with fixed buckets from 0.5 ms to 5 s. observe()
// is a few relaxed atomic adds and no lock, so it can sit on every request and every
// SQL statement; a scrape reads the buckets once and renders them cumulatively, so +Inf
// always equals _count even while observations arrive.
class LatencyHistogram
{
public:
    static constexpr std::array<qint64, 13> kBoundsNs = {
        500'000,     1'000'000,   2'500'000,   5'000'000,    10'000'000,   25'000'000,  50'000'000,
        100'000'000, 250'000'000, 500'000'000, 1000'000'000, 2500'000'000, 5000'000'000};

    void observe(qint64 nanos)
    {
        if (nanos < 0)
            nanos = 0;
        std::size_t i = 0;
        while (i < kBoundsNs.size() && nanos > kBoundsNs[i])
            ++i;
        m_buckets[i].fetch_add(1, std::memory_order_relaxed);
        m_sumNs.fetch_add(quint64(nanos), std::memory_order_relaxed);
    }
    quint64 count() const;
    // Appends NAME_bucket{LABELS,le="…"}, NAME_sum{LABELS} and NAME_count{LABELS};
    // `labels` is `a="x",b="y"` (already escaped) or empty.
    void render(QByteArray &out, const QByteArray &name, const QByteArray &labels) const;

private:
    std::array<std::atomic<quint64>, kBoundsNs.size() + 1> m_buckets{}; // last: over 5 s
    std::atomic<quint64> m_sumNs{0};
};
