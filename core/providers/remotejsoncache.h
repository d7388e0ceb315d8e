// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QJsonObject>
#include <QMutex>
#include <QString>
#include <functional>

class Clock;

// Provider documents fetched over HTTP and kept for an hour: JWKS key sets and OIDC
// discovery documents. A cached copy that lacks what the caller wants (a new `kid`
// after a key rotation) is fetched again, at most once per 30 s per URL, so a flood of
// tokens with made-up kids cannot turn into a flood of requests to the provider.
// Callable from any worker thread; fetches run without the lock held.
class RemoteJsonCache
{
public:
    static constexpr qint64 kMaxAgeMs = 60 * 60 * 1000;
    static constexpr qint64 kRefetchGapMs = 30 * 1000;

    explicit RemoteJsonCache(const Clock &clock) : m_clock(clock) {}

    struct Fetched
    {
        QJsonObject document;
        QString error; // empty on success: why the document could not be fetched
        bool ok() const { return error.isEmpty(); }
    };
    // `wanted` (optional) says whether a cached document will do.
    [[nodiscard]] Fetched get(const QString &url,
                              const std::function<bool(const QJsonObject &)> &wanted = {});
    void clear();

private:
    struct Entry
    {
        QJsonObject document;
        qint64 fetchedAt = 0;
        qint64 attemptedAt = 0;
    };
    const Clock &m_clock;
    QMutex m_mutex;
    QHash<QString, Entry> m_entries;
};
