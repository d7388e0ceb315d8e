// SPDX-License-Identifier: GPL-3.0-or-later
// Export and import (core/transfer): the parser refuses every malformed shape with an
// error naming the place; a round trip between two real SQLite databases carries users,
// identities, wallets, namespaces, bindings and roles; a second import changes nothing;
// a conflict or a dry run writes nothing.
#include "clock.h"
#include "identity/users.h"
#include "storage/database.h"
#include "transfer/exporter.h"
#include "transfer/exportjson.h"
#include "transfer/importer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

const QString kHash = u"$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"_s;
const QString kFingerprint = u"fp-here"_s;

std::unique_ptr<Database> openDb(const QString &path)
{
    auto db = std::make_unique<Database>(*DatabaseUrl::parse(u"sqlite:"_s + path));
    const auto opened = db->open();
    if (!opened)
        qFatal("open failed: %s", qPrintable(opened.error()));
    return db;
}

qint64 scalar(const Database &db, const QString &sql)
{
    Sql q(db, u"SELECT ("_s + sql + u") AS v"_s);
    q.exec();
    return q.next() ? q.value(u"v"_s).toLongLong() : -1;
}

void exec(const Database &db, const QString &sql)
{
    db.write([&] { Sql(db, sql).exec(); });
}

// What a fingerprint of every table an import touches looks like.
QString contents(const Database &db)
{
    QString out;
    for (
        const QString &sql :
        {u"SELECT id || '|' || COALESCE(username,'') || '|' || COALESCE(email,'') || '|' || "
         u"role || '|' || COALESCE(password_hash,'') || '|' || updated_at AS v FROM users "
         u"ORDER BY id"_s,
         u"SELECT name || disabled AS v FROM namespaces ORDER BY name"_s,
         u"SELECT kind || subject || user_id || display AS v FROM identities ORDER BY 1"_s,
         u"SELECT id || address || user_id || sealed_key AS v FROM wallets ORDER BY 1"_s,
         u"SELECT telegram_user_id || namespace || secret_fingerprint AS v FROM telegram_bindings"_s,
         u"SELECT role_id || permission_id AS v FROM pin_role_permissions ORDER BY 1"_s}) {
        Sql q(db, sql);
        q.exec();
        while (q.next())
            out += q.value(u"v"_s).toString() + u'\n';
    }
    return out;
}

QByteArray withUser(const QByteArray &userJson, bool sensitive = false)
{
    return u"{\"format\":\"gatehouse-export\",\"version\":1,\"sensitive\":%1,\"users\":[%2]}"_s
        .arg(sensitive ? u"true"_s : u"false"_s, QString::fromUtf8(userJson))
        .toUtf8();
}

} // namespace

class TestTransfer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void refusesMalformed_data();
    void refusesMalformed();
    void jsonRoundTrip();
    void importIntoEmptyInstance();
    void secondImportChangesNothing();
    void hashesLeftOutKeepThoseHere();
    void conflictWritesNothing_data();
    void conflictWritesNothing();
    void dryRunWritesNothing();

private:
    void fillSource();
    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_source;
    std::unique_ptr<Database> m_target;
    Clock m_clock;
};

void TestTransfer::init()
{
    m_source.reset();
    m_target.reset();
    QVERIFY(m_dir.isValid());
    QFile::remove(m_dir.filePath(u"source.db"_s));
    QFile::remove(m_dir.filePath(u"target.db"_s));
    m_source = openDb(m_dir.filePath(u"source.db"_s));
    m_target = openDb(m_dir.filePath(u"target.db"_s));
}

void TestTransfer::refusesMalformed_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");
    const QByteArray ok = R"({"id":"u1","role":"user"})";
    QTest::newRow("not json") << QByteArray("{") << u"not valid JSON"_s;
    QTest::newRow("array") << QByteArray("[]") << u"$: expected an object"_s;
    QTest::newRow("format") << QByteArray(R"({"format":"x","version":1})") << u"$.format"_s;
    QTest::newRow("no version") << QByteArray(R"({"format":"gatehouse-export"})")
                                << u"$.version: missing"_s;
    QTest::newRow("newer") << QByteArray(R"({"format":"gatehouse-export","version":2})")
                           << u"$.version: format version 2"_s;
    QTest::newRow("users not array")
        << QByteArray(R"({"format":"gatehouse-export","version":1,"users":{}})")
        << u"$.users: expected an array"_s;
    QTest::newRow("no id") << withUser(R"({"role":"user"})"_ba) << u"users[0].id: missing"_s;
    QTest::newRow("bad email") << withUser(R"({"id":"u1","role":"user","email":"x"})"_ba)
                               << u"users[0].email: not a valid email"_s;
    QTest::newRow("email number") << withUser(R"({"id":"u1","role":"user","email":5})"_ba)
                                  << u"users[0].email: expected a string"_s;
    QTest::newRow("same username twice")
        << withUser(R"({"id":"a","role":"user","username":"bob"},)"
                    R"({"id":"b","role":"user","username":"BOB"})"_ba)
        << u"users[1].username: username 'bob' appears twice"_s;
    QTest::newRow("hash not sensitive")
        << withUser(
               u"{\"id\":\"u1\",\"role\":\"user\",\"password_hash\":\"%1\"}"_s.arg(kHash).toUtf8())
        << u"users[0].password_hash: a hash in a file not marked"_s;
    QTest::newRow("hash not argon2id")
        << withUser(R"({"id":"u1","role":"user","pin_hash":"plain"})"_ba, true)
        << u"users[0].pin_hash: not an argon2id hash"_s;
    QTest::newRow("unknown field") << withUser(R"({"id":"u1","role":"user","passwordHash":""})"_ba)
                                   << u"users[0].passwordHash: unknown field"_s;
    QTest::newRow("flag as string") << withUser(R"({"id":"u1","role":"user","disabled":"yes"})"_ba)
                                    << u"users[0].disabled: expected true or false"_s;
    QTest::newRow("wallet network")
        << withUser(R"({"id":"u1","role":"user","wallets":[{"id":"w","network":"Doge",)"
                    R"("address":"a","wallet_type":"Embedded"}]})"_ba)
        << u"users[0].wallets[0].network: expected Solana or Ethereum"_s;
    QTest::newRow("identity subject")
        << withUser(R"({"id":"u1","role":"user","identities":[{"kind":"email"}]})"_ba)
        << u"users[0].identities[0].subject: missing"_s;
    QTest::newRow("role name")
        << QByteArray(R"({"format":"gatehouse-export","version":1,"pin_roles":[{"name":"a b"}]})")
        << u"pin_roles[0].name: not a valid role name"_s;
    QTest::newRow("permission not string")
        << QByteArray(R"({"format":"gatehouse-export","version":1,"pin_roles":)"
                      R"([{"name":"x","permissions":["users_read",3]}]})")
        << u"pin_roles[0].permissions[1]: expected a permission name"_s;
    QTest::newRow("namespace time")
        << QByteArray(R"({"format":"gatehouse-export","version":1,"namespaces":)"
                      R"([{"name":"prod","created_at":"today"}]})")
        << u"namespaces[0].created_at: expected a whole number"_s;
    QTest::newRow("telegram id")
        << QByteArray(R"({"format":"gatehouse-export","version":1,"telegram_bindings":)"
                      R"([{"telegram_user_id":"abc","namespace":"prod"}]})")
        << u"telegram_bindings[0].telegram_user_id: expected a Telegram user id"_s;
    QTest::newRow("a valid one still parses") << withUser(ok) << QString();
}

void TestTransfer::refusesMalformed()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    const auto parsed = Transfer::parseJson(json);
    if (error.isEmpty()) {
        QVERIFY2(parsed.ok(), qPrintable(parsed.error()));
        return;
    }
    QVERIFY(!parsed.ok());
    QVERIFY2(parsed.error().contains(error), qPrintable(parsed.error()));
}

void TestTransfer::fillSource()
{
    Users users(*m_source, m_clock);
    User ada;
    ada.id = u"11111111-1111-1111-1111-111111111111"_s;
    ada.email = u"ada@example.test"_s;
    ada.passwordHash = kHash;
    ada.role = u"manager"_s;
    QVERIFY(users.create(ada).ok());
    User bob;
    bob.id = u"22222222-2222-2222-2222-222222222222"_s;
    bob.username = u"bob"_s;
    bob.pinHash = kHash;
    bob.referrerId = ada.id;
    QVERIFY(users.create(bob).ok());
    exec(*m_source, u"INSERT INTO namespaces (name, created_at, created_by) "
                    u"VALUES ('prod', 5, 'cli')"_s);
    exec(*m_source, u"INSERT INTO identities VALUES ('email', 'ada@example.test', "
                    u"'11111111-1111-1111-1111-111111111111', 'ada@example.test', 7)"_s);
    exec(*m_source, u"INSERT INTO wallets VALUES ('w1', '11111111-1111-1111-1111-111111111111', "
                    u"'Solana', 'So1addr', 'Embedded', 'c2VhbGVk', 7)"_s);
    exec(*m_source, u"INSERT INTO telegram_bindings VALUES ('42', 'prod', 'fp-source', 'tg', "
                    u"'T', 'G', 9)"_s);
    exec(*m_source, u"INSERT INTO telegram_bindings VALUES ('43', 'prod', 'fp-old', 'st', "
                    u"'S', 'T', 9)"_s);
    exec(*m_source, u"INSERT INTO pin_roles VALUES ('r-kitchen', 'kitchen', 3)"_s);
    exec(*m_source, u"INSERT INTO pin_role_permissions SELECT 'r-kitchen', id FROM "
                    u"pin_permissions WHERE name IN ('orders_read', 'tickets_read')"_s);
}

void TestTransfer::jsonRoundTrip()
{
    fillSource();
    const auto doc = Transfer::collect(*m_source, u"fp-source"_s, true, 1234);
    QCOMPARE(doc.users.size(), 2);
    const auto parsed = Transfer::parseJson(Transfer::toJson(doc));
    QVERIFY2(parsed.ok(), qPrintable(parsed.error()));
    QCOMPARE(Transfer::toJson(*parsed), Transfer::toJson(doc));
    QCOMPARE(parsed->telegramBindings.size(), 1); // the stale 'fp-old' one stays behind
    QVERIFY(!Transfer::toJson(Transfer::collect(*m_source, u"fp-source"_s, false, 1))
                 .contains("argon2id"));
}

// Exported from the source, through JSON, as `gatehouse export FILE` writes it.
static Transfer::Document exported(const Database &db, bool sensitive)
{
    const auto parsed =
        Transfer::parseJson(Transfer::toJson(Transfer::collect(db, u"fp-source"_s, sensitive, 1)));
    if (!parsed)
        qFatal("export does not parse: %s", qPrintable(parsed.error()));
    return *parsed;
}

void TestTransfer::importIntoEmptyInstance()
{
    fillSource();
    // Each side has its own default admin (a random id): they are the same account.
    exec(*m_source, u"INSERT INTO users (id, username, role, is_admin, password_hash, "
                    u"created_at, updated_at) VALUES ('admin-s', 'admin', 'admin', 1, '"_s +
                        kHash + u"', 1, 1)"_s);
    exec(*m_target, u"INSERT INTO users (id, username, role, is_admin, password_hash, "
                    u"created_at, updated_at) VALUES ('admin-t', 'admin', 'admin', 1, 'old', "
                    u"1, 1)"_s);
    const auto report = Transfer::apply(*m_target, exported(*m_source, true), kFingerprint, 99);
    QVERIFY2(report.ok(), qPrintable(report.error()));
    QCOMPARE(report->users.created, 2);
    QCOMPARE(report->users.updated, 1); // the admin, matched by username
    QCOMPARE(report->namespaces.created, 1);
    QCOMPARE(report->pinRoles.created, 1); // kitchen; the seeded five are equal
    QCOMPARE(report->pinRoles.skipped, 5);
    QCOMPARE(report->identities.created, 1);
    QCOMPARE(report->wallets.created, 1);
    QCOMPARE(report->telegramBindings.created, 1);

    Users users(*m_target, m_clock);
    const auto ada = users.byEmail(u"ada@example.test"_s);
    QVERIFY(ada);
    QCOMPARE(ada->passwordHash, kHash);
    QCOMPARE(ada->role, u"manager"_s);
    QCOMPARE(users.byUsername(u"bob"_s)->referrerId, ada->id);
    QCOMPARE(users.byUsername(u"admin"_s)->id, u"admin-t"_s);
    QCOMPARE(users.byUsername(u"admin"_s)->passwordHash, kHash);
    QCOMPARE(scalar(*m_target, u"SELECT COUNT(*) FROM telegram_bindings WHERE "
                               u"telegram_user_id = '42' AND secret_fingerprint = 'fp-here'"_s),
             1);
    QCOMPARE(scalar(*m_target, u"SELECT COUNT(*) FROM pin_role_permissions rp JOIN pin_roles r "
                               u"ON r.id = rp.role_id WHERE r.name = 'kitchen'"_s),
             2);
    QCOMPARE(scalar(*m_target, u"SELECT COUNT(*) FROM wallets WHERE sealed_key = 'c2VhbGVk'"_s), 1);
}

void TestTransfer::secondImportChangesNothing()
{
    fillSource();
    const Transfer::Document doc = exported(*m_source, true);
    QVERIFY(Transfer::apply(*m_target, doc, kFingerprint, 99).ok());
    const QString before = contents(*m_target);
    const auto again = Transfer::apply(*m_target, doc, kFingerprint, 100);
    QVERIFY2(again.ok(), qPrintable(again.error()));
    for (const Transfer::Counts *c :
         {&again->namespaces, &again->pinRoles, &again->users, &again->identities, &again->wallets,
          &again->telegramBindings}) {
        QCOMPARE(c->created, 0);
        QCOMPARE(c->updated, 0);
    }
    QCOMPARE(again->users.skipped, 2);
    QCOMPARE(contents(*m_target), before);
}

void TestTransfer::hashesLeftOutKeepThoseHere()
{
    fillSource();
    const Transfer::Document doc = exported(*m_source, false);
    QVERIFY(!doc.sensitive);
    const auto first = Transfer::apply(*m_target, doc, kFingerprint, 99);
    QVERIFY2(first.ok(), qPrintable(first.error()));
    QCOMPARE(scalar(*m_target, u"SELECT COUNT(*) FROM users WHERE password_hash IS NULL AND "
                               u"pin_hash IS NULL"_s),
             2);
    exec(*m_target, u"UPDATE users SET password_hash = 'kept', updated_at = 5"_s);
    const auto again = Transfer::apply(*m_target, doc, kFingerprint, 100);
    QVERIFY(again.ok());
    QCOMPARE(again->users.skipped, 2);
    QCOMPARE(again->wallets.skipped, 1);
    QCOMPARE(scalar(*m_target, u"SELECT COUNT(*) FROM users WHERE password_hash = 'kept'"_s), 2);
}

void TestTransfer::conflictWritesNothing_data()
{
    QTest::addColumn<QString>("conflict");
    QTest::addColumn<QString>("error");
    QTest::newRow("username") << u"username"_s
                              << u"users[1].username: 'bob' belongs to another user here"_s;
    QTest::newRow("identity") << u"identity"_s
                              << u"users[0].identities[0]: email 'ada@example.test' is linked"_s;
    QTest::newRow("wallet") << u"wallet"_s
                            << u"users[0].wallets[0]: Solana wallet So1addr belongs to another"_s;
    QTest::newRow("wallet id") << u"wallet id"_s
                               << u"users[0].wallets[0]: wallet id w1 is used by another"_s;
    QTest::newRow("permission") << u"permission"_s << u"unknown permission 'nope'"_s;
    QTest::newRow("binding") << u"binding"_s
                             << u"telegram_bindings[0].namespace: no namespace 'prod'"_s;
}

void TestTransfer::conflictWritesNothing()
{
    QFETCH(QString, conflict);
    QFETCH(QString, error);
    fillSource();
    Transfer::Document doc = exported(*m_source, true);
    exec(*m_target, u"INSERT INTO users (id, username, role, created_at, updated_at) "
                    u"VALUES ('other', 'carol', 'user', 1, 1)"_s);
    if (conflict == u"username") {
        exec(*m_target, u"UPDATE users SET username = 'bob' WHERE id = 'other'"_s);
        exec(*m_target, u"INSERT INTO users (id, username, role, created_at, updated_at) VALUES "
                        u"('22222222-2222-2222-2222-222222222222', 'robert', 'user', 1, 1)"_s);
    } else if (conflict == u"identity") {
        exec(*m_target, u"INSERT INTO identities VALUES ('email', 'ada@example.test', 'other', "
                        u"'x', 1)"_s);
    } else if (conflict == u"wallet") {
        exec(*m_target, u"INSERT INTO wallets VALUES ('w9', 'other', 'Solana', 'So1addr', "
                        u"'Phantom', '', 1)"_s);
    } else if (conflict == u"wallet id") {
        exec(*m_target, u"INSERT INTO wallets VALUES ('w1', 'other', 'Ethereum', '0xabc', "
                        u"'Metamask', '', 1)"_s);
    } else if (conflict == u"permission") {
        doc.pinRoles.last().permissions << u"nope"_s;
    } else {
        doc.namespaces.clear();
    }
    const QString before = contents(*m_target);
    const auto report = Transfer::apply(*m_target, doc, kFingerprint, 99);
    QVERIFY(!report.ok());
    QVERIFY2(report.error().contains(error), qPrintable(report.error()));
    QCOMPARE(contents(*m_target), before);
}

void TestTransfer::dryRunWritesNothing()
{
    fillSource();
    const QString before = contents(*m_target);
    const auto report =
        Transfer::apply(*m_target, exported(*m_source, true), kFingerprint, 9, true);
    QVERIFY2(report.ok(), qPrintable(report.error()));
    QCOMPARE(report->users.created, 2);
    QCOMPARE(contents(*m_target), before);
}

QTEST_GUILESS_MAIN(TestTransfer)
#include "tst_transfer.moc"
