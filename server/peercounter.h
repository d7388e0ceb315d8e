// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QMutex>

// Open connections per client address, shared by every listener thread, so one client
// cannot take every connection slot. An IPv6 client is counted by its /64: that is what
// one host usually gets, and it could otherwise open each connection from a new address.
class PeerCounter
{
public:
    explicit PeerCounter(int maxPerPeer) : m_max(maxPerPeer) {}

    static QByteArray keyOf(const QHostAddress &peer);
    // Counts one more connection from `key`; false, and nothing counted, past the cap.
    bool acquire(const QByteArray &key);
    void release(const QByteArray &key);
    int openFrom(const QByteArray &key) const;

private:
    mutable QMutex m_mutex;
    QHash<QByteArray, int> m_open;
    int m_max; // 0: no cap
};
