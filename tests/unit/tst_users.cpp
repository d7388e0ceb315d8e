// SPDX-License-Identifier: GPL-3.0-or-later
// Users: names, emails, creation, search, setters, removal, against a real SQLite database.
#include "identity/audit.h"
#include "identity/users.h"
#include "storage/database.h"
#include "storage/storageerror.h"
#include "tempdatabase.h"

#include <QTest>
#include <QUuid>
#include <memory>

using namespace Qt::StringLiterals;

namespace {
constexpr qint64 kStart = 1'790'000'000'000;
User draft(const QString &username, const QString &email, const QString &display = QString())
{
    User u;
    u.username = username;
    u.email = email;
    u.displayName = display;
    return u;
}
} // namespace

class TestUsers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { m_fixture = std::make_unique<TempDatabase>(kStart); }
    void cleanup() { m_fixture.reset(); }

    void usernames_data();
    void usernames();
    void emails_data();
    void emails();
    void usersCreate();
    void usersDuplicates_data();
    void usersDuplicates();
    void usersByLogin();
    void usersListAndCount();
    void usersSearch_data();
    void usersSearch();
    void usersSetters();
    void usersRemove();

private:
    std::unique_ptr<TempDatabase> m_fixture;
    const Database &db() { return m_fixture->db(); }
};

// --------------------------------------------------------------------- Users

void TestUsers::usernames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::newRow("three") << u"abc"_s << true;
    QTest::newRow("all allowed") << u"A.b-c_9"_s << true;
    QTest::newRow("32") << QString(32, u'x') << true;
    QTest::newRow("33") << QString(33, u'x') << false;
    QTest::newRow("two") << u"ab"_s << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("space") << u"a b c"_s << false;
    QTest::newRow("at sign") << u"ann@x"_s << false;
    QTest::newRow("non-ASCII") << u"ännä"_s << false;
    QTest::newRow("trailing newline") << u"abc\n"_s << false;
    QTest::newRow("plus") << u"a+b"_s << false;
}

void TestUsers::usernames()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(Users::isValidUsername(name), valid);
}

void TestUsers::emails_data()
{
    QTest::addColumn<QString>("email");
    QTest::addColumn<bool>("valid");
    QTest::newRow("simple") << u"ann@example.com"_s << true;
    QTest::newRow("plus and dots") << u"ann.lee+tag@mail.example.co.uk"_s << true;
    QTest::newRow("single-label domain") << u"root@localhost"_s << true;
    QTest::newRow("hyphen in domain") << u"a@my-host.example"_s << true;
    QTest::newRow("64-char local part") << QString(64, u'a') + u"@example.com"_s << true;
    QTest::newRow("65-char local part") << QString(65, u'a') + u"@example.com"_s << false;
    const QString label(63, u'x');
    QTest::newRow("254 characters")
        << QString(64, u'a') + u'@' + label + u'.' + label + u'.' + QString(57, u'y') + u".com"_s
        << true;
    QTest::newRow("255 characters")
        << QString(64, u'a') + u'@' + label + u'.' + label + u'.' + QString(58, u'y') + u".com"_s
        << false;
    QTest::newRow("64-character domain label") << u"a@"_s + QString(64, u'x') + u".com"_s << false;
    QTest::newRow("no at") << u"ann.example.com"_s << false;
    QTest::newRow("two ats") << u"a@b@example.com"_s << false;
    QTest::newRow("empty local") << u"@example.com"_s << false;
    QTest::newRow("empty domain") << u"ann@"_s << false;
    QTest::newRow("space") << u"ann lee@example.com"_s << false;
    QTest::newRow("domain starts with hyphen") << u"a@-example.com"_s << false;
    QTest::newRow("domain ends with dot") << u"a@example.com."_s << false;
    QTest::newRow("double dot in domain") << u"a@example..com"_s << false;
    QTest::newRow("quotes") << u"\"a\"@example.com"_s << false;
    QTest::newRow("angle brackets") << u"<a@example.com>"_s << false;
    QTest::newRow("newline") << u"a@example.com\n"_s << false;
    QTest::newRow("header injection") << u"a@example.com\r\nBcc: x@evil.com"_s << false;
    QTest::newRow("empty") << QString() << false;
}

void TestUsers::emails()
{
    QFETCH(QString, email);
    QFETCH(bool, valid);
    QCOMPARE(Users::isValidEmail(email), valid);
}

void TestUsers::usersCreate()
{
    Users users(db(), m_fixture->clock());
    User d = draft(u"Alice"_s, u"Alice@Example.COM"_s, u"Alice Liddell"_s);
    d.passwordHash = u"$argon2id$stub"_s;
    d.role = u"editor"_s;
    const auto created = users.create(d);
    QVERIFY2(created, qPrintable(created.error()));
    QVERIFY(!QUuid::fromString(created->id).isNull());
    QCOMPARE(created->username, u"alice"_s);
    QCOMPARE(created->email, u"alice@example.com"_s);
    QCOMPARE(created->createdAt, kStart);

    const auto stored = users.byId(created->id);
    QVERIFY(stored);
    QCOMPARE(stored->username, u"alice"_s);
    QCOMPARE(stored->email, u"alice@example.com"_s);
    QCOMPARE(stored->displayName, u"Alice Liddell"_s); // kept as typed
    QCOMPARE(stored->passwordHash, u"$argon2id$stub"_s);
    QCOMPARE(stored->pinHash, QString());
    QCOMPARE(stored->role, u"editor"_s);
    QVERIFY(!stored->isAdmin);
    QVERIFY(!stored->disabled);
    QVERIFY(!stored->emailVerified);
    QCOMPARE(stored->createdAt, kStart);
    QCOMPARE(stored->updatedAt, kStart);

    // Users without a username or without an email (several may lack each).
    QVERIFY(users.create(draft(QString(), u"only-email@example.com"_s)));
    QVERIFY(users.create(draft(QString(), u"other-email@example.com"_s)));
    QVERIFY(users.create(draft(u"only-name"_s, QString())));
    QVERIFY(users.create(draft(u"other-name"_s, QString())));
    QCOMPARE(users.count(), qint64(5));
    QVERIFY(!users.byId(u"no-such-id"_s));
}

void TestUsers::usersDuplicates_data()
{
    QTest::addColumn<QString>("username");
    QTest::addColumn<QString>("email");
    QTest::addColumn<bool>("ok");
    QTest::newRow("same username") << u"alice"_s << u"new@example.com"_s << false;
    QTest::newRow("username other case") << u"ALICE"_s << u"new@example.com"_s << false;
    QTest::newRow("same email") << u"newname"_s << u"alice@example.com"_s << false;
    QTest::newRow("email other case") << u"newname"_s << u"Alice@EXAMPLE.com"_s << false;
    QTest::newRow("email only, taken") << QString() << u"ALICE@example.com"_s << false;
    QTest::newRow("both new") << u"bob"_s << u"bob@example.com"_s << true;
}

void TestUsers::usersDuplicates()
{
    QFETCH(QString, username);
    QFETCH(QString, email);
    QFETCH(bool, ok);
    Users users(db(), m_fixture->clock());
    QVERIFY(users.create(draft(u"Alice"_s, u"alice@example.com"_s)));
    const auto second = users.create(draft(username, email));
    QCOMPARE(bool(second), ok);
    if (!ok)
        QVERIFY2(second.error().contains(u"already in use"), qPrintable(second.error()));
    QCOMPARE(users.count(), qint64(ok ? 2 : 1));
}

void TestUsers::usersByLogin()
{
    Users users(db(), m_fixture->clock());
    const auto alice = users.create(draft(u"alice"_s, u"alice@example.com"_s));
    QVERIFY(alice);
    QCOMPARE(users.byLogin(u"alice"_s)->id, alice->id);
    QCOMPARE(users.byLogin(u"ALICE"_s)->id, alice->id);
    QCOMPARE(users.byLogin(u"Alice@Example.com"_s)->id, alice->id);
    QCOMPARE(users.byUsername(u"Alice"_s)->id, alice->id);
    QCOMPARE(users.byEmail(u"ALICE@EXAMPLE.COM"_s)->id, alice->id);
    QVERIFY(!users.byLogin(u"alic"_s));
    QVERIFY(!users.byLogin(u"alice@example.co"_s));
    QVERIFY(!users.byLogin(u"al%"_s));
    QVERIFY(!users.byLogin(QString()));
}

void TestUsers::usersListAndCount()
{
    Users users(db(), m_fixture->clock());
    QStringList ids;
    for (int i = 0; i < 12; ++i) {
        User d = draft(u"user%1"_s.arg(i, 2, 10, QChar(u'0')), u"user%1@example.com"_s.arg(i));
        d.isAdmin = i % 4 == 0;
        d.disabled = i % 3 == 0;
        const auto u = users.create(d);
        QVERIFY(u);
        ids << u->id;
        m_fixture->clock().advanceMs(1);
    }
    QCOMPARE(users.count(), qint64(12));
    UserQuery admins;
    admins.adminsOnly = true;
    QCOMPARE(users.count(admins), qint64(3)); // 0, 4, 8
    UserQuery disabled;
    disabled.disabledOnly = true;
    QCOMPARE(users.count(disabled), qint64(4)); // 0, 3, 6, 9
    UserQuery both;
    both.adminsOnly = both.disabledOnly = true;
    QCOMPARE(users.count(both), qint64(1)); // 0
    QCOMPARE(users.list(both).size(), 1);

    // Pages in creation order.
    UserQuery page;
    page.limit = 5;
    QStringList seen;
    for (page.offset = 0; page.offset < 15; page.offset += 5)
        for (const User &u : users.list(page))
            seen << u.id;
    QCOMPARE(seen, ids);
}

void TestUsers::usersSearch_data()
{
    QTest::addColumn<QString>("search");
    QTest::addColumn<QStringList>("expected"); // usernames
    QTest::newRow("username prefix") << u"jo"_s << QStringList{u"john_doe"_s, u"johnny"_s};
    QTest::newRow("prefix in upper case") << u"JOHNN"_s << QStringList{u"johnny"_s};
    QTest::newRow("email prefix") << u"jd@"_s << QStringList{u"john_doe"_s};
    QTest::newRow("display name prefix") << u"mary"_s << QStringList{u"mjane"_s};
    QTest::newRow("display name other case") << u"MARY J"_s << QStringList{u"mjane"_s};
    QTest::newRow("not a prefix") << u"ohn"_s << QStringList{};
    QTest::newRow("percent is literal") << u"%"_s << QStringList{};
    QTest::newRow("percent inside") << u"j%n"_s << QStringList{};
    QTest::newRow("underscore matches itself") << u"john_"_s << QStringList{u"john_doe"_s};
    QTest::newRow("no match") << u"zzz"_s << QStringList{};
}

void TestUsers::usersSearch()
{
    QFETCH(QString, search);
    QFETCH(QStringList, expected);
    Users users(db(), m_fixture->clock());
    QVERIFY(users.create(draft(u"john_doe"_s, u"jd@example.com"_s, u"John Doe"_s)));
    m_fixture->clock().advanceMs(1);
    QVERIFY(users.create(draft(u"johnny"_s, u"johnny@example.com"_s, u"Johnny B"_s)));
    m_fixture->clock().advanceMs(1);
    QVERIFY(users.create(draft(u"mjane"_s, u"mj@example.org"_s, u"Mary Jane"_s)));
    m_fixture->clock().advanceMs(1);
    QVERIFY(users.create(draft(u"nobody"_s, u"x@example.net"_s)));

    UserQuery q;
    q.search = search;
    QStringList found;
    for (const User &u : users.list(q))
        found << u.username;
    QCOMPARE(found, expected);
    QCOMPARE(users.count(q), qint64(expected.size()));
}

void TestUsers::usersSetters()
{
    Users users(db(), m_fixture->clock());
    const auto created = users.create(draft(u"alice"_s, u"alice@example.com"_s));
    QVERIFY(created);
    const QString id = created->id;
    const auto check = [&](const std::function<void(const User &)> &verify) {
        const auto u = users.byId(id);
        QVERIFY(u);
        verify(*u);
    };

    m_fixture->clock().advanceSecs(1);
    QVERIFY(users.setPasswordHash(id, u"$argon2id$new"_s));
    check([&](const User &u) {
        QCOMPARE(u.passwordHash, u"$argon2id$new"_s);
        QCOMPARE(u.updatedAt, kStart + 1000);
        QCOMPARE(u.createdAt, kStart);
    });
    QVERIFY(users.setPasswordHash(id, QString())); // cleared
    check([&](const User &u) { QCOMPARE(u.passwordHash, QString()); });

    QVERIFY(users.setPinHash(id, u"$argon2id$pin"_s));
    check([&](const User &u) { QCOMPARE(u.pinHash, u"$argon2id$pin"_s); });

    QVERIFY(users.setEmail(id, u"New@Example.com"_s, true));
    check([&](const User &u) {
        QCOMPARE(u.email, u"new@example.com"_s);
        QVERIFY(u.emailVerified);
    });
    QVERIFY(users.byEmail(u"new@example.com"_s));
    QVERIFY(!users.byEmail(u"alice@example.com"_s));
    QVERIFY(users.setEmailVerified(id, false));
    check([&](const User &u) { QVERIFY(!u.emailVerified); });

    QVERIFY(users.setDisplayName(id, u"Alice L."_s));
    check([&](const User &u) { QCOMPARE(u.displayName, u"Alice L."_s); });

    QVERIFY(users.setRole(id, u"admin"_s, true));
    check([&](const User &u) {
        QCOMPARE(u.role, u"admin"_s);
        QVERIFY(u.isAdmin);
    });

    QVERIFY(users.setDisabled(id, true));
    check([&](const User &u) { QVERIFY(u.disabled); });
    QVERIFY(users.setDisabled(id, false));
    check([&](const User &u) { QVERIFY(!u.disabled); });

    m_fixture->clock().advanceSecs(5);
    QVERIFY(users.signOutEverywhere(id));
    check([&](const User &u) {
        QCOMPARE(u.tokensValidAfter, kStart + 6000);
        QCOMPARE(u.updatedAt, kStart + 6000);
    });

    // Unknown ids change nothing and say so.
    QVERIFY(!users.setPasswordHash(u"nope"_s, u"x"_s));
    QVERIFY(!users.setDisabled(u"nope"_s, true));
    QVERIFY(!users.signOutEverywhere(u"nope"_s));

    // Taking another user's email is a constraint violation, not a silent success.
    QVERIFY(users.create(draft(u"bob"_s, u"bob@example.com"_s)));
    QVERIFY_THROWS_EXCEPTION(StorageError, users.setEmail(id, u"BOB@example.com"_s, false));
    check([&](const User &u) { QCOMPARE(u.email, u"new@example.com"_s); });
}

void TestUsers::usersRemove()
{
    Users users(db(), m_fixture->clock());
    const auto a = users.create(draft(u"alice"_s, u"alice@example.com"_s));
    const auto b = users.create(draft(u"bob"_s, u"bob@example.com"_s));
    QVERIFY(a && b);
    QVERIFY(users.remove(a->id));
    QVERIFY(!users.remove(a->id));
    QVERIFY(!users.byId(a->id));
    QVERIFY(users.byId(b->id));
    QCOMPARE(users.count(), qint64(1));
    // The name and email are free again.
    QVERIFY(users.create(draft(u"alice"_s, u"alice@example.com"_s)));
}

QTEST_GUILESS_MAIN(TestUsers)
#include "tst_users.moc"
