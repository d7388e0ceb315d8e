// SPDX-License-Identifier: GPL-3.0-or-later
// The Outbox: held messages when no transport is configured, delivery failures
// retried with backoff until "failed", resend, and SMS held/queued like email.
#include "services.h"
#include "testserver.h"

#include <QTcpServer>
#include <QtTest>

using namespace Qt::StringLiterals;

class TstOutbox : public QObject
{
    Q_OBJECT

private:
    // An address where nothing listens: every SMTP attempt fails fast.
    static QString closedPortUrl(const QString &scheme)
    {
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        const quint16 port = probe.serverPort();
        probe.close();
        return u"%1://127.0.0.1:%2"_s.arg(scheme).arg(port);
    }

private Q_SLOTS:
    void heldWithoutTransport();
    void failuresBackOffThenFail();
    void resendQueuesAgain();
    void smsThroughTheWebhookSetting();
};

void TstOutbox::heldWithoutTransport()
{
    TestServer server;
    Outbox &outbox = server.services().outbox;
    const qint64 mail = outbox.enqueueEmail(u"ada@example.com"_s, u"Hi"_s, u"Hello"_s);
    const qint64 sms = outbox.enqueueSms(u"+15550100"_s, u"Code 123456"_s);
    QVERIFY(mail > 0 && sms > mail);
    QCOMPARE(outbox.byId(mail)->state, u"held"_s);
    QCOMPARE(outbox.byId(mail)->lastError, u"no SMTP server configured"_s);
    QCOMPARE(outbox.byId(sms)->state, u"held"_s);
    QCOMPARE(outbox.byId(sms)->channel, u"sms"_s);
    QCOMPARE(outbox.deliverDue(), 0);
    QVERIFY(!outbox.resend(mail)); // still nowhere to send it
    QCOMPARE(outbox.list(10, u"held"_s).size(), 2);
    QCOMPARE(outbox.list(1).first().id, sms); // newest first
}

void TstOutbox::failuresBackOffThenFail()
{
    const QString url = closedPortUrl(u"smtp"_s);
    TestServer server([&](Settings &s) { s.smtpUrl = url; });
    Outbox &outbox = server.services().outbox;
    outbox.stop(); // this test delivers by hand
    const qint64 id = outbox.enqueueEmail(u"ada@example.com"_s, u"Hi"_s, u"Hello"_s);
    QCOMPARE(outbox.byId(id)->state, u"queued"_s);
    for (int attempt = 1; attempt <= Outbox::kMaxAttempts; ++attempt) {
        const qint64 now = server.clock().nowMs();
        QCOMPARE(outbox.deliverDue(), 1);
        const OutboxMessage m = *outbox.byId(id);
        QCOMPARE(m.attempts, attempt);
        QVERIFY2(m.lastError.startsWith(u"SMTP: "), qPrintable(m.lastError));
        if (attempt < Outbox::kMaxAttempts) {
            QCOMPARE(m.state, u"queued"_s);
            QCOMPARE(m.nextAttemptAt, now + Outbox::backoffMs(attempt));
            QCOMPARE(outbox.deliverDue(), 0); // not due yet
            server.clock().advanceMs(Outbox::backoffMs(attempt));
        } else {
            QCOMPARE(m.state, u"failed"_s);
        }
    }
    QCOMPARE(Outbox::backoffMs(1), 30'000);
    QCOMPARE(Outbox::backoffMs(2), 120'000);
    QCOMPARE(Outbox::backoffMs(99), 7'200'000);
}

void TstOutbox::resendQueuesAgain()
{
    const QString url = closedPortUrl(u"smtp"_s);
    TestServer server([&](Settings &s) { s.smtpUrl = url; });
    Outbox &outbox = server.services().outbox;
    outbox.stop();
    const qint64 id = outbox.enqueueEmail(u"ada@example.com"_s, u"Hi"_s, u"Hello"_s);
    QCOMPARE(outbox.deliverDue(), 1);
    QVERIFY(outbox.resend(id));
    const OutboxMessage m = *outbox.byId(id);
    QCOMPARE(m.state, u"queued"_s);
    QCOMPARE(m.attempts, 0);
    QVERIFY(m.lastError.isEmpty());
    QCOMPARE(outbox.deliverDue(), 1); // due at once
    QVERIFY(!outbox.resend(12345));
}

void TstOutbox::smsThroughTheWebhookSetting()
{
    const QString url = closedPortUrl(u"http"_s) + u"/sms"_s;
    TestServer server([&](Settings &s) { s.smsWebhookUrl = url; });
    Outbox &outbox = server.services().outbox;
    outbox.stop();
    const qint64 id = outbox.enqueueSms(u"+15550100"_s, u"Code 123456"_s);
    QCOMPARE(outbox.byId(id)->state, u"queued"_s);
    QCOMPARE(outbox.deliverDue(), 1);
    QVERIFY2(outbox.byId(id)->lastError.startsWith(u"SMS gateway: "),
             qPrintable(outbox.byId(id)->lastError));
    // Email is not configured here: held.
    QCOMPARE(outbox.byId(outbox.enqueueEmail(u"a@b.co"_s, u"s"_s, u"b"_s))->state, u"held"_s);
}

QTEST_GUILESS_MAIN(TstOutbox)
#include "tst_outbox.moc"
