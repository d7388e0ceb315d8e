// SPDX-License-Identifier: GPL-3.0-or-later
#include "http/clientaddress.h"

#include "http/request.h"

QHostAddress unmapped(const QHostAddress &address)
{
    if (address.protocol() != QAbstractSocket::IPv6Protocol)
        return address;
    bool mapped = false;
    const quint32 v4 = address.toIPv4Address(&mapped);
    return mapped ? QHostAddress(v4) : address;
}

namespace {

// The hops a trusted proxy reports, client first (left) to nearest proxy (right).
QList<QByteArray> forwardingChain(const Request &request)
{
    QList<QByteArray> chain;
    // Several X-Forwarded-For lines are one list, in order (RFC 9110 field lines).
    const QList<QByteArray> xff = request.headerValues("x-forwarded-for");
    for (const QByteArray &line : xff)
        for (const QByteArray &entry : line.split(','))
            chain << entry.trimmed();
    if (!xff.isEmpty())
        return chain;
    // RFC 7239: Forwarded: for=192.0.2.60;proto=http, for="[2001:db8::17]:4711"
    for (const QByteArray &line : request.headerValues("forwarded")) {
        for (const QByteArray &element : line.split(',')) {
            QByteArray value; // an element without for= is a hop we cannot name
            for (const QByteArray &pair : element.split(';')) {
                const QByteArray trimmed = pair.trimmed();
                if (trimmed.size() > 4 && trimmed.left(4).compare("for=", Qt::CaseInsensitive) == 0)
                    value = trimmed.mid(4);
            }
            if (value.size() >= 2 && value.startsWith('"') && value.endsWith('"'))
                value = value.mid(1, value.size() - 2);
            chain << value;
        }
    }
    return chain;
}

} // namespace

TrustedProxies::TrustedProxies(const QStringList &ranges)
{
    for (const QString &range : ranges) {
        const QString text = range.trimmed();
        if (text.contains(u'/')) {
            const auto subnet = QHostAddress::parseSubnet(text);
            if (!subnet.first.isNull())
                m_ranges.append({unmapped(subnet.first), subnet.second});
            continue;
        }
        const QHostAddress single = unmapped(QHostAddress(text));
        if (!single.isNull())
            m_ranges.append(
                {single, single.protocol() == QAbstractSocket::IPv6Protocol ? 128 : 32});
    }
}

bool TrustedProxies::contains(const QHostAddress &address) const
{
    const QHostAddress a = unmapped(address);
    for (const auto &[network, prefix] : m_ranges)
        if (a.isInSubnet(network, prefix))
            return true;
    return false;
}

QHostAddress parseForwardedAddress(QByteArrayView entry)
{
    QByteArray text = entry.trimmed().toByteArray();
    if (text.startsWith('[')) { // [v6] or [v6]:port
        const qsizetype close = text.indexOf(']');
        if (close < 0)
            return {};
        const QByteArray rest = text.mid(close + 1);
        if (!rest.isEmpty() && !rest.startsWith(':'))
            return {};
        text = text.mid(1, close - 1);
    } else if (text.count(':') == 1) { // v4:port
        text = text.left(text.indexOf(':'));
    }
    if (text.isEmpty() || text.contains('%')) // no zone ids from the outside
        return {};
    QHostAddress address;
    if (!address.setAddress(QString::fromLatin1(text)))
        return {};
    return unmapped(address);
}

QString clientAddress(const Request &request, const TrustedProxies &proxies)
{
    QHostAddress current(request.ip);
    if (proxies.isEmpty() || current.isNull() || !proxies.contains(current))
        return request.ip;
    const QList<QByteArray> chain = forwardingChain(request);
    for (qsizetype i = chain.size() - 1; i >= 0; --i) {
        const QHostAddress hop = parseForwardedAddress(chain[i]);
        if (hop.isNull())
            break; // the trusted hop on our right could not name its client
        current = hop;
        if (!proxies.contains(hop))
            break;
    }
    return current.toString();
}
