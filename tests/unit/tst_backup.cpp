// SPDX-License-Identifier: GPL-3.0-or-later
// Backup and restore of the SQLite database (core/storage/backup): copies taken while
// another thread writes are intact and consistent, 0600 and self-contained; restore
// refuses an open database, a newer schema and files that are not Gatehouse databases,
// and keeps the replaced database.
#include "storage/backup.h"
#include "storage/database.h"
#include "storage/migrations.h"

#include <QAtomicInt>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

std::unique_ptr<Database> openDb(const QString &path)
{
    auto db = std::make_unique<Database>(*DatabaseUrl::parse(u"sqlite:"_s + path));
    const auto opened = db->open();
    if (!opened)
        qFatal("open failed: %s", qPrintable(opened.error()));
    return db;
}

void addNamespace(const Database &db, const QString &name)
{
    db.write([&] {
        Sql(db, u"INSERT INTO namespaces (name, created_at, created_by) VALUES (:n, 1, 't')"_s)
            .bind(u":n"_s, name)
            .exec();
    });
}

qint64 namespaces(const QString &path)
{
    const auto db = openDb(path);
    Sql q(*db, u"SELECT COUNT(*) AS n FROM namespaces"_s);
    q.exec();
    return q.next() ? q.value(u"n"_s).toLongLong() : -1;
}

} // namespace

class TestBackup : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { QVERIFY(m_dir.isValid()); }
    void copiesWhileAnotherThreadWrites();
    void restoreSwapsAndKeepsThePrevious();
    void restoreRefusedWhileOpen();
    void restoreOverADamagedDatabase();
    void restoreRefusesNewerSchema();
    void restoreRefusesOtherFiles_data();
    void restoreRefusesOtherFiles();
    void postgresPointsToPgDump();

private:
    QString path(const QString &name) const { return m_dir.filePath(name); }
    DatabaseUrl url(const QString &name) const
    {
        return *DatabaseUrl::parse(u"sqlite:"_s + path(name));
    }
    QTemporaryDir m_dir;
};

void TestBackup::copiesWhileAnotherThreadWrites()
{
    auto db = openDb(path(u"live.db"_s));
    QAtomicInt stop(0), written(0);
    std::unique_ptr<QThread> writer(QThread::create([&] {
        for (int i = 0; !stop.loadAcquire(); ++i) {
            addNamespace(*db, u"ns%1"_s.arg(i));
            written.storeRelease(i + 1);
        }
    }));
    writer->start();
    QTRY_VERIFY(written.loadAcquire() > 20);
    for (int round = 0; round < 5; ++round) {
        const QString file = path(u"copy%1.db"_s.arg(round));
        const int before = written.loadAcquire();
        const auto made = Backup::create(url(u"live.db"_s), file);
        const int after = written.loadAcquire();
        QVERIFY2(made.ok(), qPrintable(made.error()));
        QVERIFY(made->namespaces >= before && made->namespaces <= after + 1);
        QCOMPARE(QFile::permissions(file),
                 QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser);
        QFile copy(file);
        QVERIFY(copy.open(QIODevice::ReadOnly));
        QCOMPARE(int(copy.read(20).at(18)), 1); // rollback journal: one self-contained file
        QVERIFY(!QFile::exists(file + u"-wal"_s));
    }
    stop.storeRelease(1);
    writer->wait();
}

void TestBackup::restoreSwapsAndKeepsThePrevious()
{
    auto db = openDb(path(u"swap.db"_s));
    addNamespace(*db, u"a"_s);
    QVERIFY(Backup::create(url(u"swap.db"_s), path(u"swap-backup.db"_s)).ok());
    addNamespace(*db, u"b"_s);
    db.reset();
    const auto restored = Backup::restore(url(u"swap.db"_s), path(u"swap-backup.db"_s),
                                          latestSchemaVersion(), 1700000000000);
    QVERIFY2(restored.ok(), qPrintable(restored.error()));
    QCOMPARE(restored->keptPrevious, path(u"swap.db.before-restore-20231114-221320"_s));
    QCOMPARE(namespaces(path(u"swap.db"_s)), 1);
    QCOMPARE(namespaces(restored->keptPrevious), 2);
    QVERIFY(!QFile::exists(path(u"swap.db.restore"_s)));
}

void TestBackup::restoreRefusedWhileOpen()
{
    auto db = openDb(path(u"busy.db"_s));
    QVERIFY(Backup::create(url(u"busy.db"_s), path(u"busy-backup.db"_s)).ok());
    const auto restored =
        Backup::restore(url(u"busy.db"_s), path(u"busy-backup.db"_s), latestSchemaVersion(), 1);
    QVERIFY(!restored.ok());
    QVERIFY2(restored.error().contains(u"in use by a running Gatehouse"_s),
             qPrintable(restored.error()));
    db.reset();
    QVERIFY(Backup::restore(url(u"busy.db"_s), path(u"busy-backup.db"_s), latestSchemaVersion(), 1)
                .ok());
}

void TestBackup::restoreOverADamagedDatabase()
{
    QVERIFY(openDb(path(u"good.db"_s)));
    QVERIFY(Backup::create(url(u"good.db"_s), path(u"good-backup.db"_s)).ok());
    QFile damaged(path(u"damaged.db"_s));
    QVERIFY(damaged.open(QIODevice::WriteOnly));
    damaged.write(QByteArray("SQLite format 3").append(4096, 'x'));
    damaged.close();
    const auto restored =
        Backup::restore(url(u"damaged.db"_s), path(u"good-backup.db"_s), latestSchemaVersion(), 1);
    QVERIFY2(restored.ok(), qPrintable(restored.error()));
    QFile kept(restored->keptPrevious);
    QVERIFY(kept.open(QIODevice::ReadOnly));
    QVERIFY(kept.readAll().endsWith("xxxx")); // kept as it was
    QCOMPARE(namespaces(path(u"damaged.db"_s)), 0);
}

void TestBackup::restoreRefusesNewerSchema()
{
    {
        auto db = openDb(path(u"newer.db"_s));
        db->write([&] {
            Sql(*db, u"INSERT INTO schema_migrations VALUES (:v, 'future', 1)"_s)
                .bind(u":v"_s, latestSchemaVersion() + 1)
                .exec();
        });
    }
    const auto restored =
        Backup::restore(url(u"target.db"_s), path(u"newer.db"_s), latestSchemaVersion(), 1);
    QVERIFY(!restored.ok());
    QVERIFY2(restored.error().contains(u"comes from a newer Gatehouse (schema version %1"_s.arg(
                 latestSchemaVersion() + 1)),
             qPrintable(restored.error()));
    QVERIFY(!QFile::exists(path(u"target.db"_s)));
    QVERIFY(!QFile::exists(path(u"target.db.restore"_s)));
}

void TestBackup::restoreRefusesOtherFiles_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("error");
    QTest::newRow("text") << QByteArray("hello, not a database\n").repeated(300)
                          << u"file is not a database"_s;
    QTest::newRow("missing") << QByteArray() << u"does not exist"_s;
}

void TestBackup::restoreRefusesOtherFiles()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, error);
    const QString file = path(u"other.bin"_s);
    QFile::remove(file);
    if (!bytes.isEmpty()) {
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(bytes);
    }
    const auto restored = Backup::restore(url(u"other.db"_s), file, latestSchemaVersion(), 1);
    QVERIFY(!restored.ok());
    QVERIFY2(restored.error().contains(error), qPrintable(restored.error()));
    QVERIFY(!QFile::exists(path(u"other.db"_s)));
}

void TestBackup::postgresPointsToPgDump()
{
    const DatabaseUrl pg = *DatabaseUrl::parse(u"postgresql://gatehouse@127.0.0.1:1/gatehouse"_s);
    const auto made = Backup::create(pg, path(u"pg.db"_s));
    QVERIFY(!made.ok());
    QVERIFY2(made.error().contains(u"pg_dump"_s), qPrintable(made.error()));
    const auto restored = Backup::restore(pg, path(u"pg.db"_s), latestSchemaVersion(), 1);
    QVERIFY(!restored.ok());
    QVERIFY2(restored.error().contains(u"pg_restore"_s), qPrintable(restored.error()));
    QVERIFY(!QFile::exists(path(u"pg.db"_s)));
}

QTEST_GUILESS_MAIN(TestBackup)
#include "tst_backup.moc"
