// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 12, rows 6 and 7: every anonymous write is limited per client address and per
// target address (429 in the surface's error shape, with Retry-After); expired rows are
// purged; the outbox keeps a message's secret parts only until it is sent or fails.
#include "services.h"
#include "storage/database.h"
#include "testserver.h"

#include <QRegularExpression>
#include <QTcpServer>
#include <QtTest>

namespace {

using Headers = QList<std::pair<QByteArray, QByteArray>>;

qint64 rows(TestServer &server, const QString &table)
{
    Sql q(*server.services().db, u"SELECT COUNT(*) FROM "_qs + table);
    q.exec().next();
    return q.value(0).toLongLong();
}

// The text as stored in the database, not as the Outbox hands it out.
QString storedBody(TestServer &server, qint64 id)
{
    Sql q(*server.services().db, u"SELECT body FROM outbox WHERE id = :id"_qs);
    q.bind(u":id"_qs, id).exec();
    return q.next() ? q.value(0).toString() : QString();
}

HttpReply sendCode(TestServer &server, const QString &email)
{
    return server.client().postJson("/send_verification", {{u"email"_qs, email}});
}

void checkRefusal(const HttpReply &reply, const QStringList &keys)
{
    QCOMPARE(reply.status, 429);
    QVERIFY(reply.header("retry-after").toInt() >= 1);
    QCOMPARE(reply.json().keys(), keys);
}

} // namespace

class TstAnonymousLimits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void perAddressBudgetAcrossSurfaces()
    {
        TestServer server([](Settings &s) { s.anonymousWritesPerMinute = 5; });
        for (int i = 0; i < 5; ++i)
            QCOMPARE(sendCode(server, QStringLiteral("u%1@example.com").arg(i)).status, 200);
        // One budget for every anonymous write of this address, each in its shape.
        checkRefusal(sendCode(server, u"late@example.com"_qs), {u"error"_qs});
        checkRefusal(server.client().get("/challenge?method=phantom&id=0x5aaeb6053f3e94c9b9a09f3"
                                         "3669435e7ef1beaed"),
                     {u"error"_qs});
        checkRefusal(
            server.client().postJson("/auth/registration", {{u"username"_qs, u"carol"_qs},
                                                            {u"session_platform"_qs, u"x"_qs}}),
            {u"error"_qs});
        checkRefusal(server.client().postJson("/auth/login", {{u"username"_qs, u"carol"_qs},
                                                              {u"email"_qs, u"c@example.com"_qs},
                                                              {u"session_platform"_qs, u"x"_qs}}),
                     {u"error"_qs});
        const HttpReply reset = server.client().postJson("/api/auth/send-password-reset-link",
                                                         {{u"email"_qs, u"a@example.com"_qs}});
        checkRefusal(reset, {u"detail"_qs, u"error"_qs});
        // Reads are not writes.
        QCOMPARE(server.client().get("/healthz").status, 200);
        // The bucket refills over a minute.
        server.clock().advanceSecs(60);
        QCOMPARE(sendCode(server, u"later@example.com"_qs).status, 200);
    }

    // The attack of issue 12 row 6: one client, random addresses, as fast as it can.
    void floodLeavesBoundedRows()
    {
        TestServer server; // default limits
        int refused = 0;
        for (int i = 0; i < 400; ++i) {
            const int status = sendCode(server, QStringLiteral("r%1@example.com").arg(i)).status;
            QVERIFY(status == 200 || status == 429);
            refused += status == 429;
        }
        const int allowed = server.services().settings.anonymousWritesPerMinute;
        QCOMPARE(400 - refused, allowed);
        QCOMPARE(rows(server, u"outbox"_qs), qint64(allowed));
        QCOMPARE(rows(server, u"wallet_codes"_qs), qint64(allowed));
    }

    void perTargetLimitHoldsWhoeverAsks()
    {
        TestServer server([](Settings &s) {
            s.anonymousWritesPerMinute = 0; // off: only the per-address limit here
            s.messagesPerTargetPerHour = 3;
            s.codeResendSecs = 0;
        });
        for (int i = 0; i < 3; ++i)
            QCOMPARE(sendCode(server, u"Ada@Example.com"_qs).status, 200);
        checkRefusal(sendCode(server, u"ada@example.com"_qs), {u"error"_qs});
        QCOMPARE(sendCode(server, u"bob@example.com"_qs).status, 200);
        // Phone numbers count by their digits, however they are written.
        for (int i = 0; i < 3; ++i)
            server.client().postJson("/send_verification", {{u"phone"_qs, u"+15550100000"_qs}});
        checkRefusal(
            server.client().postJson("/send_verification", {{u"phone"_qs, u"+1 555 010 0000"_qs}}),
            {u"error"_qs});
        // Reset links: an address with no account is counted the same, so the limit
        // does not tell which addresses have one.
        for (const QString &to : {u"admin@example.com"_qs, u"nobody@example.com"_qs}) {
            for (int i = 0; i < 3; ++i)
                QCOMPARE(server.client()
                             .postJson("/api/auth/send-password-reset-link", {{u"email"_qs, to}})
                             .status,
                         200);
            checkRefusal(
                server.client().postJson("/api/auth/send-password-reset-link", {{u"email"_qs, to}}),
                {u"detail"_qs, u"error"_qs});
        }
        server.clock().advanceSecs(3600);
        QCOMPARE(sendCode(server, u"ada@example.com"_qs).status, 200);
    }

    void purgeRemovesExpiredRows()
    {
        TestServer server;
        HttpClient c = server.client();
        QCOMPARE(sendCode(server, u"p@example.com"_qs).status, 200);
        QCOMPARE(c.get("/challenge?method=metamask&id=0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")
                     .status,
                 200);
        QCOMPARE(c.postJson("/auth/login", {{u"username"_qs, u"ghost"_qs},
                                            {u"email"_qs, u"g@example.com"_qs},
                                            {u"session_platform"_qs, u"x"_qs}})
                     .status,
                 200);
        QCOMPARE(c.postJson("/auth/registration", {{u"username"_qs, u"dora"_qs},
                                                   {u"email"_qs, u"dora@example.com"_qs},
                                                   {u"session_platform"_qs, u"x"_qs}})
                     .status,
                 200);
        const QStringList tables = {
            u"outbox"_qs,        u"wallet_codes"_qs,        u"wallet_challenges"_qs,
            u"device_logins"_qs, u"email_verifications"_qs, u"rate_limits"_qs};
        for (const QString &table : tables)
            QVERIFY2(rows(server, table) > 0, qPrintable(table));
        // Nothing is due yet.
        QCOMPARE(server.services().housekeeping.purge().rows, 0);
        server.clock().advanceSecs(8 * 24 * 3600); // past the 7-day retention
        const Housekeeping::Report report = server.services().housekeeping.purge();
        QVERIFY2(report.rows > 0, qPrintable(report.details.join(u", ")));
        for (const QString &table : tables)
            QVERIFY2(rows(server, table) == 0, qPrintable(table));
        // Dora's session is live for a year: her account stays.
        QVERIFY(server.services().users.byUsername(u"dora"_qs));
    }

    void heldMessagesKeepTheirCodeForTheConsole()
    {
        TestServer server; // no SMTP server: held
        QCOMPARE(sendCode(server, u"held@example.com"_qs).status, 200);
        const OutboxMessage m = server.services().outbox.list(1).first();
        QCOMPARE(m.state, u"held"_qs);
        QVERIFY(QRegularExpression(u"code is [0-9]{6}\\."_qs).match(m.body).hasMatch());
        QVERIFY(!m.body.contains(QChar(0xE000)));
    }

    void finishedMessagesLoseTheirSecrets()
    {
        QTcpServer probe; // an address where nothing listens: every attempt fails
        probe.listen(QHostAddress::LocalHost, 0);
        const QString url = QStringLiteral("smtp://127.0.0.1:%1").arg(probe.serverPort());
        probe.close();
        TestServer server([&](Settings &s) { s.smtpUrl = url; });
        Outbox &outbox = server.services().outbox;
        outbox.stop(); // delivered by hand below
        QCOMPARE(sendCode(server, u"ada@example.com"_qs).status, 200);
        const OutboxMessage queued = outbox.list(1).first();
        const QString code =
            QRegularExpression(u"code is ([0-9]{6})"_qs).match(queued.body).captured(1);
        QCOMPARE(code.size(), 6);
        QVERIFY(storedBody(server, queued.id).contains(code)); // needed until it is sent
        for (int attempt = 0; attempt < Outbox::kMaxAttempts; ++attempt) {
            server.clock().advanceSecs(3 * 3600);
            QCOMPARE(outbox.deliverDue(), 1);
        }
        const OutboxMessage failed = *outbox.byId(queued.id);
        QCOMPARE(failed.state, u"failed"_qs);
        QVERIFY(!storedBody(server, queued.id).contains(code));
        QVERIFY(storedBody(server, queued.id).contains(u"code is [redacted]."_qs));
        QVERIFY(failed.body.contains(u"Your sign-in code is [redacted]."_qs));
        QVERIFY(!outbox.resend(queued.id)); // nothing worth sending is left
    }

    void redactionMarksOnlyTheSecret()
    {
        const QString stored = u"Open "_qs + Outbox::secret(u"https://x/r?token=abc"_qs) +
                               u" or type "_qs + Outbox::secret(u"123456"_qs) + u"."_qs;
        QCOMPARE(Outbox::plainText(stored), u"Open https://x/r?token=abc or type 123456."_qs);
        QCOMPARE(Outbox::redactedText(stored), u"Open [redacted] or type [redacted]."_qs);
        QCOMPARE(Outbox::redactedText(u"a "_qs + QChar(0xE000) + u"open-ended"_qs),
                 u"a [redacted]"_qs);
        QCOMPARE(Outbox::redactedText(u"nothing secret"_qs), u"nothing secret"_qs);
    }

    void ipv6CountsPerBlock()
    {
        QCOMPARE(RateLimits::ipKey(u"2001:db8:1:2:aaaa::1"_qs),
                 RateLimits::ipKey(u"2001:db8:1:2:bbbb::9"_qs));
        QVERIFY(RateLimits::ipKey(u"2001:db8:1:3::1"_qs) !=
                RateLimits::ipKey(u"2001:db8:1:2::1"_qs));
        QCOMPARE(RateLimits::ipKey(u"203.0.113.7"_qs), u"203.0.113.7"_qs);
    }
};

QTEST_GUILESS_MAIN(TstAnonymousLimits)
#include "tst_anonymouslimits.moc"
