// SPDX-License-Identifier: GPL-3.0-or-later
// The caches behind GET /users/me (the role's permission list as JSON text, kept per read
// of the role; the whole body, kept per user) and GET /session (the wallet profile): a change made
// through the stores is seen on the very next request; a change made by another process (SQL
// straight into the database, as another instance or the CLI would) within 500 ms; a removed user
// or a revoked session is refused at once.
#include "walletapitesting.h"

#include <QJsonArray>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace WalletTesting;

namespace {

void elsewhere(TestServer &server, const QString &sql)
{
    const Database &db = *server.services().db;
    db.write([&] { Sql(db, sql).exec(); });
}

QStringList permNames(const HttpReply &reply)
{
    QStringList out;
    for (const QJsonValue &p : reply.json().value(u"perms"_s).toArray())
        out << p.toObject().value(u"name"_s).toString();
    return out;
}

// A PIN user with the role "trainee" granting `perms`, and its access cookie.
std::pair<QByteArray, QByteArray> pinUser(TestServer &server, const QStringList &perms)
{
    Services &s = server.services();
    if (!s.pinRoles.add(u"trainee"_s, perms, u"t"_s, u"t"_s))
        return {};
    const auto user = s.pinAuth.setPin(u"tara"_s, u"0000"_s, true, u"t"_s);
    s.users.setRole(user->id, u"trainee"_s, false);
    const HttpReply login =
        server.client().postJson("/auth/login", {{u"name"_s, u"tara"_s}, {u"pin"_s, u"0000"_s}});
    for (const QByteArray &line : login.headerValues("set-cookie"))
        if (line.startsWith("accessToken="))
            return {"Cookie", line.split(';').first()};
    return {};
}

Session emailLogin(TestServer &server, const QString &email)
{
    HttpClient c = server.client();
    if (c.postJson("/send_verification", {{u"email"_s, email}}).status != 200)
        return {};
    return login(c, u"Email"_s,
                 {{u"email"_s, email}, {u"code"_s, latestCode(server.services(), email)}});
}

} // namespace

class TstCheckCaches : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void usersMePermsFollowRoleChangesAtOnce();
    void usersMePermsFollowOtherProcessWithinMaxAge();
    void usersMeBodyFollowsTheUserAtOnce();
    void usersMeBodyFollowsOtherProcessWithinMaxAge();
    void sessionProfileFollowsBindAtOnce();
    void sessionProfileFollowsOtherProcessWithinMaxAge();
    void sessionRefusedAtOnceForRemovedUserOrRevokedSession();
};

void TstCheckCaches::usersMePermsFollowRoleChangesAtOnce()
{
    TestServer server;
    const auto cookie = pinUser(server, {u"orders_read"_s});
    QVERIFY(!cookie.first.isEmpty());
    HttpClient c = server.client();
    QCOMPARE(permNames(c.get("/users/me", {cookie})), QStringList{u"orders_read"_s});
    QCOMPARE(permNames(c.get("/users/me", {cookie})), QStringList{u"orders_read"_s}); // cached

    PinRoles &roles = server.services().pinRoles;
    QVERIFY(
        roles.setPermissions(u"trainee"_s, {u"orders_read"_s, u"products_read"_s}, u"t"_s, u"t"_s));
    QCOMPARE(permNames(c.get("/users/me", {cookie})),
             (QStringList{u"orders_read"_s, u"products_read"_s}));
    QVERIFY(roles.setPermissions(u"trainee"_s, {u"tickets_read"_s}, u"t"_s, u"t"_s));
    QCOMPARE(permNames(c.get("/users/me", {cookie})), QStringList{u"tickets_read"_s});
    QVERIFY(roles.setPermissions(u"trainee"_s, {}, u"t"_s, u"t"_s));
    QCOMPARE(c.get("/users/me", {cookie}).status, 403); // a role granting nothing
}

void TstCheckCaches::usersMePermsFollowOtherProcessWithinMaxAge()
{
    TestServer server;
    const auto cookie = pinUser(server, {u"orders_read"_s});
    HttpClient c = server.client();
    QCOMPARE(permNames(c.get("/users/me", {cookie})), QStringList{u"orders_read"_s});
    elsewhere(server, u"INSERT INTO pin_role_permissions (role_id, permission_id) "
                      u"SELECT r.id, p.id FROM pin_roles r, pin_permissions p "
                      u"WHERE r.name = 'trainee' AND p.name = 'products_read'"_s);
    server.clock().advanceMs(500);
    QCOMPARE(permNames(c.get("/users/me", {cookie})),
             (QStringList{u"orders_read"_s, u"products_read"_s}));
    elsewhere(server, u"DELETE FROM pin_role_permissions WHERE permission_id = "
                      u"(SELECT id FROM pin_permissions WHERE name = 'orders_read')"_s);
    server.clock().advanceMs(500);
    QCOMPARE(permNames(c.get("/users/me", {cookie})), QStringList{u"products_read"_s});
}

void TstCheckCaches::usersMeBodyFollowsTheUserAtOnce()
{
    TestServer server;
    const auto cookie = pinUser(server, {u"orders_read"_s});
    QVERIFY(!cookie.first.isEmpty());
    HttpClient c = server.client();
    Services &s = server.services();
    const QJsonObject before = c.get("/users/me", {cookie}).json().value(u"user"_s).toObject();
    QCOMPARE(before.value(u"email"_s), QJsonValue(QJsonValue::Null));
    QCOMPARE(c.get("/users/me", {cookie}).json().value(u"user"_s).toObject(), before); // cached
    const QString id = before.value(u"userId"_s).toString();
    QVERIFY(s.users.setEmail(id, u"tara@example.com"_s, true));
    QCOMPARE(c.get("/users/me", {cookie}).json().value(u"user"_s).toObject().value(u"email"_s),
             u"tara@example.com"_s);
    QVERIFY(s.users.setRole(id, u"trainee"_s, true));
    QCOMPARE(c.get("/users/me", {cookie}).json().value(u"user"_s).toObject().value(u"isAdmin"_s),
             true);
    QVERIFY(s.pinRoles.add(u"lead"_s, {u"tickets_read"_s}, u"l"_s, u"l"_s));
    QVERIFY(s.users.setRole(id, u"lead"_s, true));
    const QJsonObject lead = c.get("/users/me", {cookie}).json();
    QCOMPARE(lead.value(u"user"_s).toObject().value(u"role"_s), u"lead"_s);
    QCOMPARE(permNames(c.get("/users/me", {cookie})), QStringList{u"tickets_read"_s});
}

void TstCheckCaches::usersMeBodyFollowsOtherProcessWithinMaxAge()
{
    TestServer server;
    const auto cookie = pinUser(server, {u"orders_read"_s});
    HttpClient c = server.client();
    const QJsonObject user = c.get("/users/me", {cookie}).json().value(u"user"_s).toObject();
    QCOMPARE(user.value(u"name"_s), u"tara"_s);
    elsewhere(server, u"UPDATE users SET email = 'other@example.com' WHERE id = '%1'"_s.arg(
                          user.value(u"userId"_s).toString()));
    server.clock().advanceMs(500);
    QCOMPARE(c.get("/users/me", {cookie}).json().value(u"user"_s).toObject().value(u"email"_s),
             u"other@example.com"_s);
}

void TstCheckCaches::sessionProfileFollowsBindAtOnce()
{
    TestServer server;
    const Session s = emailLogin(server, u"gina@example.com"_s);
    QCOMPARE(s.reply.status, 200);
    HttpClient c = server.client();
    QCOMPARE(c.get("/session", {cookieHeader(s.token)}).json(), s.reply.json()); // now cached
    const HttpReply tg = c.postJson(
        "/bind",
        {{u"type"_s, u"Telegram"_s},
         {u"data"_s, telegramWidget(991, server.clock().nowSecs(), TestServer::kBotToken)}},
        {cookieHeader(s.token)});
    QCOMPARE(tg.status, 200);
    QCOMPARE(tg.json().value(u"social_links"_s).toArray().size(), 2);
    QCOMPARE(c.get("/session", {cookieHeader(s.token)}).json(), tg.json());
}

void TstCheckCaches::sessionProfileFollowsOtherProcessWithinMaxAge()
{
    TestServer server;
    const Session s = emailLogin(server, u"hana@example.com"_s);
    HttpClient c = server.client();
    const QString id = s.reply.json().value(u"id"_s).toString();
    QCOMPARE(c.get("/session", {cookieHeader(s.token)}).status, 200);
    elsewhere(server, u"INSERT INTO identities (kind, subject, user_id, display, created_at) "
                      u"VALUES ('twitter', 'h1', '%1', 'hana_x', %2)"_s.arg(id)
                          .arg(server.clock().nowMs() + 1));
    server.clock().advanceMs(500);
    const QJsonArray links =
        c.get("/session", {cookieHeader(s.token)}).json().value(u"social_links"_s).toArray();
    QCOMPARE(links.size(), 2);
    QCOMPARE(links.last().toObject(), (QJsonObject{{u"Twitter"_s, u"hana_x"_s}}));
    elsewhere(server, u"DELETE FROM identities WHERE kind = 'twitter'"_s);
    server.clock().advanceMs(500);
    QCOMPARE(c.get("/session", {cookieHeader(s.token)}).json(), s.reply.json());
}

void TstCheckCaches::sessionRefusedAtOnceForRemovedUserOrRevokedSession()
{
    TestServer server;
    HttpClient c = server.client();
    const Session a = emailLogin(server, u"ines@example.com"_s);
    QCOMPARE(c.get("/session", {cookieHeader(a.token)}).status, 200); // profile cached
    QVERIFY(c.postJson("/logout", {}, {cookieHeader(a.token)}).status < 300);
    QCOMPARE(c.get("/session", {cookieHeader(a.token)}).status, 401);

    server.clock().advanceSecs(61);
    const Session b = emailLogin(server, u"ines@example.com"_s);
    QCOMPARE(c.get("/session", {cookieHeader(b.token)}).status, 200);
    QVERIFY(server.services().users.remove(b.reply.json().value(u"id"_s).toString()));
    QCOMPARE(c.get("/session", {cookieHeader(b.token)}).status, 401);
}

QTEST_GUILESS_MAIN(TstCheckCaches)
#include "tst_checkcaches.moc"
