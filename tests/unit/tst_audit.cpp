// SPDX-License-Identifier: GPL-3.0-or-later
// AuditLog: recording, querying, pruning, against a real SQLite database.
#include "identity/audit.h"
#include "storage/database.h"
#include "storage/migrations.h"
#include "tempdatabase.h"

#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <algorithm>
#include <limits>
#include <memory>

using namespace Qt::StringLiterals;

namespace {
constexpr qint64 kStart = 1'790'000'000'000;

// What a flood repeats: the same token checked again and again from one address.
AuditEvent denied()
{
    return {.actor = u"anonymous"_s,
            .action = u"account.token.check"_s,
            .subject = u"user:42"_s,
            .surface = u"account"_s,
            .ip = u"10.0.0.7"_s,
            .result = u"denied"_s,
            .detail = u"token expired"_s};
}

// The seven text fields by number, for tables over each of them.
QString &textField(AuditEvent &e, int field)
{
    QString *fields[] = {&e.actor, &e.action, &e.subject, &e.surface, &e.ip, &e.result, &e.detail};
    return *fields[field];
}

// The rows in the order they were written (oldest id first).
QList<AuditEvent> written(const AuditLog &audit)
{
    QList<AuditEvent> rows = audit.query({});
    std::reverse(rows.begin(), rows.end());
    return rows;
}
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
    void auditRepeatsMerged();
    void auditRepeatsKeptApart_data();
    void auditRepeatsKeptApart();
    void auditRepeatsFirstOrder();
    void auditRepeatsPerFlush();
    void auditRepeatsCountLimit();
    void auditRepeatsOldRows();

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
    for (int i = 0; i < 10; ++i) // different subjects: ten rows, not one repeated ten times
        audit.record({.at = kStart + i * 1000,
                      .actor = u"a"_s,
                      .action = u"x"_s,
                      .subject = QString::number(i),
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

// A flood of one event in one batch is one row: the first one's time, the count. (The
// writer's timer may flush in the middle of it; each batch is then one row.)
void TestAuditLog::auditRepeatsMerged()
{
    constexpr int kFlood = 1000;
    AuditLog audit(db(), m_fixture->clock());
    QSignalSpy recorded(&audit, &AuditLog::recorded);
    for (int i = 0; i < kFlood; ++i) {
        audit.record(denied());
        m_fixture->clock().advanceMs(1);
    }
    audit.flush();
    const auto rows = written(audit);
    QCOMPARE(rows.size(), recorded.count());
    QCOMPARE(rows[0].at, kStart);
    QCOMPARE(rows[0].detail, u"token expired"_s);
    int total = 0;
    for (const AuditEvent &row : rows)
        total += row.repeats;
    QCOMPARE(total, kFlood);
    for (qsizetype i = 0; i < recorded.count(); ++i) {
        const auto events = recorded.at(i).at(0).value<QList<AuditEvent>>();
        QCOMPARE(events.size(), 1); // the signal carries the merged events too
        QCOMPARE(events[0].repeats, rows[i].repeats);
    }
    if (rows.size() == 1)
        QCOMPARE(rows[0].repeats, kFlood);
}

void TestAuditLog::auditRepeatsKeptApart_data()
{
    QTest::addColumn<int>("field");
    const char *names[] = {"actor", "action", "subject", "surface", "ip", "result", "detail"};
    for (int f = 0; f < 7; ++f)
        QTest::newRow(names[f]) << f;
}

// Events that differ in any one text field are rows of their own, each with its count.
void TestAuditLog::auditRepeatsKeptApart()
{
    QFETCH(int, field);
    AuditEvent other = denied();
    textField(other, field) += u"-2"_s;
    AuditLog audit(db(), m_fixture->clock());
    for (int i = 0; i < 5; ++i) {
        audit.record(denied());
        audit.record(other);
        audit.record(other);
    }
    audit.flush();
    const auto rows = written(audit);
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows[0].repeats, 5);
    QCOMPARE(rows[1].repeats, 10);
    AuditEvent first = rows[0], second = rows[1], base = denied();
    QCOMPARE(textField(first, field), textField(base, field));
    QCOMPARE(textField(second, field), textField(base, field) + u"-2"_s);
}

// Merged rows keep the order in which each event first happened, and its time.
void TestAuditLog::auditRepeatsFirstOrder()
{
    AuditLog audit(db(), m_fixture->clock());
    for (const char *action : {"a", "b", "a", "c", "b", "a"}) {
        audit.record({.actor = u"cli"_s, .action = QString::fromLatin1(action)});
        m_fixture->clock().advanceSecs(1);
    }
    audit.flush();
    const auto rows = written(audit);
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows[0].action, u"a"_s);
    QCOMPARE(rows[0].repeats, 3);
    QCOMPARE(rows[0].at, kStart);
    QCOMPARE(rows[1].action, u"b"_s);
    QCOMPARE(rows[1].repeats, 2);
    QCOMPARE(rows[1].at, kStart + 1000);
    QCOMPARE(rows[2].action, u"c"_s);
    QCOMPARE(rows[2].repeats, 1);
    QCOMPARE(rows[2].at, kStart + 3000);
}

// Rows already written are never updated: the same event in the next batch is a new row.
void TestAuditLog::auditRepeatsPerFlush()
{
    AuditLog audit(db(), m_fixture->clock());
    audit.record(denied());
    audit.record(denied());
    audit.flush();
    m_fixture->clock().advanceSecs(1);
    audit.record(denied());
    audit.flush();
    const auto rows = written(audit);
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows[0].repeats, 2);
    QCOMPARE(rows[0].at, kStart);
    QCOMPARE(rows[1].repeats, 1);
    QCOMPARE(rows[1].at, kStart + 1000);
}

// A count that would pass INT_MAX starts a new row; a count below 1 is taken as 1.
void TestAuditLog::auditRepeatsCountLimit()
{
    constexpr int kMax = std::numeric_limits<int>::max();
    AuditLog audit(db(), m_fixture->clock());
    AuditEvent many = denied();
    many.repeats = kMax - 1;
    audit.record(many);
    for (int i = 0; i < 3; ++i)
        audit.record(denied());
    AuditEvent none = denied();
    none.action = u"other"_s;
    none.repeats = -5;
    audit.record(none);
    audit.flush();
    const auto rows = written(audit);
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows[0].repeats, kMax);
    QCOMPARE(rows[1].repeats, 2);
    QCOMPARE(rows[1].action, u"account.token.check"_s);
    QCOMPARE(rows[2].repeats, 1);
    QCOMPARE(rows[2].action, u"other"_s);
}

// Rows written before migration 0015 read as having happened once.
void TestAuditLog::auditRepeatsOldRows()
{
    db().write([&] { // back to schema 14, with one row in it
        Sql(db(), u"ALTER TABLE audit_log DROP COLUMN repeats"_s).exec();
        Sql(db(), u"DELETE FROM schema_migrations WHERE version >= 15"_s).exec();
        Sql(db(), u"INSERT INTO audit_log (at, actor, action, subject, surface, ip, result, "
                  u"detail) VALUES (1, 'cli', 'user.add', 'user:bob', 'cli', '', 'ok', '')"_s)
            .exec();
    });
    QVERIFY(applyMigrations(db()));
    QVERIFY(schemaVersion(db()) >= 15);
    AuditLog audit(db(), m_fixture->clock());
    const auto rows = audit.query({});
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows[0].action, u"user.add"_s);
    QCOMPARE(rows[0].repeats, 1);
}

QTEST_GUILESS_MAIN(TestAuditLog)
#include "tst_audit.moc"
