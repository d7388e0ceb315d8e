// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHostAddress>
#include <QList>
#include <QStringList>
#include <utility>

struct Request;

// The peers allowed to say who the client is: load balancers and reverse proxies.
class TrustedProxies
{
public:
    TrustedProxies() = default;
    // CIDR ranges or single addresses; entries that parse as neither are skipped (the
    // settings refuse them before this is built).
    explicit TrustedProxies(const QStringList &ranges);
    bool isEmpty() const { return m_ranges.isEmpty(); }
    bool contains(const QHostAddress &address) const;

private:
    QList<std::pair<QHostAddress, int>> m_ranges;
};

// One forwarding entry ("192.0.2.1", "192.0.2.1:80", "[2001:db8::1]:443", "2001:db8::1")
// as an address; IPv4-mapped IPv6 becomes IPv4. Null for "unknown", "_hidden" and junk.
QHostAddress parseForwardedAddress(QByteArrayView entry);
// An IPv4-mapped IPv6 address (::ffff:a.b.c.d) as plain IPv4; anything else unchanged.
QHostAddress unmapped(const QHostAddress &address);

// The address the request came from. `request.ip` (the TCP peer) unless that peer is a
// trusted proxy: then the forwarding chain (X-Forwarded-For, or RFC 7239 Forwarded
// `for=` when there is no X-Forwarded-For) is walked from the right, past trusted
// proxies, to the first untrusted address. A malformed or unknown entry ends the walk
// at the last trusted hop: nothing a client writes further left is believed.
QString clientAddress(const Request &request, const TrustedProxies &proxies);
