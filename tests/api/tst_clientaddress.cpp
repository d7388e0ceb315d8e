// SPDX-License-Identifier: GPL-3.0-or-later
// Who the client is behind a proxy: X-Forwarded-For / Forwarded (RFC 7239) believed only
// from trusted peers, walked from the right past trusted hops.
#include "http/clientaddress.h"
#include "http/request.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {

Request from(const QString &peer, QList<std::pair<QByteArray, QByteArray>> headers)
{
    Request r;
    r.ip = peer;
    r.headers = std::move(headers);
    return r;
}

} // namespace

class TestClientAddress : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void derive_data();
    void derive();
    void forwardedEntries_data();
    void forwardedEntries();
    void ranges();
};

void TestClientAddress::derive_data()
{
    QTest::addColumn<QStringList>("trusted");
    QTest::addColumn<QString>("peer");
    QTest::addColumn<QByteArray>("xff");
    QTest::addColumn<QByteArray>("forwarded");
    QTest::addColumn<QString>("expected");

    const QStringList lb = {u"10.0.0.0/8"_s, u"fd00::/8"_s};
    QTest::newRow("no proxies: header ignored")
        << QStringList() << u"203.0.113.9"_s << QByteArray("1.2.3.4") << QByteArray()
        << u"203.0.113.9"_s;
    QTest::newRow("untrusted peer spoofing XFF")
        << lb << u"203.0.113.9"_s << QByteArray("10.1.1.1, 1.2.3.4") << QByteArray()
        << u"203.0.113.9"_s;
    QTest::newRow("untrusted peer spoofing Forwarded")
        << lb << u"203.0.113.9"_s << QByteArray() << QByteArray("for=1.2.3.4") << u"203.0.113.9"_s;
    QTest::newRow("trusted peer, one hop")
        << lb << u"10.0.0.5"_s << QByteArray("198.51.100.7") << QByteArray() << u"198.51.100.7"_s;
    QTest::newRow("client prepends a lie: right-most untrusted wins")
        << lb << u"10.0.0.5"_s << QByteArray("6.6.6.6, 198.51.100.7") << QByteArray()
        << u"198.51.100.7"_s;
    QTest::newRow("two trusted hops")
        << lb << u"10.0.0.5"_s << QByteArray("6.6.6.6, 198.51.100.7, 10.2.0.1") << QByteArray()
        << u"198.51.100.7"_s;
    QTest::newRow("every hop trusted: the left-most")
        << lb << u"10.0.0.5"_s << QByteArray("10.9.9.9, 10.2.0.1") << QByteArray() << u"10.9.9.9"_s;
    QTest::newRow("port on v4") << lb << u"10.0.0.5"_s << QByteArray("198.51.100.7:51000")
                                << QByteArray() << u"198.51.100.7"_s;
    QTest::newRow("IPv6 client, IPv6 proxy")
        << lb << u"fd00::1"_s << QByteArray("2001:db8::42") << QByteArray() << u"2001:db8::42"_s;
    QTest::newRow("bracketed IPv6 with port")
        << lb << u"10.0.0.5"_s << QByteArray("[2001:db8::42]:443") << QByteArray()
        << u"2001:db8::42"_s;
    QTest::newRow("IPv4-mapped becomes IPv4")
        << lb << u"10.0.0.5"_s << QByteArray("::ffff:198.51.100.7") << QByteArray()
        << u"198.51.100.7"_s;
    QTest::newRow("malformed right-most: the proxy itself")
        << lb << u"10.0.0.5"_s << QByteArray("198.51.100.7, not-an-ip") << QByteArray()
        << u"10.0.0.5"_s;
    QTest::newRow("malformed further left: stop at the last trusted hop")
        << lb << u"10.0.0.5"_s << QByteArray("junk, 10.3.3.3") << QByteArray() << u"10.3.3.3"_s;
    QTest::newRow("empty header: the proxy")
        << lb << u"10.0.0.5"_s << QByteArray("") << QByteArray() << u"10.0.0.5"_s;
    QTest::newRow("zone id refused")
        << lb << u"10.0.0.5"_s << QByteArray("fe80::1%eth0") << QByteArray() << u"10.0.0.5"_s;
    QTest::newRow("Forwarded, RFC 7239 example")
        << lb << u"10.0.0.5"_s << QByteArray()
        << QByteArray("for=192.0.2.43, for=\"[2001:db8:cafe::17]:4711\";proto=https")
        << u"2001:db8:cafe::17"_s;
    QTest::newRow("Forwarded, case and other pairs")
        << lb << u"10.0.0.5"_s << QByteArray()
        << QByteArray("proto=http;For=192.0.2.60;by=10.0.0.5") << u"192.0.2.60"_s;
    QTest::newRow("Forwarded unknown: the proxy")
        << lb << u"10.0.0.5"_s << QByteArray() << QByteArray("for=unknown") << u"10.0.0.5"_s;
    QTest::newRow("Forwarded obfuscated: the proxy")
        << lb << u"10.0.0.5"_s << QByteArray() << QByteArray("for=_hidden") << u"10.0.0.5"_s;
    QTest::newRow("XFF preferred over Forwarded")
        << lb << u"10.0.0.5"_s << QByteArray("198.51.100.7") << QByteArray("for=6.6.6.6")
        << u"198.51.100.7"_s;
}

void TestClientAddress::derive()
{
    QFETCH(QStringList, trusted);
    QFETCH(QString, peer);
    QFETCH(QByteArray, xff);
    QFETCH(QByteArray, forwarded);
    QFETCH(QString, expected);
    QList<std::pair<QByteArray, QByteArray>> headers;
    if (!xff.isNull())
        headers.append({"x-forwarded-for", xff});
    if (!forwarded.isNull())
        headers.append({"forwarded", forwarded});
    QCOMPARE(clientAddress(from(peer, headers), TrustedProxies(trusted)), expected);
}

void TestClientAddress::forwardedEntries_data()
{
    QTest::addColumn<QByteArray>("entry");
    QTest::addColumn<QString>("expected"); // empty: refused
    QTest::newRow("v4") << QByteArray(" 192.0.2.1 ") << u"192.0.2.1"_s;
    QTest::newRow("v6") << QByteArray("2001:db8::1") << u"2001:db8::1"_s;
    QTest::newRow("[v6]") << QByteArray("[2001:db8::1]") << u"2001:db8::1"_s;
    QTest::newRow("[v6]:port") << QByteArray("[::1]:80") << u"::1"_s;
    QTest::newRow("[v6]junk") << QByteArray("[::1]x") << QString();
    QTest::newRow("[v6 unclosed") << QByteArray("[::1") << QString();
    QTest::newRow("hostname") << QByteArray("example.org") << QString();
    QTest::newRow("v4 out of range") << QByteArray("300.1.1.1") << QString();
    QTest::newRow("empty") << QByteArray("") << QString();
}

void TestClientAddress::forwardedEntries()
{
    QFETCH(QByteArray, entry);
    QFETCH(QString, expected);
    const QHostAddress got = parseForwardedAddress(entry);
    QCOMPARE(got.isNull() ? QString() : got.toString(), expected);
}

void TestClientAddress::ranges()
{
    const TrustedProxies p({u"127.0.0.1"_s, u"192.168.0.0/16"_s, u"::1"_s, u"bogus"_s});
    QVERIFY(p.contains(QHostAddress(u"127.0.0.1"_s)));
    QVERIFY(!p.contains(QHostAddress(u"127.0.0.2"_s)));
    QVERIFY(p.contains(QHostAddress(u"192.168.200.1"_s)));
    QVERIFY(p.contains(QHostAddress(u"::ffff:192.168.1.1"_s)));
    QVERIFY(p.contains(QHostAddress(u"::1"_s)));
    QVERIFY(!p.contains(QHostAddress(u"2001:db8::1"_s)));
    QVERIFY(TrustedProxies().isEmpty());
}

QTEST_GUILESS_MAIN(TestClientAddress)
#include "tst_clientaddress.moc"
