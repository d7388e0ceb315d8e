// SPDX-License-Identifier: GPL-3.0-or-later
// HTTPS on the listener itself (tls_certificate, tls_key): requests and keep-alive over
// TLS, Secure cookies, a readable 400 for plain HTTP on the HTTPS port, a deadline for
// silent handshakes, and a clear refusal to start for every bad certificate or key.
#include "config/tlsidentity.h"
#include "httpclient.h"
#include "httpserver.h"
#include "services.h"
#include "testcertificates.h"
#include "testserver.h"

#include <QSslSocket>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

using TestCertificates::Key;

class TstTls : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void servesOverTls_data();
    void servesOverTls();
    void cookiesAreSecure();
    void plainHttpGetsReadable400();
    void silentHandshakeTimesOut();
    void handshakesCountTowardsTheCap();
    void badPairsRefuseToStart_data();
    void badPairsRefuseToStart();
    void halfConfiguredIsASettingsError();

private:
    QTemporaryDir m_dir;
};

void TstTls::initTestCase()
{
    QVERIFY(QSslSocket::supportsSsl());
    const QString d = m_dir.path();
    QVERIFY(TestCertificates::make(d, u"ec"_s, Key::Ec));
    QVERIFY(TestCertificates::make(d, u"rsa"_s, Key::Rsa));
    QVERIFY(TestCertificates::make(d, u"other"_s, Key::Ec));
    QVERIFY(TestCertificates::make(d, u"locked"_s, Key::RsaWithPassphrase));
}

void TstTls::servesOverTls_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("EC P-256") << u"ec"_s;
    QTest::newRow("RSA 2048") << u"rsa"_s;
}

void TstTls::servesOverTls()
{
    QFETCH(QString, kind);
    const QString cert = m_dir.filePath(kind + u"-cert.pem"_s);
    TestServer server([&](Settings &s) {
        s.tlsCertificateFile = cert;
        s.tlsKeyFile = m_dir.filePath(kind + u"-key.pem"_s);
    });
    HttpClient https(server.port(), TestCertificates::read(cert));
    const HttpReply health = https.get("/healthz");
    QCOMPARE(health.status, 200);
    QCOMPARE(health.json().value(u"status").toString(), u"ok"_s);

    // Two pipelined requests on one TLS connection, answered in order.
    const QByteArray both = https.raw("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                                      "GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                                      5000, true);
    const qsizetype second = both.indexOf("HTTP/1.1 404");
    QVERIFY2(both.startsWith("HTTP/1.1 200") && second > 0, both.constData());

    // A login over HTTPS works as over HTTP.
    const HttpReply login =
        https.postJson("/api/auth/login", {{u"email"_s, u"admin"_s}, {u"password"_s, u"admin"_s}});
    QCOMPARE(login.status, 200);

    // The certificate must match the name: a client expecting another host refuses.
    HttpClient wrongName(server.port(), TestCertificates::read(cert), u"gatehouse.example"_s);
    QCOMPARE(wrongName.get("/healthz").status, 0);
}

void TstTls::cookiesAreSecure()
{
    const QString cert = m_dir.filePath(u"ec-cert.pem"_s);
    TestServer server([&](Settings &s) {
        s.tlsCertificateFile = cert;
        s.tlsKeyFile = m_dir.filePath(u"ec-key.pem"_s);
    });
    QVERIFY(server.services().pinAuth.setPin(u"cashier1"_s, u"4821"_s, true, u"test"_s));
    HttpClient https(server.port(), TestCertificates::read(cert));
    const HttpReply reply =
        https.postJson("/auth/login", {{u"name"_s, u"cashier1"_s}, {u"pin"_s, u"4821"_s}});
    QCOMPARE(reply.status, 200);
    const QList<QByteArray> cookies = reply.headerValues("set-cookie");
    QVERIFY(!cookies.isEmpty());
    for (const QByteArray &cookie : cookies)
        QVERIFY2(cookie.contains("; Secure"), cookie.constData());
}

void TstTls::plainHttpGetsReadable400()
{
    TestServer server([&](Settings &s) {
        s.tlsCertificateFile = m_dir.filePath(u"ec-cert.pem"_s);
        s.tlsKeyFile = m_dir.filePath(u"ec-key.pem"_s);
    });
    const HttpReply reply = server.client().get("/healthz");
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.json().value(u"error").toString(), u"This port speaks HTTPS: use https://"_s);
    QCOMPARE(reply.header("connection"), QByteArray("close"));
}

void TstTls::silentHandshakeTimesOut()
{
    TestServer server([&](Settings &s) {
        s.tlsCertificateFile = m_dir.filePath(u"ec-cert.pem"_s);
        s.tlsKeyFile = m_dir.filePath(u"ec-key.pem"_s);
        s.requestTimeoutSecs = 1;
    });
    QTcpSocket socket;
    socket.connectToHost(u"127.0.0.1"_s, server.port());
    QVERIFY(socket.waitForConnected(3000));
    QElapsedTimer timer;
    timer.start();
    QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::UnconnectedState, 5000);
    QVERIFY(timer.elapsed() >= 900);
}

void TstTls::handshakesCountTowardsTheCap()
{
    const QString cert = m_dir.filePath(u"ec-cert.pem"_s);
    TestServer server([&](Settings &s) {
        s.tlsCertificateFile = cert;
        s.tlsKeyFile = m_dir.filePath(u"ec-key.pem"_s);
        s.listenerThreads = 1; // one thread: one cap to fill
        s.maxConnections = 2;
    });
    std::vector<std::unique_ptr<QTcpSocket>> silent;
    for (int i = 0; i < 2; ++i) {
        silent.push_back(std::make_unique<QTcpSocket>());
        silent.back()->connectToHost(u"127.0.0.1"_s, server.port());
        QVERIFY(silent.back()->waitForConnected(3000));
    }
    QTest::qWait(200); // both accepted and waiting for their ClientHello
    HttpClient https(server.port(), TestCertificates::read(cert));
    QCOMPARE(https.get("/healthz").status, 0); // closed at once: two handshakes pending
    for (auto &socket : silent)
        socket->abort();
    QTRY_COMPARE_WITH_TIMEOUT(https.get("/healthz").status, 200, 5000);
}

void TstTls::badPairsRefuseToStart_data()
{
    QTest::addColumn<QString>("cert");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("error");
    QTest::newRow("missing certificate")
        << u"absent-cert.pem"_s << u"ec-key.pem"_s << u"cannot read the TLS certificate file"_s;
    QTest::newRow("missing key") << u"ec-cert.pem"_s << u"absent-key.pem"_s
                                 << u"cannot read the TLS key file"_s;
    QTest::newRow("key in the certificate's place")
        << u"ec-key.pem"_s << u"ec-key.pem"_s << u"no PEM certificate in"_s;
    QTest::newRow("certificate in the key's place")
        << u"ec-cert.pem"_s << u"ec-cert.pem"_s << u"no usable private key in"_s;
    QTest::newRow("key of another certificate")
        << u"ec-cert.pem"_s << u"other-key.pem"_s << u"does not belong to the certificate"_s;
    QTest::newRow("passphrase-protected key")
        << u"locked-cert.pem"_s << u"locked-key.pem"_s << u"no usable private key in"_s;
}

void TstTls::badPairsRefuseToStart()
{
    QFETCH(QString, cert);
    QFETCH(QString, key);
    QFETCH(QString, error);
    const auto loaded = loadTlsIdentity(m_dir.filePath(cert), m_dir.filePath(key));
    QVERIFY(!loaded);
    QVERIFY2(loaded.error().contains(error), qPrintable(loaded.error()));

    // The server says the same and does not listen.
    TestServer server;
    Services &s = server.services();
    s.settings.tlsCertificateFile = m_dir.filePath(cert);
    s.settings.tlsKeyFile = m_dir.filePath(key);
    s.settings.listenPort = 0;
    HttpServer https(s);
    const auto started = https.start();
    QVERIFY(!started);
    QCOMPARE(started.error(), loaded.error());
    QVERIFY(!https.isRunning());
}

void TstTls::halfConfiguredIsASettingsError()
{
    QProcessEnvironment env;
    env.insert(u"GATEHOUSE_SECRET_STORE"_s, u"file"_s);
    env.insert(u"GATEHOUSE_TLS_CERTIFICATE"_s, m_dir.filePath(u"ec-cert.pem"_s));
    const auto half = loadSettings({m_dir.path(), std::nullopt, std::nullopt, std::nullopt}, env);
    QVERIFY(!half);
    QVERIFY2(half.error().contains(u"both a certificate file and a key file"_s),
             qPrintable(half.error()));

    // Relative names are in the data folder; the public URL becomes https://.
    env.insert(u"GATEHOUSE_TLS_CERTIFICATE"_s, u"ec-cert.pem"_s);
    env.insert(u"GATEHOUSE_TLS_KEY"_s, u"ec-key.pem"_s);
    const auto full =
        loadSettings({m_dir.path(), u"127.0.0.1:3443"_s, std::nullopt, std::nullopt}, env);
    QVERIFY2(full, qPrintable(full.error()));
    QCOMPARE(full->tlsCertificateFile, m_dir.filePath(u"ec-cert.pem"_s));
    QCOMPARE(full->publicUrl, u"https://127.0.0.1:3443"_s);
    QCOMPARE(full->listenUrl(3443), u"https://127.0.0.1:3443"_s);
}

QTEST_GUILESS_MAIN(TstTls)
#include "tst_tls.moc"
