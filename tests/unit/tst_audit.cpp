// SPDX-License-Identifier: GPL-3.0-or-later
// AuditLog: recording, querying, pruning, against a real SQLite database.
#include "identity/audit.h"
#include "storage/database.h"
#include "tempdatabase.h"

#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <memory>

using namespace Qt::StringLiterals;

namespace {
constexpr qint64 kStart = 1'790'000'000'000;
} // namespace

class TestAuditLog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { m_fixture = std::make_unique<TempDatabase>(kStart); }
    void cleanup() { m_fixture.reset(); }

    void auditRecordAndQuery();
    void auditPrune();
    void auditConcurrentRecord();

private:
    std::unique_ptr<TempDatabase> m_fixture;
    const Database &db() { return m_fixture->db(); }
};

// ------------------------------------------------------------------ AuditLog

void TestAuditLog::auditRecordAndQuery()
{
    AuditLog audit(db(), m_fixture->clock());
    QSignalSpy recorded(&audit, &AuditLog::recorded);
    audit.record({.actor = u"admin"_s,
                  .action = u"namespace.add"_s,
                  .subject = u"ns:alpha"_s,
                  .surface = u"console"_s,
                  .ip = u"127.0.0.1"_s,
                  .result = u"ok"_s,
                  .detail = u"created"_s});
    m_fixture->clock().advanceSecs(1);
    audit.record({.actor = u"anonymous"_s,
                  .action = u"namespace.auth"_s,
                  .subject = u"ns:beta"_s,
                  .surface = u"namespace"_s,
                  .ip = u"10.0.0.7"_s,
                  .result = u"denied"_s,
                  .detail = u"wrong access token secret"_s});
    m_fixture->clock().advanceSecs(1);
    audit.record({.at = kStart - 5000,
                  .actor = u"cli"_s,
                  .action = u"user.disable"_s,
                  .subject = u"user:bob"_s,
                  .surface = u"cli"_s,
                  .result = u"ok"_s}); // explicit time, null strings
    audit.flush();
    QVERIFY(recorded.count() >= 1);

    const auto all = audit.query({});
    QCOMPARE(all.size(), 3);
    QCOMPARE(all[0].action, u"user.disable"_s); // newest id first
    QCOMPARE(all[0].at, kStart - 5000);
    QCOMPARE(all[0].ip, QString());
    QCOMPARE(all[1].action, u"namespace.auth"_s);
    QCOMPARE(all[1].at, kStart + 1000); // filled in from the clock
    QCOMPARE(all[1].ip, u"10.0.0.7"_s);
    QCOMPARE(all[1].detail, u"wrong access token secret"_s);
    QCOMPARE(all[2].actor, u"admin"_s);
    QCOMPARE(all[2].at, kStart);
    QVERIFY(all[0].id > all[1].id && all[1].id > all[2].id);

    AuditFilter f;
    f.surface = u"namespace"_s;
    QCOMPARE(audit.query(f).size(), 1);
    f = {};
    f.result = u"ok"_s;
    QCOMPARE(audit.query(f).size(), 2);
    f = {};
    f.text = u"beta"_s; // subject
    QCOMPARE(audit.query(f).size(), 1);
    f.text = u"10.0.0"_s; // ip
    QCOMPARE(audit.query(f).size(), 1);
    f.text = u"token secret"_s; // detail
    QCOMPARE(audit.query(f).size(), 1);
    f.text = u"admin"_s; // actor
    QCOMPARE(audit.query(f).size(), 1);
    f.text = u"namespace."_s; // action
    QCOMPARE(audit.query(f).size(), 2);
    f.surface = u"console"_s; // combined
    QCOMPARE(audit.query(f).size(), 1);
    f = {};
    f.text = u"nothing like this"_s;
    QCOMPARE(audit.query(f).size(), 0);
    f = {};
    f.limit = 2;
    QCOMPARE(audit.query(f).size(), 2);
    f.beforeId = all[1].id; // paging
    const auto older = audit.query(f);
    QCOMPARE(older.size(), 1);
    QCOMPARE(older[0].id, all[2].id);
}

void TestAuditLog::auditPrune()
{
    AuditLog audit(db(), m_fixture->clock());
    for (int i = 0; i < 10; ++i)
        audit.record({.at = kStart + i * 1000,
                      .actor = u"a"_s,
                      .action = u"x"_s,
                      .subject = u"s"_s,
                      .surface = u"console"_s,
                      .ip = u"ip"_s,
                      .result = u"ok"_s});
    audit.flush();
    QCOMPARE(audit.pruneOlderThan(kStart), qint64(0));
    QCOMPARE(audit.pruneOlderThan(kStart + 4000), qint64(4)); // strictly older
    const auto left = audit.query({});
    QCOMPARE(left.size(), 6);
    QCOMPARE(left.last().at, kStart + 4000);
    QCOMPARE(audit.pruneOlderThan(kStart + 100'000), qint64(6));
    QVERIFY(audit.query({}).isEmpty());
}

void TestAuditLog::auditConcurrentRecord()
{
    constexpr int kThreads = 8;
    constexpr int kEach = 1500; // 12 000 in all: crosses the "flush soon" mark several times
    {
        AuditLog audit(db(), m_fixture->clock());
        std::vector<std::unique_ptr<QThread>> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back(QThread::create([&audit, t] {
                for (int i = 0; i < kEach; ++i)
                    audit.record({.actor = u"thread-%1"_s.arg(t),
                                  .action = u"load"_s,
                                  .subject = QString::number(i),
                                  .surface = u"test"_s,
                                  .result = u"ok"_s});
            }));
            threads.back()->start();
        }
        for (auto &thread : threads)
            QVERIFY(thread->wait(60000));
        audit.flush();
        AuditFilter f;
        f.limit = 10000;
        f.text = u"thread-3"_s;
        QCOMPARE(audit.query(f).size(), kEach);
    } // the destructor flushes whatever the writer thread had not
    Sql total(
        db(),
        u"SELECT COUNT(*) AS events, COUNT(DISTINCT actor || ':' || subject) AS distinct_events "
        u"FROM audit_log"_s);
    total.exec();
    QVERIFY(total.next());
    QCOMPARE(total.value(u"events"_s).toInt(), kThreads * kEach);
    QCOMPARE(total.value(u"distinct_events"_s).toInt(), kThreads * kEach); // none lost, none twice
}

QTEST_GUILESS_MAIN(TestAuditLog)
#include "tst_audit.moc"
