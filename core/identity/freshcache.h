// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "clock.h"

#include <QHash>
#include <QMutex>
#include <QString>
#include <optional>

// Rows a token check reads on every request (a user, a session), kept in this process
// for at most `maxAgeMs` so a check costs a hash lookup instead of a SQL round trip.
// Exactness comes from two rules: the writers in this process forget a row once their
// change is committed (Users, TokenStore), and a row changed by another process — an
// instance on the same PostgreSQL, the CLI — is read again within `maxAgeMs`. Misses
// are never cached. `capacity` bounds memory: when full, expired rows go, and when
// that frees less than half, everything goes (a burst of distinct users cannot grow
// the process; the cost is one SQL read per row afterwards).
template <typename V> class FreshCache
{
public:
    struct Options
    {
        qint64 maxAgeMs = 500;
        qsizetype capacity = 10'000;
    };

    FreshCache(const Clock &clock, Options options) : m_clock(clock), m_options(options) {}

    // The cached row, or `load()`'s (stored unless a forget() ran meanwhile: a load that
    // raced a write may have read the row as it was before).
    template <typename Load> std::optional<V> get(const QString &key, Load load)
    {
        quint64 generation = 0;
        {
            QMutexLocker lock(&m_mutex);
            const auto it = m_rows.constFind(key);
            if (it != m_rows.cend() && fresh(it->loadedAt))
                return it->value;
            generation = m_generation;
        }
        std::optional<V> value = load();
        if (value)
            store(key, *value, generation);
        return value;
    }

    void forget(const QString &key)
    {
        QMutexLocker lock(&m_mutex);
        ++m_generation;
        m_rows.remove(key);
    }

    template <typename Predicate> void forgetIf(Predicate matches)
    {
        QMutexLocker lock(&m_mutex);
        ++m_generation;
        m_rows.removeIf([&](const auto &it) { return matches(it.value().value); });
    }

    void clear()
    {
        QMutexLocker lock(&m_mutex);
        ++m_generation;
        m_rows.clear();
    }

    qsizetype size() const
    {
        QMutexLocker lock(&m_mutex);
        return m_rows.size();
    }

private:
    struct Row
    {
        V value;
        qint64 loadedAt = 0;
    };

    bool fresh(qint64 loadedAt) const
    {
        const qint64 age = m_clock.nowMs() - loadedAt;
        return age >= 0 && age < m_options.maxAgeMs; // a clock set back: read again
    }

    void store(const QString &key, const V &value, quint64 generation)
    {
        QMutexLocker lock(&m_mutex);
        if (generation != m_generation || m_options.capacity <= 0)
            return;
        if (m_rows.size() >= m_options.capacity && !m_rows.contains(key)) {
            m_rows.removeIf([&](const auto &it) { return !fresh(it.value().loadedAt); });
            if (m_rows.size() > m_options.capacity / 2)
                m_rows.clear();
        }
        m_rows.insert(key, Row{value, m_clock.nowMs()});
    }

    const Clock &m_clock;
    const Options m_options;
    mutable QMutex m_mutex;
    QHash<QString, Row> m_rows;
    quint64 m_generation = 0;
};
