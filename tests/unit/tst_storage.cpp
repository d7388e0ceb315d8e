// SPDX-License-Identifier: GPL-3.0-or-later
// Database on a real SQLite file: migrations, WAL, write transactions under
// concurrency, rollback on failure; Meta.
#include "storage/database.h"
#include "storage/meta.h"
#include "storage/migrations.h"
#include "storage/storageerror.h"

#include <QAtomicInt>
#include <QDir>
#include <QFile>
#include <QMutex>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

std::unique_ptr<Database> openDb(const QString &path)
{
    auto url = DatabaseUrl::parse(u"sqlite:"_s + path);
    if (!url)
        qFatal("bad url");
    auto db = std::make_unique<Database>(*url);
    const auto opened = db->open();
    if (!opened)
        qWarning("open failed: %s", qPrintable(opened.error()));
    return opened ? std::move(db) : nullptr;
}

qint64 scalar(const Database &db, const QString &sql)
{
    Sql q(db, sql);
    q.exec();
    return q.next() ? q.value(u"n"_s).toLongLong() : -1;
}

} // namespace

class TestStorage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void migrationsOnFreshFile();
    void migrationsIdempotent();
    void walMode();
    void openRefusesUnwritableFolder();
    void concurrentWriters();
    void failingStatementRollsBack_data();
    void failingStatementRollsBack();
    void nestedWriteIsOneTransaction();
    void statementOutsideWriteThrows();
    void releaseConnectionReopens();
    void metaGetSet();
    void metaGetOrCreate();
    void metaGetOrCreateConcurrent();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_db;
    QString dbPath() const { return m_dir->filePath(u"gatehouse.db"_s); }
};

void TestStorage::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_db = openDb(dbPath());
    QVERIFY(m_db);
}

void TestStorage::cleanup()
{
    m_db.reset();
    m_dir.reset();
}

void TestStorage::migrationsOnFreshFile()
{
    QVERIFY(QFile::exists(dbPath()));
    const int version = schemaVersion(*m_db);
    QVERIFY(version >= 5);
    // One row per step, numbered 1..N without gaps.
    QCOMPARE(scalar(*m_db, u"SELECT COUNT(*) AS n FROM schema_migrations"_s), qint64(version));
    QCOMPARE(scalar(*m_db, u"SELECT MIN(version) AS n FROM schema_migrations"_s), qint64(1));
    for (const QString &table : {u"meta"_s, u"namespaces"_s, u"telegram_bindings"_s, u"users"_s,
                                 u"issued_tokens"_s, u"audit_log"_s}) {
        QCOMPARE(
            scalar(*m_db,
                   u"SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = '"_s +
                       table + u"'"_s),
            qint64(1));
    }
    QVERIFY(m_db->ping());
    QCOMPARE(m_db->dialect(), Dialect::Sqlite);
    // Foreign keys are on for every connection.
    QCOMPARE(scalar(*m_db, u"SELECT foreign_keys AS n FROM pragma_foreign_keys"_s), qint64(1));
}

void TestStorage::migrationsIdempotent()
{
    const int version = schemaVersion(*m_db);
    const qint64 appliedAt = scalar(*m_db, u"SELECT MAX(applied_at) AS n FROM schema_migrations"_s);
    Meta::set(*m_db, u"marker"_s, u"kept"_s);
    m_db.reset();

    for (int round = 0; round < 2; ++round) {
        m_db = openDb(dbPath());
        QVERIFY(m_db);
        QCOMPARE(schemaVersion(*m_db), version);
        QCOMPARE(scalar(*m_db, u"SELECT COUNT(*) AS n FROM schema_migrations"_s), qint64(version));
        QCOMPARE(scalar(*m_db, u"SELECT MAX(applied_at) AS n FROM schema_migrations"_s), appliedAt);
        QCOMPARE(Meta::get(*m_db, u"marker"_s), u"kept"_s);
        // applyMigrations on an up-to-date database is a no-op, too.
        QVERIFY(applyMigrations(*m_db));
        QCOMPARE(scalar(*m_db, u"SELECT COUNT(*) AS n FROM schema_migrations"_s), qint64(version));
        m_db.reset();
    }
    // Two Database objects on one file at once.
    m_db = openDb(dbPath());
    auto second = openDb(dbPath());
    QVERIFY(m_db && second);
    Meta::set(*second, u"from-second"_s, u"1"_s);
    QCOMPARE(Meta::get(*m_db, u"from-second"_s), u"1"_s);
}

void TestStorage::walMode()
{
    QSqlQuery q(m_db->connection());
    QVERIFY(q.exec(u"PRAGMA journal_mode"_s));
    QVERIFY(q.next());
    QCOMPARE(q.value(u"journal_mode"_s).toString().toLower(), u"wal"_s);
    q.finish();
    // WAL is a property of the file: a plain connection sees it too.
    Meta::set(*m_db, u"k"_s, u"v"_s);
    QVERIFY(QFile::exists(dbPath() + u"-wal"_s));
}

void TestStorage::openRefusesUnwritableFolder()
{
    const QString missing = m_dir->filePath(u"missing/sub"_s);
    Database nowhere(*DatabaseUrl::parse(u"sqlite:"_s + missing + u"/g.db"_s));
    const auto refused = nowhere.open();
    QVERIFY(!refused);
    QVERIFY2(refused.error().contains(missing), qPrintable(refused.error()));

    const QString folder = m_dir->filePath(u"readonly"_s);
    QVERIFY(QDir().mkpath(folder));
    QFile::setPermissions(folder, QFile::ReadOwner | QFile::ExeOwner);
    if (QFileInfo(folder).isWritable())
        QSKIP("running as a user who can write anywhere (root)");
    Database db(*DatabaseUrl::parse(u"sqlite:"_s + folder + u"/g.db"_s));
    const auto opened = db.open();
    QFile::setPermissions(folder, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QVERIFY(!opened);
    QVERIFY2(opened.error().contains(folder), qPrintable(opened.error()));
}

void TestStorage::concurrentWriters()
{
    // Four threads each increment one counter 100 times with a read-then-write inside
    // db.write(). With a deferred BEGIN, two readers would both try to upgrade to a
    // write lock and one would fail with "database is locked" (or an update would be
    // lost); BEGIN IMMEDIATE serialises them.
    Meta::set(*m_db, u"counter"_s, u"0"_s);
    constexpr int kThreads = 4;
    constexpr int kRounds = 100;
    QAtomicInt failures = 0;
    QStringList errors;
    QMutex errorsLock;
    std::vector<std::unique_ptr<QThread>> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back(QThread::create([&] {
            for (int i = 0; i < kRounds; ++i) {
                try {
                    m_db->write([&] {
                        Sql read(*m_db, u"SELECT value FROM meta WHERE key = 'counter'"_s);
                        read.exec();
                        const int value = read.next() ? read.value(u"value"_s).toInt() : -1000000;
                        QThread::yieldCurrentThread(); // widen the race window
                        Sql(*m_db, u"UPDATE meta SET value = :v WHERE key = 'counter'"_s)
                            .bind(u":v"_s, QString::number(value + 1))
                            .exec();
                    });
                } catch (const StorageError &e) {
                    failures.fetchAndAddRelaxed(1);
                    QMutexLocker lock(&errorsLock);
                    errors << QString::fromUtf8(e.what());
                }
            }
        }));
        threads.back()->start();
    }
    for (auto &thread : threads)
        QVERIFY(thread->wait(60000));
    QVERIFY2(failures.loadRelaxed() == 0, qPrintable(errors.join(u'\n')));
    QCOMPARE(Meta::get(*m_db, u"counter"_s), QString::number(kThreads * kRounds));
}

void TestStorage::failingStatementRollsBack_data()
{
    QTest::addColumn<QString>("statement");
    QTest::newRow("syntax error") << u"INSERT INTO meta (key, value) VALUES ("_s;
    QTest::newRow("no such table") << u"INSERT INTO nowhere (key) VALUES ('x')"_s;
    QTest::newRow("constraint violation")
        << u"INSERT INTO meta (key, value) VALUES ('existing', 'again')"_s;
    QTest::newRow("not null") << u"INSERT INTO meta (key, value) VALUES ('n', NULL)"_s;
}

void TestStorage::failingStatementRollsBack()
{
    QFETCH(QString, statement);
    Meta::set(*m_db, u"existing"_s, u"before"_s);
    bool threw = false;
    QString message;
    try {
        m_db->write([&] {
            Sql(*m_db, u"UPDATE meta SET value = 'changed' WHERE key = 'existing'"_s).exec();
            Sql(*m_db, u"INSERT INTO meta (key, value) VALUES ('inserted', 'x')"_s).exec();
            Sql(*m_db, statement).exec();
        });
    } catch (const StorageError &e) {
        threw = true;
        message = QString::fromUtf8(e.what());
    }
    QVERIFY(threw);
    QVERIFY2(!message.isEmpty(), "StorageError without a message");
    QCOMPARE(Meta::get(*m_db, u"existing"_s), u"before"_s);
    QCOMPARE(Meta::get(*m_db, u"inserted"_s, u"absent"_s), u"absent"_s);

    // The connection is usable again, with a fresh transaction.
    Meta::set(*m_db, u"after"_s, u"ok"_s);
    QCOMPARE(Meta::get(*m_db, u"after"_s), u"ok"_s);

    // Any exception, not only StorageError, rolls back.
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, m_db->write([&] {
        Sql(*m_db, u"UPDATE meta SET value = 'changed' WHERE key = 'existing'"_s).exec();
        throw std::runtime_error("application error");
    }));
    QCOMPARE(Meta::get(*m_db, u"existing"_s), u"before"_s);
}

void TestStorage::nestedWriteIsOneTransaction()
{
    QVERIFY_THROWS_EXCEPTION(StorageError, m_db->write([&] {
        Meta::set(*m_db, u"outer"_s, u"1"_s); // Meta::set opens its own write: nested
        m_db->write([&] { Sql(*m_db, u"INSERT INTO nowhere VALUES (1)"_s).exec(); });
    }));
    QCOMPARE(Meta::get(*m_db, u"outer"_s, u"absent"_s), u"absent"_s);
    m_db->write([&] {
        Meta::set(*m_db, u"outer"_s, u"1"_s);
        Meta::set(*m_db, u"inner"_s, u"2"_s);
    });
    QCOMPARE(Meta::get(*m_db, u"outer"_s), u"1"_s);
    QCOMPARE(Meta::get(*m_db, u"inner"_s), u"2"_s);
}

void TestStorage::statementOutsideWriteThrows()
{
    QVERIFY_THROWS_EXCEPTION(StorageError, Sql(*m_db, u"SELECT nothing FROM nowhere"_s).exec());
    QVERIFY_THROWS_EXCEPTION(
        StorageError,
        Sql(*m_db, u"SELECT value FROM nowhere WHERE key = :k"_s).bind(u":k"_s, 1).exec());
    QVERIFY_THROWS_EXCEPTION(StorageError, Sql(*m_db, u"DELETE FROM"_s).exec());
    // A good statement after failures still works (no transaction was left open).
    QCOMPARE(scalar(*m_db, u"SELECT 41 + 1 AS n"_s), qint64(42));
}

void TestStorage::releaseConnectionReopens()
{
    Meta::set(*m_db, u"kept"_s, u"1"_s);
    const qsizetype open = QSqlDatabase::connectionNames().size();
    m_db->releaseConnection();
    QCOMPARE(QSqlDatabase::connectionNames().size(), open - 1);
    QCOMPARE(Meta::get(*m_db, u"kept"_s), u"1"_s); // reopened on use
    QCOMPARE(QSqlDatabase::connectionNames().size(), open);
    // Inside a write it does nothing: the transaction goes on and commits.
    m_db->write([&] {
        Meta::set(*m_db, u"during"_s, u"2"_s);
        m_db->releaseConnection();
        Meta::set(*m_db, u"after"_s, u"3"_s);
    });
    QCOMPARE(Meta::get(*m_db, u"during"_s), u"2"_s);
    QCOMPARE(Meta::get(*m_db, u"after"_s), u"3"_s);
}

void TestStorage::metaGetSet()
{
    QCOMPARE(Meta::get(*m_db, u"missing"_s), QString());
    QCOMPARE(Meta::get(*m_db, u"missing"_s, u"fallback"_s), u"fallback"_s);
    Meta::set(*m_db, u"a"_s, u"1"_s);
    QCOMPARE(Meta::get(*m_db, u"a"_s), u"1"_s);
    Meta::set(*m_db, u"a"_s, u"2"_s); // overwrite, not a duplicate
    QCOMPARE(Meta::get(*m_db, u"a"_s), u"2"_s);
    QCOMPARE(scalar(*m_db, u"SELECT COUNT(*) AS n FROM meta WHERE key = 'a'"_s), qint64(1));
    Meta::set(*m_db, u"unicode"_s, u"ключ ✓"_s);
    QCOMPARE(Meta::get(*m_db, u"unicode"_s), u"ключ ✓"_s);
}

void TestStorage::metaGetOrCreate()
{
    int calls = 0;
    const auto make = [&] {
        ++calls;
        return u"made-%1"_s.arg(calls);
    };
    QCOMPARE(Meta::getOrCreate(*m_db, u"owner"_s, make), u"made-1"_s);
    QCOMPARE(Meta::getOrCreate(*m_db, u"owner"_s, make), u"made-1"_s);
    QCOMPARE(calls, 1);
    QCOMPARE(Meta::get(*m_db, u"owner"_s), u"made-1"_s);

    // A value set before is kept.
    Meta::set(*m_db, u"preset"_s, u"p"_s);
    QCOMPARE(Meta::getOrCreate(*m_db, u"preset"_s, make), u"p"_s);
    QCOMPARE(calls, 1);

    // Survives reopening.
    m_db.reset();
    m_db = openDb(dbPath());
    QVERIFY(m_db);
    QCOMPARE(Meta::getOrCreate(*m_db, u"owner"_s, make), u"made-1"_s);
    QCOMPARE(calls, 1);
}

void TestStorage::metaGetOrCreateConcurrent()
{
    // Two Database objects (think: two instances) race to create one value; both
    // must end up with the same one.
    auto other = openDb(dbPath());
    QVERIFY(other);
    QString a, b;
    std::unique_ptr<QThread> t1(QThread::create(
        [&] { a = Meta::getOrCreate(*m_db, u"race"_s, [] { return u"from-a"_s; }); }));
    std::unique_ptr<QThread> t2(QThread::create(
        [&] { b = Meta::getOrCreate(*other, u"race"_s, [] { return u"from-b"_s; }); }));
    t1->start();
    t2->start();
    QVERIFY(t1->wait(30000));
    QVERIFY(t2->wait(30000));
    QVERIFY(!a.isEmpty());
    QCOMPARE(a, b);
    QCOMPARE(Meta::get(*m_db, u"race"_s), a);
}

QTEST_GUILESS_MAIN(TestStorage)
#include "tst_storage.moc"
