// SPDX-License-Identifier: GPL-3.0-or-later
// Namespaces and Telegram bindings, against a real SQLite database.
#include "identity/audit.h"
#include "identity/namespaces.h"
#include "identity/telegrambindings.h"
#include "storage/database.h"
#include "tempdatabase.h"

#include <QTest>
#include <memory>

using namespace Qt::StringLiterals;

namespace {
constexpr qint64 kStart = 1'790'000'000'000;
} // namespace

class TestNamespaces : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { m_fixture = std::make_unique<TempDatabase>(kStart); }
    void cleanup() { m_fixture.reset(); }

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

private:
    std::unique_ptr<TempDatabase> m_fixture;
    const Database &db() { return m_fixture->db(); }
};

// ---------------------------------------------------------------- Namespaces

void TestNamespaces::namespaceNames_data()
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

void TestNamespaces::namespaceNames()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(Namespaces::isValidName(name), valid);
    Namespaces ns(db(), m_fixture->clock());
    const auto added = ns.add(name, u"admin"_s);
    QCOMPARE(bool(added), valid);
    if (!valid)
        QVERIFY(ns.list().isEmpty());
}

void TestNamespaces::namespaceAddAndDuplicate()
{
    Namespaces ns(db(), m_fixture->clock());
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

void TestNamespaces::namespaceList()
{
    Namespaces ns(db(), m_fixture->clock());
    for (const QString &n : {u"zulu"_s, u"alpha"_s, u"mike"_s})
        QVERIFY(ns.add(n, u"admin"_s));
    QStringList names;
    for (const Namespace &n : ns.list())
        names << n.name;
    QCOMPARE(names, QStringList({u"alpha"_s, u"mike"_s, u"zulu"_s}));
}

void TestNamespaces::namespaceDisableAndCache()
{
    Namespaces ns(db(), m_fixture->clock());
    QVERIFY(ns.add(u"alpha"_s, u"admin"_s));
    QVERIFY(!ns.find(u"alpha"_s)->disabled); // now cached

    // Changes made through this object take effect at once.
    QVERIFY(ns.setDisabled(u"alpha"_s, true));
    QVERIFY(ns.find(u"alpha"_s)->disabled);
    QVERIFY(ns.setDisabled(u"alpha"_s, false));
    QVERIFY(!ns.find(u"alpha"_s)->disabled);
    QVERIFY(!ns.setDisabled(u"missing"_s, true));

    // A change made elsewhere (another instance, the CLI) shows within the 2 s cache.
    Namespaces other(db(), m_fixture->clock());
    QVERIFY(other.setDisabled(u"alpha"_s, true));
    QVERIFY(!ns.find(u"alpha"_s)->disabled); // still the cached copy
    m_fixture->clock().advanceMs(1999);
    QVERIFY(!ns.find(u"alpha"_s)->disabled);
    m_fixture->clock().advanceMs(2);
    QVERIFY(ns.find(u"alpha"_s)->disabled);
}

void TestNamespaces::namespaceSignOutEverywhere()
{
    Namespaces ns(db(), m_fixture->clock());
    QVERIFY(ns.add(u"alpha"_s, u"admin"_s));
    QCOMPARE(ns.find(u"alpha"_s)->tokensValidAfter, qint64(0));
    m_fixture->clock().advanceSecs(100);
    QVERIFY(ns.signOutEverywhere(u"alpha"_s));
    QCOMPARE(ns.find(u"alpha"_s)->tokensValidAfter, kStart + 100'000);
    QVERIFY(!ns.signOutEverywhere(u"missing"_s));
}

void TestNamespaces::namespaceRemove()
{
    Namespaces ns(db(), m_fixture->clock());
    TelegramBindings bindings(db(), m_fixture->clock());
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

void TestNamespaces::namespaceResolve()
{
    Namespaces ns(db(), m_fixture->clock());
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
    Namespaces other(db(), m_fixture->clock());
    QVERIFY(!other.find(u"race"_s));
    const auto first = ns.resolve(u"race"_s, true, u"auto"_s);
    const auto second = other.resolve(u"race"_s, true, u"auto"_s);
    QVERIFY(first && second);
    QCOMPARE(first->id, second->id);
}

// ---------------------------------------------------------- TelegramBindings

void TestNamespaces::bindingsBindAndRebind()
{
    TelegramBindings b(db(), m_fixture->clock());
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
    m_fixture->clock().advanceSecs(10);
    QCOMPARE(b.bind({u"42"_s, u"alpha"_s, u"fp2"_s, u"ann2"_s, u"Ann"_s, QString(), 0}),
             TelegramBindings::BindOutcome::Bound);
    found = b.find(u"42"_s);
    QCOMPARE(found->fingerprint, u"fp2"_s);
    QCOMPARE(found->username, u"ann2"_s);
    QCOMPARE(found->boundAt, kStart + 10'000);
    QCOMPARE(b.list().size(), 1);
}

void TestNamespaces::bindingsElsewhereAndUnbind()
{
    TelegramBindings b(db(), m_fixture->clock());
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

QTEST_GUILESS_MAIN(TestNamespaces)
#include "tst_namespaces.moc"
