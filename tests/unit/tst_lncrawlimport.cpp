// SPDX-License-Identifier: GPL-3.0-or-later
// Importing from lightnovel-crawler (core/transfer/origins): an SQLite file with lncrawl's
// users, verifiedemail and user_tokens tables, written here, is read read-only from
// sqlite:PATH and from a data folder; roles, tiers (numbers and the older names), flags,
// referrers and argon2 hashes map as docs/migrating.md says; applying it twice changes
// nothing, and a hash re-hashed here is never put back.
#include "crypto/passwordhasher.h"
#include "identity/users.h"
#include "tempdatabase.h"
#include "transfer/exporter.h"
#include "transfer/exportjson.h"
#include "transfer/origins/origin.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

// Made by Debian's python3-passlib exactly as lncrawl calls it, for "correct horse".
const QString kPasslibHash = u"$argon2id$v=19$m=102400,t=2,p=8$O8e4955zLmVszfk/B0AIYQ$"
                             u"HgAfopPHkjYeAPN5thag0g"_s;
constexpr qint64 kNow = 1790000000000;

void writeOrigin(const QString &path)
{
    const QString name = u"origin-writer"_s;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        const QStringList statements = {
            u"CREATE TABLE users (id VARCHAR NOT NULL PRIMARY KEY, created_at BIGINT NOT NULL, "
            u"updated_at BIGINT NOT NULL, extra JSON NOT NULL, referrer_id VARCHAR, password "
            u"VARCHAR NOT NULL, email VARCHAR NOT NULL, name VARCHAR, role VARCHAR(5) NOT NULL, "
            u"tier SMALLINT NOT NULL, is_active BOOLEAN NOT NULL, is_verified BOOLEAN DEFAULT 0 "
            u"NOT NULL)"_s,
            u"CREATE TABLE verifiedemail (email VARCHAR PRIMARY KEY, created_at BIGINT)"_s,
            u"CREATE TABLE user_tokens (token CHAR(10) PRIMARY KEY, user_id VARCHAR NOT NULL, "
            u"expires_at BIGINT NOT NULL)"_s,
            u"INSERT INTO users VALUES ('u1', 1, 1, '{}', NULL, '%1', 'Owner@Example.test', "
            u"'Server Admin', 'ADMIN', 2, 1, 1)"_s.arg(kPasslibHash),
            u"INSERT INTO users VALUES ('u2', 2, 2, '{}', 'u1', '%1', 'ada@example.test', "
            u"'Ada', 'USER', 'PREMIUM', 1, 0)"_s.arg(kPasslibHash),
            u"INSERT INTO users VALUES ('u3', 3, 3, '{}', 'u1', 'plain-md5-ish', "
            u"'old@example.test', NULL, 'LOCAL', 0, 0, 0)"_s,
            u"INSERT INTO users VALUES ('u4', 4, 4, '{}', NULL, '%1', 'OWNER@example.test', "
            u"'Twin', 'user', 'VIP', 1, 0)"_s.arg(kPasslibHash),
            u"INSERT INTO verifiedemail VALUES ('ada@example.test', 5)"_s,
            u"INSERT INTO user_tokens VALUES ('Rk8mPq2xYz', 'u2', %1)"_s.arg(kNow + 1000000),
            u"INSERT INTO user_tokens VALUES ('NoSuchUsr1', 'zz', %1)"_s.arg(kNow + 1000000),
        };
        for (const QString &s : statements)
            QVERIFY2(q.exec(s), qPrintable(q.lastError().text() + u" in "_s + s));
    }
    QSqlDatabase::removeDatabase(name);
}

QByteArray digest(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly)
               ? QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256)
               : QByteArray();
}

const Transfer::User *byId(const Origins::Read &read, const QString &id)
{
    for (const Transfer::User &u : read.document.users)
        if (u.id == id)
            return &u;
    return nullptr;
}

} // namespace

class TestLncrawlImport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { m_temp = std::make_unique<TempDatabase>(kNow); }
    void cleanup() { m_temp.reset(); }
    void readsUsers();
    void readsTokensAndWhatStays();
    void readsFromDataFolder();
    void refusesOtherSources_data();
    void refusesOtherSources();
    void applyIsIdempotentAndKeepsRehash();
    void tierSurvivesExportAndImport();

private:
    Origins::Read readOk(const QString &source)
    {
        const auto read = Origins::read(Origins::Kind::Lncrawl, source, {});
        if (!read)
            qWarning("read failed: %s", qPrintable(read.error()));
        return read ? *read : Origins::Read{};
    }
    std::unique_ptr<TempDatabase> m_temp;
};

void TestLncrawlImport::readsUsers()
{
    const QString path = m_temp->path(u"lncrawl.db"_s);
    writeOrigin(path);
    const QByteArray before = digest(path);
    const Origins::Read read = readOk(u"sqlite:"_s + path);
    QCOMPARE(digest(path), before);          // read-only
    QCOMPARE(read.document.users.size(), 3); // u4's address equals u1's once lower-cased
    const Transfer::User *owner = byId(read, u"u1"_s);
    QVERIFY(owner);
    QCOMPARE(owner->email, u"owner@example.test"_s);
    QCOMPARE(owner->role, u"admin"_s);
    QVERIFY(owner->isAdmin);
    QCOMPARE(owner->tier, 2);
    QVERIFY(owner->emailVerified);
    QCOMPARE(owner->displayName, u"Server Admin"_s);
    QCOMPARE(owner->passwordHash, kPasslibHash);
    QVERIFY(PasswordHasher::verify(owner->passwordHash, "correct horse"));
    const Transfer::User *ada = byId(read, u"u2"_s);
    QVERIFY(ada);
    QCOMPARE(ada->role, u"user"_s);
    QVERIFY(!ada->isAdmin);
    QCOMPARE(ada->tier, 1);      // the older name form
    QVERIFY(ada->emailVerified); // from verifiedemail
    QCOMPARE(ada->referrerId, u"u1"_s);
    QVERIFY(!ada->disabled);
    const Transfer::User *old = byId(read, u"u3"_s);
    QVERIFY(old);
    QVERIFY(old->disabled);
    QCOMPARE(old->role, u"user"_s);       // LOCAL
    QVERIFY(old->passwordHash.isEmpty()); // not argon2: a reset, not a broken hash
}

void TestLncrawlImport::readsTokensAndWhatStays()
{
    const QString path = m_temp->path(u"lncrawl.db"_s);
    writeOrigin(path);
    const Origins::Read read = readOk(u"sqlite:"_s + path);
    QCOMPARE(read.apiTokens.size(), 1); // the other one's user is not in the file
    QCOMPARE(read.apiTokens[0].token, u"Rk8mPq2xYz"_s);
    QCOMPARE(read.apiTokens[0].userId, u"u2"_s);
    QCOMPARE(read.apiTokens[0].expiresAt, kNow + 1000000);
    const QString stays = read.notCarried.join(u'\n');
    QVERIFY2(stays.contains(u"login sessions"_s), qPrintable(stays));
    QVERIFY2(stays.contains(u"role LOCAL"_s), qPrintable(stays));
    QVERIFY2(stays.contains(u"1 password(s) not in argon2 form"_s), qPrintable(stays));
    QVERIFY2(stays.contains(u"OWNER@example.test"_s.toLower()), qPrintable(stays));
}

void TestLncrawlImport::readsFromDataFolder()
{
    const QString folder = m_temp->path(u"lncrawl-data"_s);
    QVERIFY(QDir().mkpath(folder + u"/db"_s));
    QFile other(folder + u"/cache.db"_s); // an SQLite-named file without lncrawl's tables
    QVERIFY(other.open(QIODevice::WriteOnly));
    other.close();
    writeOrigin(folder + u"/db/lncrawl.db"_s);
    QCOMPARE(readOk(folder).document.users.size(), 3);
}

void TestLncrawlImport::refusesOtherSources_data()
{
    QTest::addColumn<QString>("source");
    QTest::newRow("missing file") << u"sqlite:/nonexistent/lncrawl.db"_s;
    QTest::newRow("not a url or folder") << u"mysql://x@y/z"_s;
    QTest::newRow("empty folder") << u"@empty"_s;
    QTest::newRow("sqlite without users") << u"@nousers"_s;
}

void TestLncrawlImport::refusesOtherSources()
{
    QFETCH(QString, source);
    if (source == u"@empty") {
        source = m_temp->path(u"empty"_s);
        QVERIFY(QDir().mkpath(source));
    } else if (source == u"@nousers") {
        const QString path = m_temp->path(u"empty.db"_s);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        source = u"sqlite:"_s + path;
    }
    const auto read = Origins::read(Origins::Kind::Lncrawl, source, {});
    QVERIFY(!read);
    QVERIFY(!read.error().isEmpty());
}

void TestLncrawlImport::applyIsIdempotentAndKeepsRehash()
{
    const QString path = m_temp->path(u"lncrawl.db"_s);
    writeOrigin(path);
    const Origins::Read read = readOk(u"sqlite:"_s + path);
    const Database &db = m_temp->db();
    const auto first = Origins::apply(db, read, u"fp"_s, kNow, false);
    QVERIFY2(first, qPrintable(first.error()));
    QCOMPARE(first->report.users.created, 3);
    QVERIFY(first->notCarried.join(u'\n').contains(u"API token"_s)); // no token store given
    Users users(db, m_temp->clock());
    QCOMPARE(users.byId(u"u2"_s)->tier, 1);
    QCOMPARE(users.byId(u"u2"_s)->referrerId, u"u1"_s);
    QCOMPARE(users.byEmail(u"owner@example.test"_s)->id, u"u1"_s);
    const auto second = Origins::apply(db, read, u"fp"_s, kNow, false);
    QVERIFY(second);
    QCOMPARE(second->report.users.created, 0);
    QCOMPARE(second->report.users.updated, 0);
    QCOMPARE(second->report.users.skipped, 3);
    // The first sign-in re-hashes; a later import must not bring the origin's hash back.
    const QString ours = PasswordHasher::hash("correct horse");
    QVERIFY(users.replacePasswordHash(u"u2"_s, kPasslibHash, ours));
    QVERIFY(!users.replacePasswordHash(u"u2"_s, kPasslibHash, ours)); // no longer the old one
    const auto third = Origins::apply(db, read, u"fp"_s, kNow, false);
    QVERIFY(third);
    QCOMPARE(third->report.users.updated, 0);
    QCOMPARE(users.byId(u"u2"_s)->passwordHash, ours);
    // A dry run of a fresh database writes nothing.
    TempDatabase fresh(kNow);
    const auto dry = Origins::apply(fresh.db(), read, u"fp"_s, kNow, true);
    QVERIFY(dry);
    QCOMPARE(dry->report.users.created, 3);
    QVERIFY(!Users(fresh.db(), fresh.clock()).byId(u"u2"_s));
}

void TestLncrawlImport::tierSurvivesExportAndImport()
{
    const QString path = m_temp->path(u"lncrawl.db"_s);
    writeOrigin(path);
    User local; // made here: no tier stored, and none appears in the export
    local.username = u"localbob"_s;
    QVERIFY(Users(m_temp->db(), m_temp->clock()).create(local));
    QVERIFY(Origins::apply(m_temp->db(), readOk(u"sqlite:"_s + path), u"fp"_s, kNow, false));
    const QByteArray json = Transfer::toJson(Transfer::collect(m_temp->db(), u"fp"_s, true, kNow));
    const auto doc = Transfer::parseJson(json);
    QVERIFY2(doc, qPrintable(doc.error()));
    TempDatabase other(kNow);
    QVERIFY(Transfer::apply(other.db(), *doc, u"fp"_s, kNow));
    Users users(other.db(), other.clock());
    QCOMPARE(users.byId(u"u1"_s)->tier, 2);
    QCOMPARE(users.byId(u"u2"_s)->tier, 1);
    QVERIFY(PasswordHasher::verify(users.byId(u"u2"_s)->passwordHash, "correct horse"));
    const auto bob = users.byUsername(u"localbob"_s);
    QVERIFY(bob);
    QCOMPARE(bob->tier, -1);
    QVERIFY(!json.contains("\"tier\": -1"));
}

QTEST_GUILESS_MAIN(TestLncrawlImport)
#include "tst_lncrawlimport.moc"
