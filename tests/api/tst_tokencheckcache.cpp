// SPDX-License-Identifier: GPL-3.0-or-later
// Token checks read users and sessions through a per-process cache (core/identity/
// freshcache.h). Over HTTP: a change made through the stores is refused on the very next
// request, with each route's documented status; a change made by another process (SQL
// straight into the database, as another instance or the CLI would) within the cache's
// age, 500 ms.
#include "accounttesting.h"
#include "devicetest.h"

#include <QtTest>

using namespace Qt::StringLiterals;
using namespace AccountTesting;

namespace {
void elsewhere(TestServer &server, const QString &sql)
{
    const Database &db = *server.services().db;
    db.write([&] { Sql(db, sql).exec(); });
}

QString adminId(TestServer &server)
{
    return server.services().users.byUsername(u"admin"_s)->id;
}
} // namespace

class TstTokenCheckCache : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void accountMeSeesStoreChangesAtOnce();
    void accountMeSeesOtherProcessWithinMaxAge();
    void verifyTokenSeesDisableAtOnce();
    void deviceSessionRevokedAtOnce();
};

void TstTokenCheckCache::accountMeSeesStoreChangesAtOnce()
{
    TestServer server;
    const QByteArray jwt = adminToken(server);
    const QString id = adminId(server);
    QCOMPARE(server.client().get("/api/auth/me", bearer(jwt)).status, 200); // now cached
    QCOMPARE(server.client().get("/api/auth/me", bearer(jwt)).status, 200);

    QVERIFY(server.services().users.setDisabled(id, true));
    const HttpReply disabled = server.client().get("/api/auth/me", bearer(jwt));
    QCOMPARE(disabled.status, 403); // docs/api/account.md: 403 for a disabled account
    QVERIFY(server.services().users.setDisabled(id, false));
    QCOMPARE(server.client().get("/api/auth/me", bearer(jwt)).status, 200);

    QVERIFY(server.services().users.setDisplayName(id, u"Renamed"_s));
    QCOMPARE(server.client().get("/api/auth/me", bearer(jwt)).json().value(u"name").toString(),
             u"Renamed"_s);

    QVERIFY(server.services().users.signOutEverywhere(id));
    QCOMPARE(server.client().get("/api/auth/me", bearer(jwt)).status, 401);

    const QByteArray again = adminToken(server);
    QCOMPARE(server.client().get("/api/auth/me", bearer(again)).status, 200);
    QVERIFY(server.services().users.remove(id));
    QCOMPARE(server.client().get("/api/auth/me", bearer(again)).status, 401);
}

void TstTokenCheckCache::accountMeSeesOtherProcessWithinMaxAge()
{
    TestServer server;
    const QByteArray jwt = adminToken(server);
    QCOMPARE(server.client().get("/api/auth/me", bearer(jwt)).status, 200);
    elsewhere(server, u"UPDATE users SET disabled = 1"_s);
    server.clock().advanceMs(500);
    QCOMPARE(server.client().get("/api/auth/me", bearer(jwt)).status, 403);
    elsewhere(server, u"UPDATE users SET disabled = 0"_s);
    server.clock().advanceMs(500);
    QCOMPARE(server.client().get("/api/auth/me", bearer(jwt)).status, 200);
    // Another instance's sign out everywhere: a new epoch, now.
    elsewhere(server, u"UPDATE users SET tokens_valid_after = %1"_s.arg(server.clock().nowMs()));
    server.clock().advanceMs(500);
    QCOMPARE(server.client().get("/api/auth/me", bearer(jwt)).status, 401);
}

void TstTokenCheckCache::verifyTokenSeesDisableAtOnce()
{
    TestServer server;
    const QString token = apiToken(server, adminToken(server));
    const QByteArray path = "/api/auth/verify-token?token=" + token.toLatin1();
    QCOMPARE(server.client().get(path).body, QByteArray("true"));
    QVERIFY(server.services().users.setDisabled(adminId(server), true));
    QCOMPARE(server.client().get(path).body, QByteArray("false"));
    QVERIFY(server.services().users.setDisabled(adminId(server), false));
    QCOMPARE(server.client().get(path).body, QByteArray("true"));
    QCOMPARE(server.services().tokens.revokeAllForUser(adminId(server)), 1);
    QCOMPARE(server.client().get(path).body, QByteArray("false"));
}

void TstTokenCheckCache::deviceSessionRevokedAtOnce()
{
    TestServer server;
    const QByteArray token = DeviceTest::registerUser(server, u"alice"_s);
    QCOMPARE(server.client().get("/auth/me", bearer(token)).status, 200);
    const QString userId = server.services().users.byUsername(u"alice"_s)->id;
    TokenFilter mine;
    mine.userId = userId;
    const auto sessions = server.services().tokens.list(mine);
    QCOMPARE(sessions.size(), 1);
    QVERIFY(server.services().tokens.revoke(sessions.first().id));
    QCOMPARE(server.client().get("/auth/me", bearer(token)).status, 401);
}

QTEST_GUILESS_MAIN(TstTokenCheckCache)
#include "tst_tokencheckcache.moc"
