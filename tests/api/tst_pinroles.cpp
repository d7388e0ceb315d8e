// SPDX-License-Identifier: GPL-3.0-or-later
// PIN roles (issue 11): POST /auth/login answers the role's permissions as Ambrosia's
// LoginResponse does, refuses a user whose role is missing (401) or grants nothing
// (403), GET /users/me restores the session for Ambrosia's AuthProvider, and roles are
// managed through PinRoles (what the CLI and the console call).
#include "services.h"
#include "testserver.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QtTest>

using Headers = QList<std::pair<QByteArray, QByteArray>>;

namespace {

// Ambrosia's store "seller" role template (client/.../Roles/utils/roleTemplates.js), which
// Gatehouse seeds as "user" and "seller".
const QStringList kSeller = {u"categories_read"_qs, u"orders_create"_qs,  u"orders_read"_qs,
                             u"payments_create"_qs, u"payments_read"_qs,  u"payments_update"_qs,
                             u"products_read"_qs,   u"shifts_create"_qs,  u"shifts_read"_qs,
                             u"shifts_update"_qs,   u"tickets_create"_qs, u"tickets_read"_qs};

QStringList permNames(const QJsonArray &perms)
{
    QStringList out;
    for (const QJsonValue &p : perms)
        out << p.toObject().value(u"name").toString();
    return out;
}

QByteArray cookieValue(const HttpReply &reply, const QByteArray &name)
{
    for (const QByteArray &line : reply.headerValues("set-cookie"))
        if (line.startsWith(name + '='))
            return line.mid(name.size() + 1).split(';').first();
    return {};
}

} // namespace

class TstPinRoles : public QObject
{
    Q_OBJECT

private:
    static User addUser(TestServer &server, const QString &name, const QString &role = {})
    {
        auto user = server.services().pinAuth.setPin(name, u"0000"_qs, true, u"test"_qs);
        if (!role.isEmpty())
            server.services().users.setRole(user->id, role, false);
        return *server.services().users.byId(user->id);
    }
    static HttpReply login(TestServer &server, const QString &name, const QString &pin = u"0000"_qs)
    {
        return server.client().postJson("/auth/login", {{u"name"_qs, name}, {u"pin"_qs, pin}});
    }

private Q_SLOTS:
    void loginAnswersTheRolesPermissions();
    void seededRoles();
    void roleWithoutPermissionsIsRefused();
    void missingRoleIsRefusedAfterThePin();
    void usersMeRestoresTheSession();
    void usersMeRefusals();
    void manageRoles();
};

void TstPinRoles::loginAnswersTheRolesPermissions()
{
    TestServer server;
    addUser(server, u"cooluser1"_qs);
    const HttpReply reply = login(server, u"cooluser1"_qs);
    QCOMPARE(reply.status, 200);
    const QJsonObject user = reply.json().value(u"user").toObject();
    const QJsonArray perms = reply.json().value(u"perms").toArray();
    QCOMPARE(permNames(perms), kSeller); // by name, as the origin's SELECT orders them
    const auto role = server.services().pinRoles.byName(u"user"_qs);
    QCOMPARE(user.value(u"roleId").toString(), role->id);
    QCOMPARE(user.value(u"email"), QJsonValue(QJsonValue::Null));
    QCOMPARE(user.value(u"phone"), QJsonValue(QJsonValue::Null));
    for (const QJsonValue &p : perms) {
        const QJsonObject perm = p.toObject();
        QCOMPARE(perm.keys(),
                 QStringList({u"description"_qs, u"enabled"_qs, u"id"_qs, u"name"_qs}));
        QVERIFY(QRegularExpression(u"^[0-9a-f]{32}$"_qs)
                    .match(perm.value(u"id").toString())
                    .hasMatch());
        QVERIFY(!perm.value(u"description").toString().isEmpty());
        QCOMPARE(perm.value(u"enabled"), QJsonValue(true));
    }
    // Each permission object in Ambrosia's key order.
    const QByteArray ordersRead = "\",\"name\":\"orders_read\",\"description\":\"List and view "
                                  "orders\",\"enabled\":true}";
    QVERIFY2(reply.body.contains("[{\"id\":\"") && reply.body.contains(ordersRead),
             reply.body.constData());
}

void TstPinRoles::seededRoles()
{
    TestServer server;
    PinRoles &roles = server.services().pinRoles;
    QStringList names;
    for (const PinRole &r : roles.list())
        names << r.name;
    QCOMPARE(names,
             QStringList({u"admin"_qs, u"cashier"_qs, u"manager"_qs, u"seller"_qs, u"user"_qs}));
    const QList<PinPermission> catalog = roles.catalog();
    QCOMPARE(catalog.size(), 58); // Ambrosia's catalog after its migrations V2 and V5
    QCOMPARE(roles.byName(u"admin"_qs)->permissions.size(), catalog.size());
    QStringList cashier;
    const auto cashierRole = roles.byName(u"Cashier"_qs);
    for (const PinPermission &p : cashierRole->permissions)
        cashier << p.name;
    QStringList expected = kSeller;
    expected << u"orders_update"_qs;
    expected.sort();
    QCOMPARE(cashier, expected);
    QVERIFY(roles.byName(u"manager"_qs)->permissions.size() > cashier.size());
}

void TstPinRoles::roleWithoutPermissionsIsRefused()
{
    TestServer server;
    PinRoles &roles = server.services().pinRoles;
    QVERIFY(roles.add(u"trainee"_qs, {}, u"test"_qs, u"test"_qs).ok());
    addUser(server, u"newbie"_qs, u"trainee"_qs);
    const HttpReply reply = login(server, u"newbie"_qs);
    QCOMPARE(reply.status, 403);
    QCOMPARE(reply.json(),
             QJsonObject(
                 {{u"message"_qs, u"The role of this user has no permissions, contact Admin"_qs}}));
    QVERIFY(reply.headerValues("set-cookie").isEmpty());
    QVERIFY(roles.setPermissions(u"TRAINEE"_qs, {u"orders_read"_qs}, u"test"_qs, u"test"_qs).ok());
    const HttpReply now = login(server, u"newbie"_qs);
    QCOMPARE(now.status, 200);
    QCOMPARE(permNames(now.json().value(u"perms").toArray()), QStringList({u"orders_read"_qs}));
    // A wrong PIN says nothing about the role.
    QVERIFY(roles.setPermissions(u"trainee"_qs, {}, u"test"_qs, u"test"_qs).ok());
    QCOMPARE(login(server, u"newbie"_qs, u"9999"_qs).json().value(u"message").toString(),
             u"Invalid credentials"_qs);
}

void TstPinRoles::missingRoleIsRefusedAfterThePin()
{
    TestServer server;
    addUser(server, u"ghosted"_qs, u"night-shift"_qs);
    const HttpReply reply = login(server, u"ghosted"_qs);
    QCOMPARE(reply.status, 401);
    // The origin's message, which its PinLogin page shows as it is.
    QCOMPARE(reply.json().value(u"message").toString(),
             u"No assigned role for this user, contact Admin"_qs);
    QVERIFY(reply.headerValues("set-cookie").isEmpty());
    const HttpReply wrong = login(server, u"ghosted"_qs, u"1234"_qs);
    QCOMPARE(wrong.status, 401);
    QCOMPARE(wrong.json().value(u"message").toString(), u"Invalid credentials"_qs);
}

void TstPinRoles::usersMeRestoresTheSession()
{
    TestServer server;
    addUser(server, u"cooluser1"_qs, u"Cashier"_qs); // answered as the roles table names it
    const HttpReply signedIn = login(server, u"cooluser1"_qs);
    const QByteArray access = cookieValue(signedIn, "accessToken");
    QVERIFY(!access.isEmpty());
    const HttpReply me = server.client().get("/users/me", {{"Cookie", "accessToken=" + access}});
    QCOMPARE(me.status, 200);
    // Ambrosia's UserMeResponse: the login's user and perms, keys in its order.
    const int userAt = signedIn.body.indexOf("\"user\":");
    QCOMPARE(me.body, "{" + signedIn.body.mid(userAt));
    QCOMPARE(me.json().value(u"user").toObject().value(u"role").toString(), u"cashier"_qs);
    const HttpReply bearer =
        server.client().get("/users/me", {{"Authorization", "Bearer " + access}});
    QCOMPARE(bearer.body, me.body);
}

void TstPinRoles::usersMeRefusals()
{
    TestServer server;
    addUser(server, u"cooluser1"_qs, u"seller"_qs);
    const QByteArray access = cookieValue(login(server, u"cooluser1"_qs), "accessToken");
    const Headers cookie = {{"Cookie", "accessToken=" + access}};
    auto client = server.client();
    HttpReply r = client.get("/users/me");
    QCOMPARE(r.status, 401);
    QCOMPARE(r.json(), QJsonObject({{u"message"_qs, u"Access token not found"_qs}}));
    // Permissions taken away: the page reload ends at the till's "unauthorized" page.
    QVERIFY(server.services().pinRoles.setPermissions(u"seller"_qs, {}, u"t"_qs, u"t"_qs).ok());
    QCOMPARE(client.get("/users/me", cookie).status, 403);
    QVERIFY(server.services()
                .pinRoles.setPermissions(u"seller"_qs, {u"orders_read"_qs}, u"t"_qs, u"t"_qs)
                .ok());
    QCOMPARE(client.get("/users/me", cookie).status, 200);
    // The access token lives a minute; then the client refreshes.
    server.clock().advanceSecs(61);
    r = client.get("/users/me", cookie);
    QCOMPARE(r.status, 401);
    QCOMPARE(r.json().value(u"message").toString(), u"Invalid or expired access token"_qs);
    QCOMPARE(client.request("POST", "/users/me", {}, cookie).status, 405);
}

void TstPinRoles::manageRoles()
{
    TestServer server;
    PinRoles &roles = server.services().pinRoles;
    auto added =
        roles.add(u"Waiter"_qs, {u"orders_read"_qs, u"tables_read"_qs, u"orders_create"_qs},
                  u"t"_qs, u"t"_qs);
    QVERIFY2(added, qPrintable(added.error()));
    QCOMPARE(added->name, u"waiter"_qs);
    QCOMPARE(added->permissions.size(), 3);
    QVERIFY(!roles.add(u"waiter"_qs, {}, u"t"_qs, u"t"_qs));
    QVERIFY(!roles.add(u"no spaces"_qs, {}, u"t"_qs, u"t"_qs));
    const auto unknown =
        roles.setPermissions(u"waiter"_qs, {u"orders_read"_qs, u"fly"_qs}, u"t"_qs, u"t"_qs);
    QVERIFY(!unknown);
    QVERIFY2(unknown.error().contains(u"unknown permission fly"_qs), qPrintable(unknown.error()));
    QCOMPARE(roles.byName(u"waiter"_qs)->permissions.size(), 3); // unchanged
    // In use: not removed, and the reason names the way out.
    addUser(server, u"wally"_qs, u"Waiter"_qs);
    QCOMPARE(roles.byName(u"waiter"_qs)->holders, 1);
    const auto busy = roles.remove(u"waiter"_qs, u"t"_qs, u"t"_qs);
    QVERIFY(!busy);
    QVERIFY2(busy.error().contains(u"1 user(s) have the role waiter"_qs), qPrintable(busy.error()));
    server.services().users.setRole(server.services().users.byUsername(u"wally"_qs)->id, u"user"_qs,
                                    false);
    QVERIFY(roles.remove(u"WAITER"_qs, u"t"_qs, u"t"_qs));
    QVERIFY(!roles.byName(u"waiter"_qs));
    QVERIFY(!roles.remove(u"waiter"_qs, u"t"_qs, u"t"_qs));
    server.services().audit.flush();
    AuditFilter filter;
    filter.text = u"role:waiter"_qs;
    QCOMPARE(server.services().audit.query(filter).size(), 2); // added, removed
}

QTEST_GUILESS_MAIN(TstPinRoles)
#include "tst_pinroles.moc"
