// SPDX-License-Identifier: GPL-3.0-or-later
// The per-process caches behind token checks (FreshCache, Users::current,
// TokenStore::findLive/current): a revoked session, a disabled, deleted or signed-out user
// is refused on the very next check; a change made by another process is seen within the
// cache's age; memory stays bounded. Against a real SQLite database and a fake clock.
#include "config/secrets.h"
#include "identity/freshcache.h"
#include "identity/tokenstore.h"
#include "identity/users.h"
#include "storage/database.h"
#include "tempdatabase.h"

#include <QTest>
#include <memory>

using namespace Qt::StringLiterals;

namespace {
constexpr qint64 kStart = 1'790'000'000'000;
constexpr qint64 kHour = 3'600'000;

// A change made by another process (another instance, the CLI): straight SQL, so no
// cache in this process hears of it.
void elsewhere(const Database &db, const QString &sql)
{
    db.write([&] { Sql(db, sql).exec(); });
}

User named(const QString &username)
{
    User u;
    u.username = username;
    return u;
}
} // namespace

class TestFreshCache : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { m_fixture = std::make_unique<TempDatabase>(kStart); }
    void cleanup() { m_fixture.reset(); }

    void cacheServesWithoutLoading();
    void cacheForgetsAndExpires();
    void cacheStaysBounded();
    void cacheDropsLoadRacingAForget();
    void userChangesSeenOnNextCheck();
    void userChangedElsewhereSeenWithinMaxAge();
    void userChangeInsideTransaction();
    void sessionRevocationSeenOnNextCheck();
    void sessionRevokedElsewhereSeenWithinMaxAge();

private:
    std::unique_ptr<TempDatabase> m_fixture;
    const Database &db() { return m_fixture->db(); }
    FakeClock &clock() { return m_fixture->clock(); }
    Secrets m_secrets;
};

void TestFreshCache::cacheServesWithoutLoading()
{
    FreshCache<int> cache(clock(), {.maxAgeMs = 500, .capacity = 10});
    int loads = 0;
    const auto load = [&] { return std::optional(++loads); };
    QCOMPARE(cache.get(u"a"_s, load), std::optional(1));
    QCOMPARE(cache.get(u"a"_s, load), std::optional(1));
    QCOMPARE(loads, 1);
    // Misses are never kept: a row created later is found at once.
    QCOMPARE(cache.get(u"b"_s, [] { return std::optional<int>(); }), std::nullopt);
    QCOMPARE(cache.get(u"b"_s, [] { return std::optional(7); }), std::optional(7));
}

void TestFreshCache::cacheForgetsAndExpires()
{
    FreshCache<int> cache(clock(), {.maxAgeMs = 500, .capacity = 10});
    int value = 1;
    const auto load = [&] { return std::optional(value); };
    cache.get(u"a"_s, load);
    value = 2;
    clock().advanceMs(499);
    QCOMPARE(cache.get(u"a"_s, load), std::optional(1)); // still fresh
    clock().advanceMs(1);
    QCOMPARE(cache.get(u"a"_s, load), std::optional(2)); // 500 ms old: read again
    value = 3;
    cache.forget(u"a"_s);
    QCOMPARE(cache.get(u"a"_s, load), std::optional(3));
    value = 4;
    cache.forgetIf([](int v) { return v == 3; });
    QCOMPARE(cache.get(u"a"_s, load), std::optional(4));
    value = 5;
    clock().advanceMs(-10'000); // the clock set back: nothing counts as fresh
    QCOMPARE(cache.get(u"a"_s, load), std::optional(5));
}

void TestFreshCache::cacheStaysBounded()
{
    FreshCache<int> cache(clock(), {.maxAgeMs = 500, .capacity = 100});
    for (int i = 0; i < 10'000; ++i) {
        cache.get(QString::number(i), [&] { return std::optional(i); });
        QVERIFY2(cache.size() <= 100, qPrintable(QString::number(cache.size())));
    }
    // Expired rows make room first: after they age, a new row does not clear the rest.
    clock().advanceMs(500);
    cache.get(u"new"_s, [] { return std::optional(1); });
    QCOMPARE(cache.size(), 1);
    FreshCache<int> off(clock(), {.maxAgeMs = 500, .capacity = 0});
    off.get(u"a"_s, [] { return std::optional(1); });
    QCOMPARE(off.size(), 0);
}

void TestFreshCache::cacheDropsLoadRacingAForget()
{
    FreshCache<int> cache(clock(), {.maxAgeMs = 500, .capacity = 10});
    // The load read the row as it was, then a writer forgot it before the load stored:
    // storing would serve the old row, so it is dropped.
    cache.get(u"a"_s, [&] {
        cache.forget(u"a"_s);
        return std::optional(1);
    });
    QCOMPARE(cache.size(), 0);
    QCOMPARE(cache.get(u"a"_s, [] { return std::optional(2); }), std::optional(2));
}

void TestFreshCache::userChangesSeenOnNextCheck()
{
    Users users(db(), clock());
    const User u = *users.create(named(u"alice"_s));
    QVERIFY(!users.current(u.id)->disabled);
    QVERIFY(users.setDisabled(u.id, true));
    QVERIFY(users.current(u.id)->disabled);
    QVERIFY(users.setDisabled(u.id, false));
    QVERIFY(!users.current(u.id)->disabled);
    QVERIFY(users.setRole(u.id, u"admin"_s, true));
    QVERIFY(users.current(u.id)->isAdmin);
    const qint64 before = users.current(u.id)->tokensValidAfter;
    clock().advanceMs(1);
    QVERIFY(users.signOutEverywhere(u.id));
    QCOMPARE_GT(users.current(u.id)->tokensValidAfter, before);
    QVERIFY(users.remove(u.id));
    QVERIFY(!users.current(u.id));
}

void TestFreshCache::userChangedElsewhereSeenWithinMaxAge()
{
    Users users(db(), clock(), {.maxAgeMs = 500, .capacity = 10});
    const User u = *users.create(named(u"bob"_s));
    QVERIFY(!users.current(u.id)->disabled);
    elsewhere(db(), u"UPDATE users SET disabled = 1"_s);
    clock().advanceMs(499);
    QVERIFY(!users.current(u.id)->disabled); // what the bound allows, and no longer
    clock().advanceMs(1);
    QVERIFY(users.current(u.id)->disabled);
    elsewhere(db(), u"DELETE FROM users"_s);
    clock().advanceMs(500);
    QVERIFY(!users.current(u.id));
}

void TestFreshCache::userChangeInsideTransaction()
{
    Users users(db(), clock());
    const User u = *users.create(named(u"carol"_s));
    QVERIFY(!users.current(u.id)->disabled);
    // Inside a transaction: current() reads through (it may see the uncommitted row), and
    // the cache forgets again after the commit, so the next check sees the change.
    db().write([&] {
        QVERIFY(users.setDisabled(u.id, true));
        QVERIFY(users.current(u.id)->disabled);
    });
    QVERIFY(users.current(u.id)->disabled);
    // A rolled-back change is not served either.
    try {
        db().write([&] {
            users.setDisabled(u.id, false);
            throw std::runtime_error("roll back");
        });
    } catch (const std::runtime_error &) {
    }
    QVERIFY(users.current(u.id)->disabled);
}

void TestFreshCache::sessionRevocationSeenOnNextCheck()
{
    m_secrets.set(SecretName::signingKey, QByteArray(32, 'k'));
    Users users(db(), clock());
    TokenStore tokens(db(), clock(), m_secrets);
    users.setSignOutListener([&](const QString &id) { tokens.forgetUser(id); });
    const User u = *users.create(named(u"dave"_s));
    const IssuedToken a = tokens.issue(TokenKind::device, u.id, "secret-a", kHour);
    const IssuedToken b = tokens.issue(TokenKind::wallet, u.id, "secret-b", kHour);
    QVERIFY(tokens.findLive(TokenKind::device, "secret-a"));
    QVERIFY(tokens.current(a.id));
    QVERIFY(tokens.revoke(a.id));
    QVERIFY(!tokens.findLive(TokenKind::device, "secret-a"));
    QCOMPARE_GT(tokens.current(a.id)->revokedAt, 0);

    QVERIFY(tokens.findLive(TokenKind::wallet, "secret-b"));
    QVERIFY(users.signOutEverywhere(u.id)); // revokes stored sessions in its own SQL
    QVERIFY(!tokens.findLive(TokenKind::wallet, "secret-b"));
    QCOMPARE_GT(tokens.current(b.id)->revokedAt, 0);

    const IssuedToken c = tokens.issue(TokenKind::refresh, u.id, "secret-c", kHour);
    QVERIFY(tokens.findLive(TokenKind::refresh, "secret-c"));
    QCOMPARE(tokens.revokeAllForUser(u.id), 1);
    QVERIFY(!tokens.findLive(TokenKind::refresh, "secret-c"));
    QVERIFY(!tokens.current(c.id)->live(clock().nowMs()));
    // Expiry needs no forgetting: a cached row is judged at the moment of the check.
    tokens.issue(TokenKind::device, u.id, "secret-d", 1000);
    QVERIFY(tokens.findLive(TokenKind::device, "secret-d"));
    clock().advanceMs(1000);
    QVERIFY(!tokens.findLive(TokenKind::device, "secret-d"));
}

void TestFreshCache::sessionRevokedElsewhereSeenWithinMaxAge()
{
    m_secrets.set(SecretName::signingKey, QByteArray(32, 'k'));
    TokenStore tokens(db(), clock(), m_secrets, {.maxAgeMs = 500, .capacity = 10});
    const IssuedToken a = tokens.issue(TokenKind::device, u"u1"_s, "secret-a", kHour);
    QVERIFY(tokens.findLive(TokenKind::device, "secret-a"));
    QVERIFY(tokens.current(a.id));
    elsewhere(db(), u"UPDATE issued_tokens SET revoked_at = 5"_s);
    clock().advanceMs(500);
    QVERIFY(!tokens.findLive(TokenKind::device, "secret-a"));
    QCOMPARE(tokens.current(a.id)->revokedAt, 5);
}

QTEST_GUILESS_MAIN(TestFreshCache)
#include "tst_freshcache.moc"
