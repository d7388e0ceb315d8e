// SPDX-License-Identifier: GPL-3.0-or-later
#include "providers/remotejsoncache.h"

#include "clock.h"
#include "providers/outboundhttp.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

RemoteJsonCache::Fetched
RemoteJsonCache::get(const QString &url, const std::function<bool(const QJsonObject &)> &wanted)
{
    const qint64 now = m_clock.nowMs();
    std::optional<Entry> cached;
    {
        QMutexLocker lock(&m_mutex);
        if (const auto it = m_entries.constFind(url); it != m_entries.cend())
            cached = *it;
        if (cached) {
            const bool fresh = now - cached->fetchedAt < kMaxAgeMs;
            const bool will = !wanted || wanted(cached->document);
            const bool recentlyTried = now - cached->attemptedAt < kRefetchGapMs;
            if (cached->fetchedAt > 0 && ((fresh && will) || recentlyTried))
                return {cached->document, {}};
        }
        Entry &entry = m_entries[url];
        entry.attemptedAt = now;
    }
    const OutboundHttp::Reply reply = OutboundHttp::get(url);
    QString error;
    QJsonObject document;
    if (reply.transportFailed()) {
        error = reply.error;
    } else if (reply.status != 200) {
        error = u"HTTP %1"_s.arg(reply.status);
    } else {
        QJsonParseError parse;
        const QJsonDocument doc = QJsonDocument::fromJson(reply.body, &parse);
        if (parse.error != QJsonParseError::NoError || !doc.isObject())
            error = u"not a JSON object"_s;
        else
            document = doc.object();
    }
    QMutexLocker lock(&m_mutex);
    Entry &entry = m_entries[url];
    if (!error.isEmpty()) {
        if (cached && cached->fetchedAt > 0)
            return {cached->document, {}}; // keep serving the last good copy
        return {{}, u"cannot fetch %1: %2"_s.arg(url, error)};
    }
    entry.document = document;
    entry.fetchedAt = now;
    return {document, {}};
}

void RemoteJsonCache::clear()
{
    QMutexLocker lock(&m_mutex);
    m_entries.clear();
}
