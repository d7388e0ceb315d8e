// SPDX-License-Identifier: GPL-3.0-or-later
// Identity services over a real, migrated SQLite file and a fake clock: Namespaces,
// TelegramBindings, Users, TokenStore and AuditLog.
#include "../support/fakeclock.h"
#include "config/secrets.h"
#include "crypto/digest.h"
#include "identity/audit.h"
#include "identity/namespaces.h"
#include "identity/telegrambindings.h"
#include "identity/tokenstore.h"
#include "identity/users.h"
#include "storage/database.h"
#include "storage/storageerror.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QUuid>
#include <functional>
#include <memory>

namespace {
constexpr qint64 kStart = 1'790'000'000'000;
constexpr qint64 kMinute = 60'000;

TokenFilter live(const QString &userId, const QString &kind = QString())
{
    TokenFilter f;
    f.userId = userId;
    f.kind = kind;
    return f;
}

User draft(const QString &username, const QString &email, const QString &display = QString())
{
    User u;
    u.username = username;
    u.email = email;
    u.displayName = display;
    return u;
}
} // namespace

class TestIdentity : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void namespaceNames_data();
    void namespaceNames();
    void namespaceAddAndDuplicate();
    void namespaceList();
    void namespaceDisableAndCache();
    void namespaceSignOutEverywhere();
    void namespaceRemove();
    void namespaceResolve();

    void bindingsBindAndRebind();
    void bindingsElsewhereAndUnbind();

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

    void tokensIssueAndFind();
    void tokensExpiry();
    void tokensRevoke();
    void tokensListCountPurge();
    void tokensTouch();
    void tokensHashIsKeyed();

    void auditRecordAndQuery();
    void auditPrune();
    void auditConcurrentRecord();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<FakeClock> m_clock;
    // Made on first use: the validation tables need no database (each costs ~0.1 s).
    const Database &db()
    {
        if (!m_db) {
            m_db = std::make_unique<Database>(
                *DatabaseUrl::parse(u"sqlite:"_qs + m_dir->filePath(u"g.db"_qs)));
            const auto opened = m_db->open();
            if (!opened)
                qFatal("cannot open the test database: %s", qPrintable(opened.error()));
        }
        return *m_db;
    }
};

void TestIdentity::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_clock = std::make_unique<FakeClock>(kStart);
}

void TestIdentity::cleanup()
{
    m_db.reset();
    m_dir.reset();
}

// ---------------------------------------------------------------- Namespaces

void TestIdentity::namespaceNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::newRow("simple") << u"default"_qs << true;
    QTest::newRow("one character") << u"a"_qs << true;
    QTest::newRow("all allowed") << u"Team-1_prod.eu"_qs << true;
    QTest::newRow("64 characters") << QString(64, u'n') << true;
    QTest::newRow("65 characters") << QString(65, u'n') << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("space") << u"my team"_qs << false;
    QTest::newRow("slash") << u"a/b"_qs << false;
    QTest::newRow("colon") << u"a:b"_qs << false; // access tokens are SECRET:namespace
    QTest::newRow("percent") << u"a%"_qs << false;
    QTest::newRow("non-ASCII letter") << u"büro"_qs << false;
    QTest::newRow("cyrillic a") << u"\u0430dmin"_qs << false;
    QTest::newRow("newline") << u"a\nb"_qs << false;
}

void TestIdentity::namespaceNames()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(Namespaces::isValidName(name), valid);
    Namespaces ns(db(), *m_clock);
    const auto added = ns.add(name, u"admin"_qs);
    QCOMPARE(bool(added), valid);
    if (!valid)
        QVERIFY(ns.list().isEmpty());
}

void TestIdentity::namespaceAddAndDuplicate()
{
    Namespaces ns(db(), *m_clock);
    const auto a = ns.add(u"alpha"_qs, u"admin"_qs);
    QVERIFY2(a, qPrintable(a.error()));
    QVERIFY(a->id > 0);
    QCOMPARE(a->name, u"alpha"_qs);
    QCOMPARE(a->createdBy, u"admin"_qs);
    QCOMPARE(a->createdAt, kStart);
    QVERIFY(!a->disabled);
    QCOMPARE(a->tokensValidAfter, qint64(0));

    const auto again = ns.add(u"alpha"_qs, u"someone"_qs);
    QVERIFY(!again);
    QVERIFY2(again.error().contains(u"already exists"), qPrintable(again.error()));
    QCOMPARE(ns.find(u"alpha"_qs)->createdBy, u"admin"_qs); // the first one stays
    QCOMPARE(ns.list().size(), 1);

    // Names are case-sensitive (as in the origin): Alpha is another namespace.
    QVERIFY(ns.add(u"Alpha"_qs, u"admin"_qs));
    QCOMPARE(ns.list().size(), 2);
}

void TestIdentity::namespaceList()
{
    Namespaces ns(db(), *m_clock);
    for (const QString &n : {u"zulu"_qs, u"alpha"_qs, u"mike"_qs})
        QVERIFY(ns.add(n, u"admin"_qs));
    QStringList names;
    for (const Namespace &n : ns.list())
        names << n.name;
    QCOMPARE(names, QStringList({u"alpha"_qs, u"mike"_qs, u"zulu"_qs}));
}

void TestIdentity::namespaceDisableAndCache()
{
    Namespaces ns(db(), *m_clock);
    QVERIFY(ns.add(u"alpha"_qs, u"admin"_qs));
    QVERIFY(!ns.find(u"alpha"_qs)->disabled); // now cached

    // Changes made through this object take effect at once.
    QVERIFY(ns.setDisabled(u"alpha"_qs, true));
    QVERIFY(ns.find(u"alpha"_qs)->disabled);
    QVERIFY(ns.setDisabled(u"alpha"_qs, false));
    QVERIFY(!ns.find(u"alpha"_qs)->disabled);
    QVERIFY(!ns.setDisabled(u"missing"_qs, true));

    // A change made elsewhere (another instance, the CLI) shows within the 2 s cache.
    Namespaces other(db(), *m_clock);
    QVERIFY(other.setDisabled(u"alpha"_qs, true));
    QVERIFY(!ns.find(u"alpha"_qs)->disabled); // still the cached copy
    m_clock->advanceMs(1999);
    QVERIFY(!ns.find(u"alpha"_qs)->disabled);
    m_clock->advanceMs(2);
    QVERIFY(ns.find(u"alpha"_qs)->disabled);
}

void TestIdentity::namespaceSignOutEverywhere()
{
    Namespaces ns(db(), *m_clock);
    QVERIFY(ns.add(u"alpha"_qs, u"admin"_qs));
    QCOMPARE(ns.find(u"alpha"_qs)->tokensValidAfter, qint64(0));
    m_clock->advanceSecs(100);
    QVERIFY(ns.signOutEverywhere(u"alpha"_qs));
    QCOMPARE(ns.find(u"alpha"_qs)->tokensValidAfter, kStart + 100'000);
    QVERIFY(!ns.signOutEverywhere(u"missing"_qs));
}

void TestIdentity::namespaceRemove()
{
    Namespaces ns(db(), *m_clock);
    TelegramBindings bindings(db(), *m_clock);
    QVERIFY(ns.add(u"alpha"_qs, u"admin"_qs));
    QVERIFY(ns.add(u"beta"_qs, u"admin"_qs));
    QVERIFY(ns.find(u"alpha"_qs)); // cached
    QCOMPARE(bindings.bind({u"1"_qs, u"alpha"_qs, u"fp"_qs, {}, {}, {}, 0}),
             TelegramBindings::BindOutcome::Bound);
    QCOMPARE(bindings.bind({u"2"_qs, u"beta"_qs, u"fp"_qs, {}, {}, {}, 0}),
             TelegramBindings::BindOutcome::Bound);

    QVERIFY(ns.remove(u"alpha"_qs));
    QVERIFY(!ns.find(u"alpha"_qs));   // not served from the cache
    QVERIFY(!bindings.find(u"1"_qs)); // its bindings went with it
    QVERIFY(bindings.find(u"2"_qs));
    QVERIFY(!ns.remove(u"alpha"_qs));
    QCOMPARE(ns.list().size(), 1);
    // The name can be used again.
    QVERIFY(ns.add(u"alpha"_qs, u"admin"_qs));
}

void TestIdentity::namespaceResolve()
{
    Namespaces ns(db(), *m_clock);
    // Auto-create off: unknown names stay unknown, nothing is written.
    QVERIFY(!ns.resolve(u"fresh"_qs, false, u"auto"_qs));
    QVERIFY(ns.list().isEmpty());

    // Auto-create on: created on first use, found afterwards.
    const auto created = ns.resolve(u"fresh"_qs, true, u"auto"_qs);
    QVERIFY(created);
    QCOMPARE(created->name, u"fresh"_qs);
    QCOMPARE(created->createdBy, u"auto"_qs);
    const auto again = ns.resolve(u"fresh"_qs, true, u"someone-else"_qs);
    QVERIFY(again);
    QCOMPARE(again->id, created->id);
    QCOMPARE(again->createdBy, u"auto"_qs);
    QCOMPARE(ns.list().size(), 1);
    // Existing ones resolve with auto-create off, too.
    QVERIFY(ns.resolve(u"fresh"_qs, false, u"auto"_qs));

    // Invalid names are never created.
    QVERIFY(!ns.resolve(u"bad name"_qs, true, u"auto"_qs));
    QVERIFY(!ns.resolve(QString(), true, u"auto"_qs));
    QCOMPARE(ns.list().size(), 1);

    // A disabled namespace still resolves (the caller refuses it) and is not recreated.
    QVERIFY(ns.setDisabled(u"fresh"_qs, true));
    const auto disabled = ns.resolve(u"fresh"_qs, true, u"auto"_qs);
    QVERIFY(disabled && disabled->disabled);
    QCOMPARE(ns.list().size(), 1);

    // Two objects (instances) racing to auto-create one name both get the same row.
    Namespaces other(db(), *m_clock);
    QVERIFY(!other.find(u"race"_qs));
    const auto first = ns.resolve(u"race"_qs, true, u"auto"_qs);
    const auto second = other.resolve(u"race"_qs, true, u"auto"_qs);
    QVERIFY(first && second);
    QCOMPARE(first->id, second->id);
}

// ---------------------------------------------------------- TelegramBindings

void TestIdentity::bindingsBindAndRebind()
{
    TelegramBindings b(db(), *m_clock);
    QVERIFY(!b.find(u"42"_qs));
    QCOMPARE(b.bind({u"42"_qs, u"alpha"_qs, u"fp1"_qs, u"ann"_qs, u"Ann"_qs, u"Lee"_qs, 0}),
             TelegramBindings::BindOutcome::Bound);
    auto found = b.find(u"42"_qs);
    QVERIFY(found);
    QCOMPARE(found->ns, u"alpha"_qs);
    QCOMPARE(found->fingerprint, u"fp1"_qs);
    QCOMPARE(found->username, u"ann"_qs);
    QCOMPARE(found->firstName, u"Ann"_qs);
    QCOMPARE(found->lastName, u"Lee"_qs);
    QCOMPARE(found->boundAt, kStart);

    // Binding again to the same namespace refreshes the row (new token fingerprint).
    m_clock->advanceSecs(10);
    QCOMPARE(b.bind({u"42"_qs, u"alpha"_qs, u"fp2"_qs, u"ann2"_qs, u"Ann"_qs, QString(), 0}),
             TelegramBindings::BindOutcome::Bound);
    found = b.find(u"42"_qs);
    QCOMPARE(found->fingerprint, u"fp2"_qs);
    QCOMPARE(found->username, u"ann2"_qs);
    QCOMPARE(found->boundAt, kStart + 10'000);
    QCOMPARE(b.list().size(), 1);
}

void TestIdentity::bindingsElsewhereAndUnbind()
{
    TelegramBindings b(db(), *m_clock);
    QCOMPARE(b.bind({u"42"_qs, u"alpha"_qs, u"fp"_qs, {}, {}, {}, 0}),
             TelegramBindings::BindOutcome::Bound);
    QCOMPARE(b.bind({u"43"_qs, u"alpha"_qs, u"fp"_qs, {}, {}, {}, 0}),
             TelegramBindings::BindOutcome::Bound);
    QCOMPARE(b.bind({u"44"_qs, u"beta"_qs, u"fp"_qs, {}, {}, {}, 0}),
             TelegramBindings::BindOutcome::Bound);

    QCOMPARE(b.bind({u"42"_qs, u"beta"_qs, u"other"_qs, {}, {}, {}, 0}),
             TelegramBindings::BindOutcome::AlreadyBoundElsewhere);
    QCOMPARE(b.find(u"42"_qs)->ns, u"alpha"_qs); // unchanged
    QCOMPARE(b.find(u"42"_qs)->fingerprint, u"fp"_qs);

    QCOMPARE(b.list(u"alpha"_qs).size(), 2);
    QCOMPARE(b.list(u"beta"_qs).size(), 1);
    QCOMPARE(b.list().size(), 3);

    QVERIFY(b.unbind(u"42"_qs));
    QVERIFY(!b.unbind(u"42"_qs));
    QVERIFY(!b.find(u"42"_qs));
    // Once unbound, it may bind to another namespace.
    QCOMPARE(b.bind({u"42"_qs, u"beta"_qs, u"fp"_qs, {}, {}, {}, 0}),
             TelegramBindings::BindOutcome::Bound);
    QCOMPARE(b.list(u"beta"_qs).size(), 2);
}

// --------------------------------------------------------------------- Users

void TestIdentity::usernames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::newRow("three") << u"abc"_qs << true;
    QTest::newRow("all allowed") << u"A.b-c_9"_qs << true;
    QTest::newRow("32") << QString(32, u'x') << true;
    QTest::newRow("33") << QString(33, u'x') << false;
    QTest::newRow("two") << u"ab"_qs << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("space") << u"a b c"_qs << false;
    QTest::newRow("at sign") << u"ann@x"_qs << false;
    QTest::newRow("non-ASCII") << u"ännä"_qs << false;
    QTest::newRow("trailing newline") << u"abc\n"_qs << false;
    QTest::newRow("plus") << u"a+b"_qs << false;
}

void TestIdentity::usernames()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(Users::isValidUsername(name), valid);
}

void TestIdentity::emails_data()
{
    QTest::addColumn<QString>("email");
    QTest::addColumn<bool>("valid");
    QTest::newRow("simple") << u"ann@example.com"_qs << true;
    QTest::newRow("plus and dots") << u"ann.lee+tag@mail.example.co.uk"_qs << true;
    QTest::newRow("single-label domain") << u"root@localhost"_qs << true;
    QTest::newRow("hyphen in domain") << u"a@my-host.example"_qs << true;
    QTest::newRow("64-char local part") << QString(64, u'a') + u"@example.com"_qs << true;
    QTest::newRow("65-char local part") << QString(65, u'a') + u"@example.com"_qs << false;
    const QString label(63, u'x');
    QTest::newRow("254 characters")
        << QString(64, u'a') + u'@' + label + u'.' + label + u'.' + QString(57, u'y') + u".com"_qs
        << true;
    QTest::newRow("255 characters")
        << QString(64, u'a') + u'@' + label + u'.' + label + u'.' + QString(58, u'y') + u".com"_qs
        << false;
    QTest::newRow("64-character domain label")
        << u"a@"_qs + QString(64, u'x') + u".com"_qs << false;
    QTest::newRow("no at") << u"ann.example.com"_qs << false;
    QTest::newRow("two ats") << u"a@b@example.com"_qs << false;
    QTest::newRow("empty local") << u"@example.com"_qs << false;
    QTest::newRow("empty domain") << u"ann@"_qs << false;
    QTest::newRow("space") << u"ann lee@example.com"_qs << false;
    QTest::newRow("domain starts with hyphen") << u"a@-example.com"_qs << false;
    QTest::newRow("domain ends with dot") << u"a@example.com."_qs << false;
    QTest::newRow("double dot in domain") << u"a@example..com"_qs << false;
    QTest::newRow("quotes") << u"\"a\"@example.com"_qs << false;
    QTest::newRow("angle brackets") << u"<a@example.com>"_qs << false;
    QTest::newRow("newline") << u"a@example.com\n"_qs << false;
    QTest::newRow("header injection") << u"a@example.com\r\nBcc: x@evil.com"_qs << false;
    QTest::newRow("empty") << QString() << false;
}

void TestIdentity::emails()
{
    QFETCH(QString, email);
    QFETCH(bool, valid);
    QCOMPARE(Users::isValidEmail(email), valid);
}

void TestIdentity::usersCreate()
{
    Users users(db(), *m_clock);
    User d = draft(u"Alice"_qs, u"Alice@Example.COM"_qs, u"Alice Liddell"_qs);
    d.passwordHash = u"$argon2id$stub"_qs;
    d.role = u"editor"_qs;
    const auto created = users.create(d);
    QVERIFY2(created, qPrintable(created.error()));
    QVERIFY(!QUuid::fromString(created->id).isNull());
    QCOMPARE(created->username, u"alice"_qs);
    QCOMPARE(created->email, u"alice@example.com"_qs);
    QCOMPARE(created->createdAt, kStart);

    const auto stored = users.byId(created->id);
    QVERIFY(stored);
    QCOMPARE(stored->username, u"alice"_qs);
    QCOMPARE(stored->email, u"alice@example.com"_qs);
    QCOMPARE(stored->displayName, u"Alice Liddell"_qs); // kept as typed
    QCOMPARE(stored->passwordHash, u"$argon2id$stub"_qs);
    QCOMPARE(stored->pinHash, QString());
    QCOMPARE(stored->role, u"editor"_qs);
    QVERIFY(!stored->isAdmin);
    QVERIFY(!stored->disabled);
    QVERIFY(!stored->emailVerified);
    QCOMPARE(stored->createdAt, kStart);
    QCOMPARE(stored->updatedAt, kStart);

    // Users without a username or without an email (several may lack each).
    QVERIFY(users.create(draft(QString(), u"only-email@example.com"_qs)));
    QVERIFY(users.create(draft(QString(), u"other-email@example.com"_qs)));
    QVERIFY(users.create(draft(u"only-name"_qs, QString())));
    QVERIFY(users.create(draft(u"other-name"_qs, QString())));
    QCOMPARE(users.count(), qint64(5));
    QVERIFY(!users.byId(u"no-such-id"_qs));
}

void TestIdentity::usersDuplicates_data()
{
    QTest::addColumn<QString>("username");
    QTest::addColumn<QString>("email");
    QTest::addColumn<bool>("ok");
    QTest::newRow("same username") << u"alice"_qs << u"new@example.com"_qs << false;
    QTest::newRow("username other case") << u"ALICE"_qs << u"new@example.com"_qs << false;
    QTest::newRow("same email") << u"newname"_qs << u"alice@example.com"_qs << false;
    QTest::newRow("email other case") << u"newname"_qs << u"Alice@EXAMPLE.com"_qs << false;
    QTest::newRow("email only, taken") << QString() << u"ALICE@example.com"_qs << false;
    QTest::newRow("both new") << u"bob"_qs << u"bob@example.com"_qs << true;
}

void TestIdentity::usersDuplicates()
{
    QFETCH(QString, username);
    QFETCH(QString, email);
    QFETCH(bool, ok);
    Users users(db(), *m_clock);
    QVERIFY(users.create(draft(u"Alice"_qs, u"alice@example.com"_qs)));
    const auto second = users.create(draft(username, email));
    QCOMPARE(bool(second), ok);
    if (!ok)
        QVERIFY2(second.error().contains(u"already in use"), qPrintable(second.error()));
    QCOMPARE(users.count(), qint64(ok ? 2 : 1));
}

void TestIdentity::usersByLogin()
{
    Users users(db(), *m_clock);
    const auto alice = users.create(draft(u"alice"_qs, u"alice@example.com"_qs));
    QVERIFY(alice);
    QCOMPARE(users.byLogin(u"alice"_qs)->id, alice->id);
    QCOMPARE(users.byLogin(u"ALICE"_qs)->id, alice->id);
    QCOMPARE(users.byLogin(u"Alice@Example.com"_qs)->id, alice->id);
    QCOMPARE(users.byUsername(u"Alice"_qs)->id, alice->id);
    QCOMPARE(users.byEmail(u"ALICE@EXAMPLE.COM"_qs)->id, alice->id);
    QVERIFY(!users.byLogin(u"alic"_qs));
    QVERIFY(!users.byLogin(u"alice@example.co"_qs));
    QVERIFY(!users.byLogin(u"al%"_qs));
    QVERIFY(!users.byLogin(QString()));
}

void TestIdentity::usersListAndCount()
{
    Users users(db(), *m_clock);
    QStringList ids;
    for (int i = 0; i < 12; ++i) {
        User d = draft(QStringLiteral("user%1").arg(i, 2, 10, QChar(u'0')),
                       QStringLiteral("user%1@example.com").arg(i));
        d.isAdmin = i % 4 == 0;
        d.disabled = i % 3 == 0;
        const auto u = users.create(d);
        QVERIFY(u);
        ids << u->id;
        m_clock->advanceMs(1);
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

void TestIdentity::usersSearch_data()
{
    QTest::addColumn<QString>("search");
    QTest::addColumn<QStringList>("expected"); // usernames
    QTest::newRow("username prefix") << u"jo"_qs << QStringList{u"john_doe"_qs, u"johnny"_qs};
    QTest::newRow("prefix in upper case") << u"JOHNN"_qs << QStringList{u"johnny"_qs};
    QTest::newRow("email prefix") << u"jd@"_qs << QStringList{u"john_doe"_qs};
    QTest::newRow("display name prefix") << u"mary"_qs << QStringList{u"mjane"_qs};
    QTest::newRow("display name other case") << u"MARY J"_qs << QStringList{u"mjane"_qs};
    QTest::newRow("not a prefix") << u"ohn"_qs << QStringList{};
    QTest::newRow("percent is literal") << u"%"_qs << QStringList{};
    QTest::newRow("percent inside") << u"j%n"_qs << QStringList{};
    QTest::newRow("underscore matches itself") << u"john_"_qs << QStringList{u"john_doe"_qs};
    QTest::newRow("no match") << u"zzz"_qs << QStringList{};
}

void TestIdentity::usersSearch()
{
    QFETCH(QString, search);
    QFETCH(QStringList, expected);
    Users users(db(), *m_clock);
    QVERIFY(users.create(draft(u"john_doe"_qs, u"jd@example.com"_qs, u"John Doe"_qs)));
    m_clock->advanceMs(1);
    QVERIFY(users.create(draft(u"johnny"_qs, u"johnny@example.com"_qs, u"Johnny B"_qs)));
    m_clock->advanceMs(1);
    QVERIFY(users.create(draft(u"mjane"_qs, u"mj@example.org"_qs, u"Mary Jane"_qs)));
    m_clock->advanceMs(1);
    QVERIFY(users.create(draft(u"nobody"_qs, u"x@example.net"_qs)));

    UserQuery q;
    q.search = search;
    QStringList found;
    for (const User &u : users.list(q))
        found << u.username;
    QCOMPARE(found, expected);
    QCOMPARE(users.count(q), qint64(expected.size()));
}

void TestIdentity::usersSetters()
{
    Users users(db(), *m_clock);
    const auto created = users.create(draft(u"alice"_qs, u"alice@example.com"_qs));
    QVERIFY(created);
    const QString id = created->id;
    const auto check = [&](const std::function<void(const User &)> &verify) {
        const auto u = users.byId(id);
        QVERIFY(u);
        verify(*u);
    };

    m_clock->advanceSecs(1);
    QVERIFY(users.setPasswordHash(id, u"$argon2id$new"_qs));
    check([&](const User &u) {
        QCOMPARE(u.passwordHash, u"$argon2id$new"_qs);
        QCOMPARE(u.updatedAt, kStart + 1000);
        QCOMPARE(u.createdAt, kStart);
    });
    QVERIFY(users.setPasswordHash(id, QString())); // cleared
    check([&](const User &u) { QCOMPARE(u.passwordHash, QString()); });

    QVERIFY(users.setPinHash(id, u"$argon2id$pin"_qs));
    check([&](const User &u) { QCOMPARE(u.pinHash, u"$argon2id$pin"_qs); });

    QVERIFY(users.setEmail(id, u"New@Example.com"_qs, true));
    check([&](const User &u) {
        QCOMPARE(u.email, u"new@example.com"_qs);
        QVERIFY(u.emailVerified);
    });
    QVERIFY(users.byEmail(u"new@example.com"_qs));
    QVERIFY(!users.byEmail(u"alice@example.com"_qs));
    QVERIFY(users.setEmailVerified(id, false));
    check([&](const User &u) { QVERIFY(!u.emailVerified); });

    QVERIFY(users.setDisplayName(id, u"Alice L."_qs));
    check([&](const User &u) { QCOMPARE(u.displayName, u"Alice L."_qs); });

    QVERIFY(users.setRole(id, u"admin"_qs, true));
    check([&](const User &u) {
        QCOMPARE(u.role, u"admin"_qs);
        QVERIFY(u.isAdmin);
    });

    QVERIFY(users.setDisabled(id, true));
    check([&](const User &u) { QVERIFY(u.disabled); });
    QVERIFY(users.setDisabled(id, false));
    check([&](const User &u) { QVERIFY(!u.disabled); });

    m_clock->advanceSecs(5);
    QVERIFY(users.signOutEverywhere(id));
    check([&](const User &u) {
        QCOMPARE(u.tokensValidAfter, kStart + 6000);
        QCOMPARE(u.updatedAt, kStart + 6000);
    });

    // Unknown ids change nothing and say so.
    QVERIFY(!users.setPasswordHash(u"nope"_qs, u"x"_qs));
    QVERIFY(!users.setDisabled(u"nope"_qs, true));
    QVERIFY(!users.signOutEverywhere(u"nope"_qs));

    // Taking another user's email is a constraint violation, not a silent success.
    QVERIFY(users.create(draft(u"bob"_qs, u"bob@example.com"_qs)));
    QVERIFY_THROWS_EXCEPTION(StorageError, users.setEmail(id, u"BOB@example.com"_qs, false));
    check([&](const User &u) { QCOMPARE(u.email, u"new@example.com"_qs); });
}

void TestIdentity::usersRemove()
{
    Users users(db(), *m_clock);
    const auto a = users.create(draft(u"alice"_qs, u"alice@example.com"_qs));
    const auto b = users.create(draft(u"bob"_qs, u"bob@example.com"_qs));
    QVERIFY(a && b);
    QVERIFY(users.remove(a->id));
    QVERIFY(!users.remove(a->id));
    QVERIFY(!users.byId(a->id));
    QVERIFY(users.byId(b->id));
    QCOMPARE(users.count(), qint64(1));
    // The name and email are free again.
    QVERIFY(users.create(draft(u"alice"_qs, u"alice@example.com"_qs)));
}

// ---------------------------------------------------------------- TokenStore

void TestIdentity::tokensIssueAndFind()
{
    Secrets secrets;
    secrets.set(SecretName::signingKey, QByteArray(32, 'k'));
    TokenStore tokens(db(), *m_clock, secrets);
    const IssuedToken t = tokens.issue(TokenKind::refresh, u"user-1"_qs, "secret-one", 10 * kMinute,
                                       u"iOS"_qs, uR"({"device":"x"})"_qs);
    QVERIFY(!QUuid::fromString(t.id).isNull());
    QCOMPARE(t.createdAt, kStart);
    QCOMPARE(t.expiresAt, kStart + 10 * kMinute);

    const auto found = tokens.findLive(TokenKind::refresh, "secret-one");
    QVERIFY(found);
    QCOMPARE(found->id, t.id);
    QCOMPARE(found->kind, TokenKind::refresh);
    QCOMPARE(found->userId, u"user-1"_qs);
    QCOMPARE(found->label, u"iOS"_qs);
    QCOMPARE(found->data, uR"({"device":"x"})"_qs);
    QCOMPARE(found->expiresAt, kStart + 10 * kMinute);
    QCOMPARE(found->revokedAt, qint64(0));

    QVERIFY(!tokens.findLive(TokenKind::device, "secret-one")); // kind mismatch
    QVERIFY(!tokens.findLive(TokenKind::apiToken, "secret-one"));
    QVERIFY(!tokens.findLive(TokenKind::refresh, "secret-onE"));
    QVERIFY(!tokens.findLive(TokenKind::refresh, "secret-on"));
    QVERIFY(!tokens.findLive(TokenKind::refresh, QByteArray()));

    // The same secret issued under another kind is another token.
    const IssuedToken d = tokens.issue(TokenKind::device, u"user-1"_qs, "secret-two", kMinute);
    QCOMPARE(tokens.findLive(TokenKind::device, "secret-two")->id, d.id);
    QCOMPARE(tokens.byId(d.id)->kind, TokenKind::device);
    QCOMPARE(tokens.byId(d.id)->label, QString());
    QVERIFY(!tokens.byId(u"nope"_qs));
}

void TestIdentity::tokensExpiry()
{
    Secrets secrets;
    secrets.set(SecretName::signingKey, QByteArray(32, 'k'));
    TokenStore tokens(db(), *m_clock, secrets);
    tokens.issue(TokenKind::refresh, u"u"_qs, "s", 10 * kMinute);
    m_clock->advanceMs(10 * kMinute - 1);
    QVERIFY(tokens.findLive(TokenKind::refresh, "s"));
    m_clock->advanceMs(1); // expiresAt == now: expired
    QVERIFY(!tokens.findLive(TokenKind::refresh, "s"));
    m_clock->advanceSecs(3600);
    QVERIFY(!tokens.findLive(TokenKind::refresh, "s"));
}

void TestIdentity::tokensRevoke()
{
    Secrets secrets;
    secrets.set(SecretName::signingKey, QByteArray(32, 'k'));
    TokenStore tokens(db(), *m_clock, secrets);
    const auto a = tokens.issue(TokenKind::refresh, u"u1"_qs, "a", kMinute * 60);
    const auto b = tokens.issue(TokenKind::refresh, u"u1"_qs, "b", kMinute * 60);
    const auto c = tokens.issue(TokenKind::device, u"u1"_qs, "c", kMinute * 60);
    const auto d = tokens.issue(TokenKind::refresh, u"u1"_qs, "d", kMinute * 60);
    const auto other = tokens.issue(TokenKind::refresh, u"u2"_qs, "e", kMinute * 60);

    m_clock->advanceSecs(1);
    QVERIFY(tokens.revoke(a.id));
    QVERIFY(!tokens.revoke(a.id)); // already revoked
    QVERIFY(!tokens.revoke(u"nope"_qs));
    QVERIFY(!tokens.findLive(TokenKind::refresh, "a"));
    QCOMPARE(tokens.byId(a.id)->revokedAt, kStart + 1000);

    // All of u1's refresh tokens except d: only b is still to revoke.
    QCOMPARE(tokens.revokeAllForUser(u"u1"_qs, TokenKind::refresh, d.id), 1);
    QVERIFY(!tokens.findLive(TokenKind::refresh, "b"));
    QVERIFY(tokens.findLive(TokenKind::refresh, "d"));
    QVERIFY(tokens.findLive(TokenKind::device, "c"));
    QVERIFY(tokens.findLive(TokenKind::refresh, "e"));

    // Every kind for u1.
    QCOMPARE(tokens.revokeAllForUser(u"u1"_qs), 2); // c and d
    QVERIFY(!tokens.findLive(TokenKind::device, "c"));
    QVERIFY(!tokens.findLive(TokenKind::refresh, "d"));
    QVERIFY(tokens.findLive(TokenKind::refresh, "e")); // another user's, untouched
    QCOMPARE(tokens.revokeAllForUser(u"u1"_qs), 0);
    QCOMPARE(tokens.byId(other.id)->revokedAt, qint64(0));
    Q_UNUSED(b);
    Q_UNUSED(c);
}

void TestIdentity::tokensListCountPurge()
{
    Secrets secrets;
    secrets.set(SecretName::signingKey, QByteArray(32, 'k'));
    TokenStore tokens(db(), *m_clock, secrets);
    const auto shortLived = tokens.issue(TokenKind::refresh, u"u1"_qs, "a", kMinute);
    m_clock->advanceMs(1);
    const auto longLived = tokens.issue(TokenKind::refresh, u"u1"_qs, "b", 60 * kMinute);
    m_clock->advanceMs(1);
    const auto device = tokens.issue(TokenKind::device, u"u1"_qs, "c", 60 * kMinute);
    m_clock->advanceMs(1);
    const auto revoked = tokens.issue(TokenKind::refresh, u"u2"_qs, "d", 60 * kMinute);
    QVERIFY(tokens.revoke(revoked.id));

    TokenFilter all;
    all.liveOnly = false;
    QCOMPARE(tokens.count(all), qint64(4));
    QCOMPARE(tokens.count({}), qint64(3)); // live only by default
    QCOMPARE(tokens.count(live(u"u1"_qs)), qint64(3));
    QCOMPARE(tokens.count(live(u"u1"_qs, TokenKind::refresh)), qint64(2));
    QCOMPARE(tokens.count(live(u"u2"_qs)), qint64(0));

    // Newest first.
    QStringList ids;
    for (const IssuedToken &t : tokens.list(live(u"u1"_qs)))
        ids << t.id;
    QCOMPARE(ids, QStringList({device.id, longLived.id, shortLived.id}));
    TokenFilter paged{u"u1"_qs, QString(), true, 1, 1};
    QCOMPARE(tokens.list(paged).size(), 1);
    QCOMPARE(tokens.list(paged).first().id, longLived.id);

    m_clock->advanceMs(2 * kMinute); // the short one has expired
    QCOMPARE(tokens.count(live(u"u1"_qs)), qint64(2));
    QCOMPARE(tokens.count(all), qint64(4));

    // Purge removes rows that expired before the cutoff; revoked rows wait for expiry.
    QCOMPARE(tokens.purgeExpired(kStart), 0);
    QCOMPARE(tokens.purgeExpired(m_clock->nowMs()), 1);
    QVERIFY(!tokens.byId(shortLived.id));
    QVERIFY(tokens.byId(revoked.id));
    QCOMPARE(tokens.count(all), qint64(3));
}

void TestIdentity::tokensTouch()
{
    Secrets secrets;
    secrets.set(SecretName::signingKey, QByteArray(32, 'k'));
    TokenStore tokens(db(), *m_clock, secrets);
    const auto t = tokens.issue(TokenKind::device, u"u"_qs, "s", 60 * kMinute);
    m_clock->advanceSecs(30);
    tokens.touch(*tokens.byId(t.id));
    QCOMPARE(tokens.byId(t.id)->lastUsedAt, kStart); // at most once a minute
    m_clock->advanceSecs(31);
    tokens.touch(*tokens.byId(t.id));
    QCOMPARE(tokens.byId(t.id)->lastUsedAt, kStart + 61'000);
}

void TestIdentity::tokensHashIsKeyed()
{
    Secrets secrets;
    secrets.set(SecretName::signingKey, QByteArray(32, 'k'));
    TokenStore tokens(db(), *m_clock, secrets);
    const QByteArray secret = "plain-bearer-token";
    const auto t = tokens.issue(TokenKind::apiToken, u"u"_qs, secret, kMinute);

    Sql q(db(), u"SELECT token_hash FROM issued_tokens WHERE id = :id"_qs);
    q.bind(u":id"_qs, t.id).exec();
    QVERIFY(q.next());
    const QString stored = q.value(0).toString();
    QCOMPARE(stored.size(), 64);
    QVERIFY(stored != Digest::tokenHash(secret));   // not plain SHA-256
    QVERIFY(stored != QString::fromLatin1(secret)); // not the token
    QVERIFY(!stored.contains(QString::fromLatin1(secret)));
    QCOMPARE(stored, tokens.hashOf(secret));

    // Another server key gives another hash: the table alone does not test guesses.
    Secrets otherSecrets;
    otherSecrets.set(SecretName::signingKey, QByteArray(32, 'j'));
    TokenStore other(db(), *m_clock, otherSecrets);
    QVERIFY(other.hashOf(secret) != stored);
    QVERIFY(!other.findLive(TokenKind::apiToken, secret));
    QVERIFY(tokens.findLive(TokenKind::apiToken, secret));
}

// ------------------------------------------------------------------ AuditLog

void TestIdentity::auditRecordAndQuery()
{
    AuditLog audit(db(), *m_clock);
    QSignalSpy recorded(&audit, &AuditLog::recorded);
    audit.record({0, 0, u"admin"_qs, u"namespace.add"_qs, u"ns:alpha"_qs, u"console"_qs,
                  u"127.0.0.1"_qs, u"ok"_qs, u"created"_qs});
    m_clock->advanceSecs(1);
    audit.record({0, 0, u"anonymous"_qs, u"namespace.auth"_qs, u"ns:beta"_qs, u"namespace"_qs,
                  u"10.0.0.7"_qs, u"denied"_qs, u"wrong access token secret"_qs});
    m_clock->advanceSecs(1);
    audit.record({0, kStart - 5000, u"cli"_qs, u"user.disable"_qs, u"user:bob"_qs, u"cli"_qs,
                  QString(), u"ok"_qs, QString()}); // explicit time, null strings
    audit.flush();
    QVERIFY(recorded.count() >= 1);

    const auto all = audit.query({});
    QCOMPARE(all.size(), 3);
    QCOMPARE(all[0].action, u"user.disable"_qs); // newest id first
    QCOMPARE(all[0].at, kStart - 5000);
    QCOMPARE(all[0].ip, QString());
    QCOMPARE(all[1].action, u"namespace.auth"_qs);
    QCOMPARE(all[1].at, kStart + 1000); // filled in from the clock
    QCOMPARE(all[1].ip, u"10.0.0.7"_qs);
    QCOMPARE(all[1].detail, u"wrong access token secret"_qs);
    QCOMPARE(all[2].actor, u"admin"_qs);
    QCOMPARE(all[2].at, kStart);
    QVERIFY(all[0].id > all[1].id && all[1].id > all[2].id);

    AuditFilter f;
    f.surface = u"namespace"_qs;
    QCOMPARE(audit.query(f).size(), 1);
    f = {};
    f.result = u"ok"_qs;
    QCOMPARE(audit.query(f).size(), 2);
    f = {};
    f.text = u"beta"_qs; // subject
    QCOMPARE(audit.query(f).size(), 1);
    f.text = u"10.0.0"_qs; // ip
    QCOMPARE(audit.query(f).size(), 1);
    f.text = u"token secret"_qs; // detail
    QCOMPARE(audit.query(f).size(), 1);
    f.text = u"admin"_qs; // actor
    QCOMPARE(audit.query(f).size(), 1);
    f.text = u"namespace."_qs; // action
    QCOMPARE(audit.query(f).size(), 2);
    f.surface = u"console"_qs; // combined
    QCOMPARE(audit.query(f).size(), 1);
    f = {};
    f.text = u"nothing like this"_qs;
    QCOMPARE(audit.query(f).size(), 0);
    f = {};
    f.limit = 2;
    QCOMPARE(audit.query(f).size(), 2);
    f.beforeId = all[1].id; // paging
    const auto older = audit.query(f);
    QCOMPARE(older.size(), 1);
    QCOMPARE(older[0].id, all[2].id);
}

void TestIdentity::auditPrune()
{
    AuditLog audit(db(), *m_clock);
    for (int i = 0; i < 10; ++i)
        audit.record({0, kStart + i * 1000, u"a"_qs, u"x"_qs, u"s"_qs, u"console"_qs, u"ip"_qs,
                      u"ok"_qs, QString()});
    audit.flush();
    QCOMPARE(audit.pruneOlderThan(kStart), qint64(0));
    QCOMPARE(audit.pruneOlderThan(kStart + 4000), qint64(4)); // strictly older
    const auto left = audit.query({});
    QCOMPARE(left.size(), 6);
    QCOMPARE(left.last().at, kStart + 4000);
    QCOMPARE(audit.pruneOlderThan(kStart + 100'000), qint64(6));
    QVERIFY(audit.query({}).isEmpty());
}

void TestIdentity::auditConcurrentRecord()
{
    constexpr int kThreads = 8;
    constexpr int kEach = 1500; // 12 000 in all: crosses the "flush soon" mark several times
    {
        AuditLog audit(db(), *m_clock);
        std::vector<std::unique_ptr<QThread>> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back(QThread::create([&audit, t] {
                for (int i = 0; i < kEach; ++i)
                    audit.record({0, 0, QStringLiteral("thread-%1").arg(t), u"load"_qs,
                                  QString::number(i), u"test"_qs, QString(), u"ok"_qs, QString()});
            }));
            threads.back()->start();
        }
        for (auto &thread : threads)
            QVERIFY(thread->wait(60000));
        audit.flush();
        AuditFilter f;
        f.limit = 10000;
        f.text = u"thread-3"_qs;
        QCOMPARE(audit.query(f).size(), kEach);
    } // the destructor flushes whatever the writer thread had not
    Sql total(db(), u"SELECT COUNT(*), COUNT(DISTINCT actor || ':' || subject) FROM audit_log"_qs);
    total.exec();
    QVERIFY(total.next());
    QCOMPARE(total.value(0).toInt(), kThreads * kEach);
    QCOMPARE(total.value(1).toInt(), kThreads * kEach); // none lost, none twice
}

QTEST_GUILESS_MAIN(TestIdentity)
#include "tst_identity.moc"
