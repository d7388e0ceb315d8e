// SPDX-License-Identifier: GPL-3.0-or-later
#include "peercounter.h"

QByteArray PeerCounter::keyOf(const QHostAddress &peer)
{
    // An IPv4 address comes back IPv4-mapped (::ffff:a.b.c.d), whole.
    const Q_IPV6ADDR raw = peer.toIPv6Address();
    QByteArray key(reinterpret_cast<const char *>(raw.c), 16);
    bool v4 = peer.protocol() == QAbstractSocket::IPv4Protocol;
    if (!v4)
        peer.toIPv4Address(&v4); // an IPv4-mapped IPv6 address
    if (!v4)
        key.replace(8, 8, QByteArray(8, '\0')); // the /64
    return key;
}

bool PeerCounter::acquire(const QByteArray &key)
{
    QMutexLocker lock(&m_mutex);
    int &open = m_open[key];
    if (m_max > 0 && open >= m_max) {
        if (open == 0)
            m_open.remove(key);
        return false;
    }
    ++open;
    return true;
}

void PeerCounter::release(const QByteArray &key)
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_open.find(key);
    if (it == m_open.end())
        return;
    if (--*it <= 0)
        m_open.erase(it);
}

int PeerCounter::openFrom(const QByteArray &key) const
{
    QMutexLocker lock(&m_mutex);
    return m_open.value(key);
}
