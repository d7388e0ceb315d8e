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

using namespace Qt::StringLiterals;

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
                *DatabaseUrl::parse(u"sqlite:"_s + m_dir->filePath(u"g.db"_s)));
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
    QTest::newRow("simple") << u"default"_s << true;
    QTest::newRow("one character") << u"a"_s << true;
    QTest::newRow("all allowed") << u"Team-1_prod.eu"_s << true;
    QTest::newRow("64 characters") << QString(64, u'n') << true;
    QTest::newRow("65 characters") << QString(65, u'n') << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("space") << u"my team"_s << false;
    QTest::newRow("slash") << u"a/b"_s << false;
    QTest::newRow("colon") << u"a:b"_s << false; // access tokens are SECRET:namespace
    QTest::newRow("percent") << u"a%"_s << false;
    QTest::newRow("non-ASCII letter") << u"büro"_s << false;
    QTest::newRow("cyrillic a") << u"\u0430dmin"_s << false;
    QTest::newRow("newline") << u"a\nb"_s << false;
}

void TestIdentity::namespaceNames()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(Namespaces::isValidName(name), valid);
    Namespaces ns(db(), *m_clock);
    const auto added = ns.add(name, u"admin"_s);
    QCOMPARE(bool(added), valid);
    if (!valid)
        QVERIFY(ns.list().isEmpty());
}

void TestIdentity::namespaceAddAndDuplicate()
{
    Namespaces ns(db(), *m_clock);
    const auto a = ns.add(u"alpha"_s, u"admin"_s);
    QVERIFY2(a, qPrintable(a.error()));
    QVERIFY(a->id > 0);
    QCOMPARE(a->name, u"alpha"_s);
    QCOMPARE(a->createdBy, u"admin"_s);
    QCOMPARE(a->createdAt, kStart);
    QVERIFY(!a->disabled);
    QCOMPARE(a->tokensValidAfter, qint64(0));

    const auto again = ns.add(u"alpha"_s, u"someone"_s);
    QVERIFY(!again);
    QVERIFY2(again.error().contains(u"already exists"), qPrintable(again.error()));
    QCOMPARE(ns.find(u"alpha"_s)->createdBy, u"admin"_s); // the first one stays
    QCOMPARE(ns.list().size(), 1);

    // Names are case-sensitive (as in the origin): Alpha is another namespace.
    QVERIFY(ns.add(u"Alpha"_s, u"admin"_s));
    QCOMPARE(ns.list().size(), 2);
}

void TestIdentity::namespaceList()
{
    Namespaces ns(db(), *m_clock);
    for (const QString &n : {u"zulu"_s, u"alpha"_s, u"mike"_s})
        QVERIFY(ns.add(n, u"admin"_s));
    QStringList names;
    for (const Namespace &n : ns.list())
        names << n.name;
    QCOMPARE(names, QStringList({u"alpha"_s, u"mike"_s, u"zulu"_s}));
}

void TestIdentity::namespaceDisableAndCache()
{
    Namespaces ns(db(), *m_clock);
    QVERIFY(ns.add(u"alpha"_s, u"admin"_s));
    QVERIFY(!ns.find(u"alpha"_s)->disabled); // now cached

    // Changes made through this object take effect at once.
    QVERIFY(ns.setDisabled(u"alpha"_s, true));
    QVERIFY(ns.find(u"alpha"_s)->disabled);
    QVERIFY(ns.setDisabled(u"alpha"_s, false));
    QVERIFY(!ns.find(u"alpha"_s)->disabled);
    QVERIFY(!ns.setDisabled(u"missing"_s, true));

    // A change made elsewhere (another instance, the CLI) shows within the 2 s cache.
    Namespaces other(db(), *m_clock);
    QVERIFY(other.setDisabled(u"alpha"_s, true));
    QVERIFY(!ns.find(u"alpha"_s)->disabled); // still the cached copy
    m_clock->advanceMs(1999);
    QVERIFY(!ns.find(u"alpha"_s)->disabled);
    m_clock->advanceMs(2);
    QVERIFY(ns.find(u"alpha"_s)->disabled);
}

void TestIdentity::namespaceSignOutEverywhere()
{
    Namespaces ns(db(), *m_clock);
    QVERIFY(ns.add(u"alpha"_s, u"admin"_s));
    QCOMPARE(ns.find(u"alpha"_s)->tokensValidAfter, qint64(0));
    m_clock->advanceSecs(100);
    QVERIFY(ns.signOutEverywhere(u"alpha"_s));
    QCOMPARE(ns.find(u"alpha"_s)->tokensValidAfter, kStart + 100'000);
    QVERIFY(!ns.signOutEverywhere(u"missing"_s));
}

void TestIdentity::namespaceRemove()
{
    Namespaces ns(db(), *m_clock);
    TelegramBindings bindings(db(), *m_clock);
    QVERIFY(ns.add(u"alpha"_s, u"admin"_s));
    QVERIFY(ns.add(u"beta"_s, u"admin"_s));
    QVERIFY(ns.find(u"alpha"_s)); // cached
    QCOMPARE(bindings.bind({u"1"_s, u"alpha"_s, u"fp"_s, {}, {}, {}, 0}),
             TelegramBindings::BindOutcome::Bound);
    QCOMPARE(bindings.bind({u"2"_s, u"beta"_s, u"fp"_s, {}, {}, {}, 0}),
             TelegramBindings::BindOutcome::Bound);

    QVERIFY(ns.remove(u"alpha"_s));
    QVERIFY(!ns.find(u"alpha"_s));   // not served from the cache
    QVERIFY(!bindings.find(u"1"_s)); // its bindings went with it
    QVERIFY(bindings.find(u"2"_s));
    QVERIFY(!ns.remove(u"alpha"_s));
    QCOMPARE(ns.list().size(), 1);
    // The name can be used again.
    QVERIFY(ns.add(u"alpha"_s, u"admin"_s));
}

void TestIdentity::namespaceResolve()
{
    Namespaces ns(db(), *m_clock);
    // Auto-create off: unknown names stay unknown, nothing is written.
    QVERIFY(!ns.resolve(u"fresh"_s, false, u"auto"_s));
    QVERIFY(ns.list().isEmpty());

    // Auto-create on: created on first use, found afterwards.
    const auto created = ns.resolve(u"fresh"_s, true, u"auto"_s);
    QVERIFY(created);
    QCOMPARE(created->name, u"fresh"_s);
    QCOMPARE(created->createdBy, u"auto"_s);
    const auto again = ns.resolve(u"fresh"_s, true, u"someone-else"_s);
    QVERIFY(again);
    QCOMPARE(again->id, created->id);
    QCOMPARE(again->createdBy, u"auto"_s);
    QCOMPARE(ns.list().size(), 1);
    // Existing ones resolve with auto-create off, too.
    QVERIFY(ns.resolve(u"fresh"_s, false, u"auto"_s));

    // Invalid names are never created.
    QVERIFY(!ns.resolve(u"bad name"_s, true, u"auto"_s));
    QVERIFY(!ns.resolve(QString(), true, u"auto"_s));
    QCOMPARE(ns.list().size(), 1);

    // A disabled namespace still resolves (the caller refuses it) and is not recreated.
    QVERIFY(ns.setDisabled(u"fresh"_s, true));
    const auto disabled = ns.resolve(u"fresh"_s, true, u"auto"_s);
    QVERIFY(disabled && disabled->disabled);
    QCOMPARE(ns.list().size(), 1);

    // Two objects (instances) racing to auto-create one name both get the same row.
    Namespaces other(db(), *m_clock);
    QVERIFY(!other.find(u"race"_s));
    const auto first = ns.resolve(u"race"_s, true, u"auto"_s);
    const auto second = other.resolve(u"race"_s, true, u"auto"_s);
    QVERIFY(first && second);
    QCOMPARE(first->id, second->id);
}

// ---------------------------------------------------------- TelegramBindings

void TestIdentity::bindingsBindAndRebind()
{
    TelegramBindings b(db(), *m_clock);
    QVERIFY(!b.find(u"42"_s));
    QCOMPARE(b.bind({u"42"_s, u"alpha"_s, u"fp1"_s, u"ann"_s, u"Ann"_s, u"Lee"_s, 0}),
             TelegramBindings::BindOutcome::Bound);
    auto found = b.find(u"42"_s);
    QVERIFY(found);
    QCOMPARE(found->ns, u"alpha"_s);
    QCOMPARE(found->fingerprint, u"fp1"_s);
    QCOMPARE(found->username, u"ann"_s);
    QCOMPARE(found->firstName, u"Ann"_s);
    QCOMPARE(found->lastName, u"Lee"_s);
    QCOMPARE(found->boundAt, kStart);

    // Binding again to the same namespace refreshes the row (new token fingerprint).
    m_clock->advanceSecs(10);
    QCOMPARE(b.bind({u"42"_s, u"alpha"_s, u"fp2"_s, u"ann2"_s, u"Ann"_s, QString(), 0}),
             TelegramBindings::BindOutcome::Bound);
    found = b.find(u"42"_s);
    QCOMPARE(found->fingerprint, u"fp2"_s);
    QCOMPARE(found->username, u"ann2"_s);
    QCOMPARE(found->boundAt, kStart + 10'000);
    QCOMPARE(b.list().size(), 1);
}

void TestIdentity::bindingsElsewhereAndUnbind()
{
    TelegramBindings b(db(), *m_clock);
    QCOMPARE(b.bind({u"42"_s, u"alpha"_s, u"fp"_s, {}, {}, {}, 0}),
             TelegramBindings::BindOutcome::Bound);
    QCOMPARE(b.bind({u"43"_s, u"alpha"_s, u"fp"_s, {}, {}, {}, 0}),
             TelegramBindings::BindOutcome::Bound);
    QCOMPARE(b.bind({u"44"_s, u"beta"_s, u"fp"_s, {}, {}, {}, 0}),
             TelegramBindings::BindOutcome::Bound);

    QCOMPARE(b.bind({u"42"_s, u"beta"_s, u"other"_s, {}, {}, {}, 0}),
             TelegramBindings::BindOutcome::AlreadyBoundElsewhere);
    QCOMPARE(b.find(u"42"_s)->ns, u"alpha"_s); // unchanged
    QCOMPARE(b.find(u"42"_s)->fingerprint, u"fp"_s);

    QCOMPARE(b.list(u"alpha"_s).size(), 2);
    QCOMPARE(b.list(u"beta"_s).size(), 1);
    QCOMPARE(b.list().size(), 3);

    QVERIFY(b.unbind(u"42"_s));
    QVERIFY(!b.unbind(u"42"_s));
    QVERIFY(!b.find(u"42"_s));
    // Once unbound, it may bind to another namespace.
    QCOMPARE(b.bind({u"42"_s, u"beta"_s, u"fp"_s, {}, {}, {}, 0}),
             TelegramBindings::BindOutcome::Bound);
    QCOMPARE(b.list(u"beta"_s).size(), 2);
}

// --------------------------------------------------------------------- Users

void TestIdentity::usernames_data()
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

void TestIdentity::emails()
{
    QFETCH(QString, email);
    QFETCH(bool, valid);
    QCOMPARE(Users::isValidEmail(email), valid);
}

void TestIdentity::usersCreate()
{
    Users users(db(), *m_clock);
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

void TestIdentity::usersDuplicates_data()
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

void TestIdentity::usersDuplicates()
{
    QFETCH(QString, username);
    QFETCH(QString, email);
    QFETCH(bool, ok);
    Users users(db(), *m_clock);
    QVERIFY(users.create(draft(u"Alice"_s, u"alice@example.com"_s)));
    const auto second = users.create(draft(username, email));
    QCOMPARE(bool(second), ok);
    if (!ok)
        QVERIFY2(second.error().contains(u"already in use"), qPrintable(second.error()));
    QCOMPARE(users.count(), qint64(ok ? 2 : 1));
}

void TestIdentity::usersByLogin()
{
    Users users(db(), *m_clock);
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

void TestIdentity::usersListAndCount()
{
    Users users(db(), *m_clock);
    QStringList ids;
    for (int i = 0; i < 12; ++i) {
        User d = draft(u"user%1"_s.arg(i, 2, 10, QChar(u'0')), u"user%1@example.com"_s.arg(i));
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

void TestIdentity::usersSearch()
{
    QFETCH(QString, search);
    QFETCH(QStringList, expected);
    Users users(db(), *m_clock);
    QVERIFY(users.create(draft(u"john_doe"_s, u"jd@example.com"_s, u"John Doe"_s)));
    m_clock->advanceMs(1);
    QVERIFY(users.create(draft(u"johnny"_s, u"johnny@example.com"_s, u"Johnny B"_s)));
    m_clock->advanceMs(1);
    QVERIFY(users.create(draft(u"mjane"_s, u"mj@example.org"_s, u"Mary Jane"_s)));
    m_clock->advanceMs(1);
    QVERIFY(users.create(draft(u"nobody"_s, u"x@example.net"_s)));

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
    const auto created = users.create(draft(u"alice"_s, u"alice@example.com"_s));
    QVERIFY(created);
    const QString id = created->id;
    const auto check = [&](const std::function<void(const User &)> &verify) {
        const auto u = users.byId(id);
        QVERIFY(u);
        verify(*u);
    };

    m_clock->advanceSecs(1);
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

    m_clock->advanceSecs(5);
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

void TestIdentity::usersRemove()
{
    Users users(db(), *m_clock);
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

// ---------------------------------------------------------------- TokenStore

void TestIdentity::tokensIssueAndFind()
{
    Secrets secrets;
    secrets.set(SecretName::signingKey, QByteArray(32, 'k'));
    TokenStore tokens(db(), *m_clock, secrets);
    const IssuedToken t = tokens.issue(TokenKind::refresh, u"user-1"_s, "secret-one", 10 * kMinute,
                                       u"iOS"_s, uR"({"device":"x"})"_s);
    QVERIFY(!QUuid::fromString(t.id).isNull());
    QCOMPARE(t.createdAt, kStart);
    QCOMPARE(t.expiresAt, kStart + 10 * kMinute);

    const auto found = tokens.findLive(TokenKind::refresh, "secret-one");
    QVERIFY(found);
    QCOMPARE(found->id, t.id);
    QCOMPARE(found->kind, TokenKind::refresh);
    QCOMPARE(found->userId, u"user-1"_s);
    QCOMPARE(found->label, u"iOS"_s);
    QCOMPARE(found->data, uR"({"device":"x"})"_s);
    QCOMPARE(found->expiresAt, kStart + 10 * kMinute);
    QCOMPARE(found->revokedAt, qint64(0));

    QVERIFY(!tokens.findLive(TokenKind::device, "secret-one")); // kind mismatch
    QVERIFY(!tokens.findLive(TokenKind::apiToken, "secret-one"));
    QVERIFY(!tokens.findLive(TokenKind::refresh, "secret-onE"));
    QVERIFY(!tokens.findLive(TokenKind::refresh, "secret-on"));
    QVERIFY(!tokens.findLive(TokenKind::refresh, QByteArray()));

    // The same secret issued under another kind is another token.
    const IssuedToken d = tokens.issue(TokenKind::device, u"user-1"_s, "secret-two", kMinute);
    QCOMPARE(tokens.findLive(TokenKind::device, "secret-two")->id, d.id);
    QCOMPARE(tokens.byId(d.id)->kind, TokenKind::device);
    QCOMPARE(tokens.byId(d.id)->label, QString());
    QVERIFY(!tokens.byId(u"nope"_s));
}

void TestIdentity::tokensExpiry()
{
    Secrets secrets;
    secrets.set(SecretName::signingKey, QByteArray(32, 'k'));
    TokenStore tokens(db(), *m_clock, secrets);
    tokens.issue(TokenKind::refresh, u"u"_s, "s", 10 * kMinute);
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
    const auto a = tokens.issue(TokenKind::refresh, u"u1"_s, "a", kMinute * 60);
    const auto b = tokens.issue(TokenKind::refresh, u"u1"_s, "b", kMinute * 60);
    const auto c = tokens.issue(TokenKind::device, u"u1"_s, "c", kMinute * 60);
    const auto d = tokens.issue(TokenKind::refresh, u"u1"_s, "d", kMinute * 60);
    const auto other = tokens.issue(TokenKind::refresh, u"u2"_s, "e", kMinute * 60);

    m_clock->advanceSecs(1);
    QVERIFY(tokens.revoke(a.id));
    QVERIFY(!tokens.revoke(a.id)); // already revoked
    QVERIFY(!tokens.revoke(u"nope"_s));
    QVERIFY(!tokens.findLive(TokenKind::refresh, "a"));
    QCOMPARE(tokens.byId(a.id)->revokedAt, kStart + 1000);

    // All of u1's refresh tokens except d: only b is still to revoke.
    QCOMPARE(tokens.revokeAllForUser(u"u1"_s, TokenKind::refresh, d.id), 1);
    QVERIFY(!tokens.findLive(TokenKind::refresh, "b"));
    QVERIFY(tokens.findLive(TokenKind::refresh, "d"));
    QVERIFY(tokens.findLive(TokenKind::device, "c"));
    QVERIFY(tokens.findLive(TokenKind::refresh, "e"));

    // Every kind for u1.
    QCOMPARE(tokens.revokeAllForUser(u"u1"_s), 2); // c and d
    QVERIFY(!tokens.findLive(TokenKind::device, "c"));
    QVERIFY(!tokens.findLive(TokenKind::refresh, "d"));
    QVERIFY(tokens.findLive(TokenKind::refresh, "e")); // another user's, untouched
    QCOMPARE(tokens.revokeAllForUser(u"u1"_s), 0);
    QCOMPARE(tokens.byId(other.id)->revokedAt, qint64(0));
    Q_UNUSED(b);
    Q_UNUSED(c);
}

void TestIdentity::tokensListCountPurge()
{
    Secrets secrets;
    secrets.set(SecretName::signingKey, QByteArray(32, 'k'));
    TokenStore tokens(db(), *m_clock, secrets);
    const auto shortLived = tokens.issue(TokenKind::refresh, u"u1"_s, "a", kMinute);
    m_clock->advanceMs(1);
    const auto longLived = tokens.issue(TokenKind::refresh, u"u1"_s, "b", 60 * kMinute);
    m_clock->advanceMs(1);
    const auto device = tokens.issue(TokenKind::device, u"u1"_s, "c", 60 * kMinute);
    m_clock->advanceMs(1);
    const auto revoked = tokens.issue(TokenKind::refresh, u"u2"_s, "d", 60 * kMinute);
    QVERIFY(tokens.revoke(revoked.id));

    TokenFilter all;
    all.liveOnly = false;
    QCOMPARE(tokens.count(all), qint64(4));
    QCOMPARE(tokens.count({}), qint64(3)); // live only by default
    QCOMPARE(tokens.count(live(u"u1"_s)), qint64(3));
    QCOMPARE(tokens.count(live(u"u1"_s, TokenKind::refresh)), qint64(2));
    QCOMPARE(tokens.count(live(u"u2"_s)), qint64(0));

    // Newest first.
    QStringList ids;
    for (const IssuedToken &t : tokens.list(live(u"u1"_s)))
        ids << t.id;
    QCOMPARE(ids, QStringList({device.id, longLived.id, shortLived.id}));
    TokenFilter paged{u"u1"_s, QString(), true, 1, 1};
    QCOMPARE(tokens.list(paged).size(), 1);
    QCOMPARE(tokens.list(paged).first().id, longLived.id);

    m_clock->advanceMs(2 * kMinute); // the short one has expired
    QCOMPARE(tokens.count(live(u"u1"_s)), qint64(2));
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
    const auto t = tokens.issue(TokenKind::device, u"u"_s, "s", 60 * kMinute);
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
    const auto t = tokens.issue(TokenKind::apiToken, u"u"_s, secret, kMinute);

    Sql q(db(), u"SELECT token_hash FROM issued_tokens WHERE id = :id"_s);
    q.bind(u":id"_s, t.id).exec();
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
    audit.record({0, 0, u"admin"_s, u"namespace.add"_s, u"ns:alpha"_s, u"console"_s, u"127.0.0.1"_s,
                  u"ok"_s, u"created"_s});
    m_clock->advanceSecs(1);
    audit.record({0, 0, u"anonymous"_s, u"namespace.auth"_s, u"ns:beta"_s, u"namespace"_s,
                  u"10.0.0.7"_s, u"denied"_s, u"wrong access token secret"_s});
    m_clock->advanceSecs(1);
    audit.record({0, kStart - 5000, u"cli"_s, u"user.disable"_s, u"user:bob"_s, u"cli"_s, QString(),
                  u"ok"_s, QString()}); // explicit time, null strings
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

void TestIdentity::auditPrune()
{
    AuditLog audit(db(), *m_clock);
    for (int i = 0; i < 10; ++i)
        audit.record({0, kStart + i * 1000, u"a"_s, u"x"_s, u"s"_s, u"console"_s, u"ip"_s, u"ok"_s,
                      QString()});
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
                    audit.record({0, 0, u"thread-%1"_s.arg(t), u"load"_s, QString::number(i),
                                  u"test"_s, QString(), u"ok"_s, QString()});
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
    Sql total(db(), u"SELECT COUNT(*), COUNT(DISTINCT actor || ':' || subject) FROM audit_log"_s);
    total.exec();
    QVERIFY(total.next());
    QCOMPARE(total.value(0).toInt(), kThreads * kEach);
    QCOMPARE(total.value(1).toInt(), kThreads * kEach); // none lost, none twice
}

QTEST_GUILESS_MAIN(TestIdentity)
#include "tst_identity.moc"
