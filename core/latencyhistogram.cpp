// SPDX-License-Identifier: GPL-3.0-or-later
#include "latencyhistogram.h"

namespace {

// Fixed notation, trailing zeros dropped: "0.0005", "2.5", "0.000093158" (no exponents).
QByteArray seconds(qint64 nanos)
{
    QByteArray text = QByteArray::number(double(nanos) / 1e9, 'f', 9);
    while (text.endsWith('0'))
        text.chop(1);
    if (text.endsWith('.'))
        text.chop(1);
    return text;
}

QByteArray withLabels(const QByteArray &labels, const QByteArray &more)
{
    if (labels.isEmpty())
        return '{' + more + '}';
    return more.isEmpty() ? '{' + labels + '}' : '{' + labels + ',' + more + '}';
}

} // namespace

quint64 LatencyHistogram::count() const
{
    quint64 total = 0;
    for (const auto &bucket : m_buckets)
        total += bucket.load(std::memory_order_relaxed);
    return total;
}

void LatencyHistogram::render(QByteArray &out, const QByteArray &name,
                              const QByteArray &labels) const
{
    quint64 cumulative = 0;
    for (std::size_t i = 0; i < m_buckets.size(); ++i) {
        cumulative += m_buckets[i].load(std::memory_order_relaxed);
        const QByteArray le = i < kBoundsNs.size() ? seconds(kBoundsNs[i]) : QByteArray("+Inf");
        out += name + "_bucket" + withLabels(labels, "le=\"" + le + '"') + ' ' +
               QByteArray::number(cumulative) + '\n';
    }
    const QByteArray tail = labels.isEmpty() ? QByteArray() : '{' + labels + '}';
    out += name + "_sum" + tail + ' ' + seconds(qint64(m_sumNs.load(std::memory_order_relaxed))) +
           '\n';
    out += name + "_count" + tail + ' ' + QByteArray::number(cumulative) + '\n';
}
