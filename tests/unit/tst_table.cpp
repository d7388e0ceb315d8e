// SPDX-License-Identifier: GPL-3.0-or-later
// Table<Row> and Sql's named reads: values land in their fields whatever the column order.
#include "storage/database.h"
#include "storage/storageerror.h"
#include "storage/table.h"
#include "tempdatabase.h"

#include <QTest>
#include <memory>

using namespace Qt::StringLiterals;

namespace {
constexpr qint64 kStart = 1'790'000'000'000;

struct Thing
{
    qint64 id = 0;
    QString name = {};
    QString label = {};
    int count = 0;
    qint64 at = 0;
    bool flag = false;
};

// Declared in another order than the table's CREATE statement on purpose.
const Table<Thing> kThings{u"things"_s,
                           {
                               {u"flag"_s, &Thing::flag},
                               {u"at"_s, &Thing::at},
                               {u"id"_s, &Thing::id, Stored::ByDatabase},
                               {u"label"_s, &Thing::label, Stored::EmptyAsNull},
                               {u"name"_s, &Thing::name},
                               {u"count"_s, &Thing::count},
                           }};
} // namespace

class TestTable : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_fixture = std::make_unique<TempDatabase>(kStart);
        Sql(db(), u"CREATE TABLE things (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, "
                  u"label TEXT, count INTEGER NOT NULL, at BIGINT NOT NULL, flag INTEGER NOT NULL, "
                  u"extra TEXT NOT NULL DEFAULT 'x')"_s)
            .exec();
    }
    void cleanup() { m_fixture.reset(); }

    void statements();
    void roundTrip();
    void readsByNameInAnyOrder();
    void emptyText();
    void unknownColumnThrows();
    void namedReadsAfterReExec();

private:
    void insert(const Thing &thing)
    {
        Sql q(db(), kThings.insert());
        kThings.bind(q, thing);
        q.exec();
    }
    std::unique_ptr<TempDatabase> m_fixture;
    const Database &db() { return m_fixture->db(); }
};

void TestTable::statements()
{
    QCOMPARE(kThings.columnList(), u"flag, at, id, label, name, count"_s);
    QCOMPARE(kThings.select(u"WHERE id = :id"_s),
             u"SELECT flag, at, id, label, name, count FROM things WHERE id = :id"_s);
    // The serial id is the database's to fill in; extra columns are the caller's to bind.
    QCOMPARE(kThings.insert({u"extra"_s}),
             u"INSERT INTO things (flag, at, label, name, count, extra) "
             u"VALUES (:flag, :at, :label, :name, :count, :extra)"_s);
}

void TestTable::roundTrip()
{
    insert({.name = u"one"_s, .label = u"first"_s, .count = 7, .at = kStart, .flag = true});
    insert({.name = u"two"_s, .count = -3, .at = kStart + 1});
    Sql q(db(), kThings.select(u"ORDER BY id"_s));
    q.exec();
    QVERIFY(q.next());
    Thing t = kThings.read(q);
    QCOMPARE(t.id, 1);
    QCOMPARE(t.name, u"one"_s);
    QCOMPARE(t.label, u"first"_s);
    QCOMPARE(t.count, 7);
    QCOMPARE(t.at, kStart);
    QCOMPARE(t.flag, true);
    QVERIFY(q.next());
    t = kThings.read(q);
    QCOMPARE(t.id, 2);
    QCOMPARE(t.name, u"two"_s);
    QVERIFY(t.label.isEmpty());
    QCOMPARE(t.count, -3);
    QCOMPARE(t.at, kStart + 1);
    QCOMPARE(t.flag, false);
    QVERIFY(!q.next());
}

void TestTable::readsByNameInAnyOrder()
{
    insert({.name = u"n"_s, .label = u"l"_s, .count = 5, .at = 9, .flag = true});
    // A SELECT written by hand, in yet another order and with a column the row lacks: a
    // positional read would put "x" in name and 5 in at.
    Sql q(db(), u"SELECT extra, count, name, id, flag, label, at FROM things"_s);
    q.exec();
    QVERIFY(q.next());
    const Thing t = kThings.read(q);
    QCOMPARE(t.name, u"n"_s);
    QCOMPARE(t.label, u"l"_s);
    QCOMPARE(t.count, 5);
    QCOMPARE(t.at, 9);
    QCOMPARE(t.flag, true);
    QCOMPARE(q.value(u"extra"_s).toString(), u"x"_s);
}

void TestTable::emptyText()
{
    insert({.name = QString(), .label = QString()});
    // NOT NULL text gets '', a column declared EmptyAsNull gets NULL.
    Sql q(db(), u"SELECT name = '' AS empty_name, label IS NULL AS null_label FROM things"_s);
    q.exec();
    QVERIFY(q.next());
    QCOMPARE(q.value(u"empty_name"_s).toInt(), 1);
    QCOMPARE(q.value(u"null_label"_s).toInt(), 1);
}

void TestTable::unknownColumnThrows()
{
    insert({.name = u"n"_s});
    Sql q(db(), u"SELECT name, count FROM things"_s);
    q.exec();
    QVERIFY(q.next());
    QCOMPARE(q.value(u"count"_s).toInt(), 0);
    QVERIFY_THROWS_EXCEPTION(StorageError, q.value(u"label"_s));
    QVERIFY_THROWS_EXCEPTION(StorageError, kThings.read(q)); // the SELECT lacks columns
}

void TestTable::namedReadsAfterReExec()
{
    for (int i = 0; i < 3; ++i)
        insert({.name = u"n%1"_s.arg(i), .count = i});
    Sql q(db(), u"SELECT count, name FROM things WHERE count >= :min ORDER BY count"_s);
    for (int min = 0; min < 3; ++min) {
        q.bind(u":min"_s, min).exec();
        int seen = 0;
        while (q.next()) {
            // Out of SELECT order on purpose: the cached lookup must not guess wrong.
            QCOMPARE(q.value(u"name"_s).toString(), u"n%1"_s.arg(min + seen));
            QCOMPARE(q.value(u"count"_s).toInt(), min + seen);
            ++seen;
        }
        QCOMPARE(seen, 3 - min);
    }
}

QTEST_GUILESS_MAIN(TestTable)
#include "tst_table.moc"
