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

using namespace Qt::StringLiterals;

namespace {

using Headers = QList<std::pair<QByteArray, QByteArray>>;

qint64 rows(TestServer &server, const QString &table)
{
    Sql q(*server.services().db, u"SELECT COUNT(*) AS n FROM "_s + table);
    q.exec().next();
    return q.value(u"n"_s).toLongLong();
}

// The text as stored in the database, not as the Outbox hands it out.
QString storedBody(TestServer &server, qint64 id)
{
    Sql q(*server.services().db, u"SELECT body FROM outbox WHERE id = :id"_s);
    q.bind(u":id"_s, id).exec();
    return q.next() ? q.value(u"body"_s).toString() : QString();
}

HttpReply sendCode(TestServer &server, const QString &email)
{
    return server.client().postJson("/send_verification", {{u"email"_s, email}});
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
            QCOMPARE(sendCode(server, u"u%1@example.com"_s.arg(i)).status, 200);
        // One budget for every anonymous write of this address, each in its shape.
        checkRefusal(sendCode(server, u"late@example.com"_s), {u"error"_s});
        checkRefusal(server.client().get("/challenge?method=phantom&id=0x5aaeb6053f3e94c9b9a09f3"
                                         "3669435e7ef1beaed"),
                     {u"error"_s});
        checkRefusal(
            server.client().postJson("/auth/registration", {{u"username"_s, u"carol"_s},
                                                            {u"session_platform"_s, u"x"_s}}),
            {u"error"_s});
        checkRefusal(server.client().postJson("/auth/login", {{u"username"_s, u"carol"_s},
                                                              {u"email"_s, u"c@example.com"_s},
                                                              {u"session_platform"_s, u"x"_s}}),
                     {u"error"_s});
        const HttpReply reset = server.client().postJson("/api/auth/send-password-reset-link",
                                                         {{u"email"_s, u"a@example.com"_s}});
        checkRefusal(reset, {u"detail"_s, u"error"_s});
        // Reads are not writes.
        QCOMPARE(server.client().get("/healthz").status, 200);
        // The bucket refills over a minute.
        server.clock().advanceSecs(60);
        QCOMPARE(sendCode(server, u"later@example.com"_s).status, 200);
    }

    // The attack of issue 12 row 6: one client, random addresses, as fast as it can.
    void floodLeavesBoundedRows()
    {
        TestServer server; // default limits
        int refused = 0;
        for (int i = 0; i < 400; ++i) {
            const int status = sendCode(server, u"r%1@example.com"_s.arg(i)).status;
            QVERIFY(status == 200 || status == 429);
            refused += status == 429;
        }
        const int allowed = server.services().settings.anonymousWritesPerMinute;
        QCOMPARE(400 - refused, allowed);
        QCOMPARE(rows(server, u"outbox"_s), qint64(allowed));
        QCOMPARE(rows(server, u"wallet_codes"_s), qint64(allowed));
    }

    void perTargetLimitHoldsWhoeverAsks()
    {
        TestServer server([](Settings &s) {
            s.anonymousWritesPerMinute = 0; // off: only the per-address limit here
            s.messagesPerTargetPerHour = 3;
            s.codeResendSecs = 0;
        });
        for (int i = 0; i < 3; ++i)
            QCOMPARE(sendCode(server, u"Ada@Example.com"_s).status, 200);
        checkRefusal(sendCode(server, u"ada@example.com"_s), {u"error"_s});
        QCOMPARE(sendCode(server, u"bob@example.com"_s).status, 200);
        // Phone numbers count by their digits, however they are written.
        for (int i = 0; i < 3; ++i)
            server.client().postJson("/send_verification", {{u"phone"_s, u"+15550100000"_s}});
        checkRefusal(
            server.client().postJson("/send_verification", {{u"phone"_s, u"+1 555 010 0000"_s}}),
            {u"error"_s});
        // Reset links: an address with no account is counted the same, so the limit
        // does not tell which addresses have one.
        for (const QString &to : {u"admin@example.com"_s, u"nobody@example.com"_s}) {
            for (int i = 0; i < 3; ++i)
                QCOMPARE(server.client()
                             .postJson("/api/auth/send-password-reset-link", {{u"email"_s, to}})
                             .status,
                         200);
            checkRefusal(
                server.client().postJson("/api/auth/send-password-reset-link", {{u"email"_s, to}}),
                {u"detail"_s, u"error"_s});
        }
        server.clock().advanceSecs(3600);
        QCOMPARE(sendCode(server, u"ada@example.com"_s).status, 200);
    }

    void purgeRemovesExpiredRows()
    {
        TestServer server;
        HttpClient c = server.client();
        QCOMPARE(sendCode(server, u"p@example.com"_s).status, 200);
        QCOMPARE(c.get("/challenge?method=metamask&id=0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")
                     .status,
                 200);
        QCOMPARE(c.postJson("/auth/login", {{u"username"_s, u"ghost"_s},
                                            {u"email"_s, u"g@example.com"_s},
                                            {u"session_platform"_s, u"x"_s}})
                     .status,
                 200);
        QCOMPARE(c.postJson("/auth/registration", {{u"username"_s, u"dora"_s},
                                                   {u"email"_s, u"dora@example.com"_s},
                                                   {u"session_platform"_s, u"x"_s}})
                     .status,
                 200);
        const QStringList tables = {
            u"outbox"_s,        u"wallet_codes"_s,        u"wallet_challenges"_s,
            u"device_logins"_s, u"email_verifications"_s, u"rate_limits"_s};
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
        QVERIFY(server.services().users.byUsername(u"dora"_s));
    }

    void heldMessagesKeepTheirCodeForTheConsole()
    {
        TestServer server; // no SMTP server: held
        QCOMPARE(sendCode(server, u"held@example.com"_s).status, 200);
        const OutboxMessage m = server.services().outbox.list(1).first();
        QCOMPARE(m.state, u"held"_s);
        QVERIFY(QRegularExpression(u"code is [0-9]{6}\\."_s).match(m.body).hasMatch());
        QVERIFY(!m.body.contains(QChar(0xE000)));
    }

    void finishedMessagesLoseTheirSecrets()
    {
        QTcpServer probe; // an address where nothing listens: every attempt fails
        probe.listen(QHostAddress::LocalHost, 0);
        const QString url = u"smtp://127.0.0.1:%1"_s.arg(probe.serverPort());
        probe.close();
        TestServer server([&](Settings &s) { s.smtpUrl = url; });
        Outbox &outbox = server.services().outbox;
        outbox.stop(); // delivered by hand below
        QCOMPARE(sendCode(server, u"ada@example.com"_s).status, 200);
        const OutboxMessage queued = outbox.list(1).first();
        const QString code =
            QRegularExpression(u"code is ([0-9]{6})"_s).match(queued.body).captured(1);
        QCOMPARE(code.size(), 6);
        QVERIFY(storedBody(server, queued.id).contains(code)); // needed until it is sent
        for (int attempt = 0; attempt < Outbox::kMaxAttempts; ++attempt) {
            server.clock().advanceSecs(3 * 3600);
            QCOMPARE(outbox.deliverDue(), 1);
        }
        const OutboxMessage failed = *outbox.byId(queued.id);
        QCOMPARE(failed.state, u"failed"_s);
        QVERIFY(!storedBody(server, queued.id).contains(code));
        QVERIFY(storedBody(server, queued.id).contains(u"code is [redacted]."_s));
        QVERIFY(failed.body.contains(u"Your sign-in code is [redacted]."_s));
        QVERIFY(!outbox.resend(queued.id)); // nothing worth sending is left
    }

    void redactionMarksOnlyTheSecret()
    {
        const QString stored = u"Open "_s + Outbox::secret(u"https://x/r?token=abc"_s) +
                               u" or type "_s + Outbox::secret(u"123456"_s) + u"."_s;
        QCOMPARE(Outbox::plainText(stored), u"Open https://x/r?token=abc or type 123456."_s);
        QCOMPARE(Outbox::redactedText(stored), u"Open [redacted] or type [redacted]."_s);
        QCOMPARE(Outbox::redactedText(u"a "_s + QChar(0xE000) + u"open-ended"_s),
                 u"a [redacted]"_s);
        QCOMPARE(Outbox::redactedText(u"nothing secret"_s), u"nothing secret"_s);
    }

    void ipv6CountsPerBlock()
    {
        QCOMPARE(RateLimits::ipKey(u"2001:db8:1:2:aaaa::1"_s),
                 RateLimits::ipKey(u"2001:db8:1:2:bbbb::9"_s));
        QVERIFY(RateLimits::ipKey(u"2001:db8:1:3::1"_s) != RateLimits::ipKey(u"2001:db8:1:2::1"_s));
        QCOMPARE(RateLimits::ipKey(u"203.0.113.7"_s), u"203.0.113.7"_s);
    }
};

QTEST_GUILESS_MAIN(TstAnonymousLimits)
#include "tst_anonymouslimits.moc"
