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

using namespace Qt::StringLiterals;

using Headers = QList<std::pair<QByteArray, QByteArray>>;

namespace {

// Ambrosia's store "seller" role template (client/.../Roles/utils/roleTemplates.js), which
// Gatehouse seeds as "user" and "seller".
const QStringList kSeller = {u"categories_read"_s, u"orders_create"_s,  u"orders_read"_s,
                             u"payments_create"_s, u"payments_read"_s,  u"payments_update"_s,
                             u"products_read"_s,   u"shifts_create"_s,  u"shifts_read"_s,
                             u"shifts_update"_s,   u"tickets_create"_s, u"tickets_read"_s};

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
        auto user = server.services().pinAuth.setPin(name, u"0000"_s, true, u"test"_s);
        if (!role.isEmpty())
            server.services().users.setRole(user->id, role, false);
        return *server.services().users.byId(user->id);
    }
    static HttpReply login(TestServer &server, const QString &name, const QString &pin = u"0000"_s)
    {
        return server.client().postJson("/auth/login", {{u"name"_s, name}, {u"pin"_s, pin}});
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
    addUser(server, u"cooluser1"_s);
    const HttpReply reply = login(server, u"cooluser1"_s);
    QCOMPARE(reply.status, 200);
    const QJsonObject user = reply.json().value(u"user").toObject();
    const QJsonArray perms = reply.json().value(u"perms").toArray();
    QCOMPARE(permNames(perms), kSeller); // by name, as the origin's SELECT orders them
    const auto role = server.services().pinRoles.byName(u"user"_s);
    QCOMPARE(user.value(u"roleId").toString(), role->id);
    QCOMPARE(user.value(u"email"), QJsonValue(QJsonValue::Null));
    QCOMPARE(user.value(u"phone"), QJsonValue(QJsonValue::Null));
    for (const QJsonValue &p : perms) {
        const QJsonObject perm = p.toObject();
        QCOMPARE(perm.keys(), QStringList({u"description"_s, u"enabled"_s, u"id"_s, u"name"_s}));
        QVERIFY(
            QRegularExpression(u"^[0-9a-f]{32}$"_s).match(perm.value(u"id").toString()).hasMatch());
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
    QCOMPARE(names, QStringList({u"admin"_s, u"cashier"_s, u"manager"_s, u"seller"_s, u"user"_s}));
    const QList<PinPermission> catalog = roles.catalog();
    QCOMPARE(catalog.size(), 58); // Ambrosia's catalog after its migrations V2 and V5
    QCOMPARE(roles.byName(u"admin"_s)->permissions.size(), catalog.size());
    QStringList cashier;
    const auto cashierRole = roles.byName(u"Cashier"_s);
    for (const PinPermission &p : cashierRole->permissions)
        cashier << p.name;
    QStringList expected = kSeller;
    expected << u"orders_update"_s;
    expected.sort();
    QCOMPARE(cashier, expected);
    QVERIFY(roles.byName(u"manager"_s)->permissions.size() > cashier.size());
}

void TstPinRoles::roleWithoutPermissionsIsRefused()
{
    TestServer server;
    PinRoles &roles = server.services().pinRoles;
    QVERIFY(roles.add(u"trainee"_s, {}, u"test"_s, u"test"_s).ok());
    addUser(server, u"newbie"_s, u"trainee"_s);
    const HttpReply reply = login(server, u"newbie"_s);
    QCOMPARE(reply.status, 403);
    QCOMPARE(reply.json(),
             QJsonObject(
                 {{u"message"_s, u"The role of this user has no permissions, contact Admin"_s}}));
    QVERIFY(reply.headerValues("set-cookie").isEmpty());
    QVERIFY(roles.setPermissions(u"TRAINEE"_s, {u"orders_read"_s}, u"test"_s, u"test"_s).ok());
    const HttpReply now = login(server, u"newbie"_s);
    QCOMPARE(now.status, 200);
    QCOMPARE(permNames(now.json().value(u"perms").toArray()), QStringList({u"orders_read"_s}));
    // A wrong PIN says nothing about the role.
    QVERIFY(roles.setPermissions(u"trainee"_s, {}, u"test"_s, u"test"_s).ok());
    QCOMPARE(login(server, u"newbie"_s, u"9999"_s).json().value(u"message").toString(),
             u"Invalid credentials"_s);
}

void TstPinRoles::missingRoleIsRefusedAfterThePin()
{
    TestServer server;
    addUser(server, u"ghosted"_s, u"night-shift"_s);
    const HttpReply reply = login(server, u"ghosted"_s);
    QCOMPARE(reply.status, 401);
    // The origin's message, which its PinLogin page shows as it is.
    QCOMPARE(reply.json().value(u"message").toString(),
             u"No assigned role for this user, contact Admin"_s);
    QVERIFY(reply.headerValues("set-cookie").isEmpty());
    const HttpReply wrong = login(server, u"ghosted"_s, u"1234"_s);
    QCOMPARE(wrong.status, 401);
    QCOMPARE(wrong.json().value(u"message").toString(), u"Invalid credentials"_s);
}

void TstPinRoles::usersMeRestoresTheSession()
{
    TestServer server;
    addUser(server, u"cooluser1"_s, u"Cashier"_s); // answered as the roles table names it
    const HttpReply signedIn = login(server, u"cooluser1"_s);
    const QByteArray access = cookieValue(signedIn, "accessToken");
    QVERIFY(!access.isEmpty());
    const HttpReply me = server.client().get("/users/me", {{"Cookie", "accessToken=" + access}});
    QCOMPARE(me.status, 200);
    // Ambrosia's UserMeResponse: the login's user and perms, keys in its order.
    const int userAt = signedIn.body.indexOf("\"user\":");
    QCOMPARE(me.body, "{" + signedIn.body.mid(userAt));
    QCOMPARE(me.json().value(u"user").toObject().value(u"role").toString(), u"cashier"_s);
    const HttpReply bearer =
        server.client().get("/users/me", {{"Authorization", "Bearer " + access}});
    QCOMPARE(bearer.body, me.body);
}

void TstPinRoles::usersMeRefusals()
{
    TestServer server;
    addUser(server, u"cooluser1"_s, u"seller"_s);
    const QByteArray access = cookieValue(login(server, u"cooluser1"_s), "accessToken");
    const Headers cookie = {{"Cookie", "accessToken=" + access}};
    auto client = server.client();
    HttpReply r = client.get("/users/me");
    QCOMPARE(r.status, 401);
    QCOMPARE(r.json(), QJsonObject({{u"message"_s, u"Access token not found"_s}}));
    // Permissions taken away: the page reload ends at the till's "unauthorized" page.
    QVERIFY(server.services().pinRoles.setPermissions(u"seller"_s, {}, u"t"_s, u"t"_s).ok());
    QCOMPARE(client.get("/users/me", cookie).status, 403);
    QVERIFY(server.services()
                .pinRoles.setPermissions(u"seller"_s, {u"orders_read"_s}, u"t"_s, u"t"_s)
                .ok());
    QCOMPARE(client.get("/users/me", cookie).status, 200);
    // The access token lives a minute; then the client refreshes.
    server.clock().advanceSecs(61);
    r = client.get("/users/me", cookie);
    QCOMPARE(r.status, 401);
    QCOMPARE(r.json().value(u"message").toString(), u"Invalid or expired access token"_s);
    QCOMPARE(client.request("POST", "/users/me", {}, cookie).status, 405);
}

void TstPinRoles::manageRoles()
{
    TestServer server;
    PinRoles &roles = server.services().pinRoles;
    auto added = roles.add(u"Waiter"_s, {u"orders_read"_s, u"tables_read"_s, u"orders_create"_s},
                           u"t"_s, u"t"_s);
    QVERIFY2(added, qPrintable(added.error()));
    QCOMPARE(added->name, u"waiter"_s);
    QCOMPARE(added->permissions.size(), 3);
    QVERIFY(!roles.add(u"waiter"_s, {}, u"t"_s, u"t"_s));
    QVERIFY(!roles.add(u"no spaces"_s, {}, u"t"_s, u"t"_s));
    const auto unknown =
        roles.setPermissions(u"waiter"_s, {u"orders_read"_s, u"fly"_s}, u"t"_s, u"t"_s);
    QVERIFY(!unknown);
    QVERIFY2(unknown.error().contains(u"unknown permission fly"_s), qPrintable(unknown.error()));
    QCOMPARE(roles.byName(u"waiter"_s)->permissions.size(), 3); // unchanged
    // In use: not removed, and the reason names the way out.
    addUser(server, u"wally"_s, u"Waiter"_s);
    QCOMPARE(roles.byName(u"waiter"_s)->holders, 1);
    const auto busy = roles.remove(u"waiter"_s, u"t"_s, u"t"_s);
    QVERIFY(!busy);
    QVERIFY2(busy.error().contains(u"1 user(s) have the role waiter"_s), qPrintable(busy.error()));
    server.services().users.setRole(server.services().users.byUsername(u"wally"_s)->id, u"user"_s,
                                    false);
    QVERIFY(roles.remove(u"WAITER"_s, u"t"_s, u"t"_s));
    QVERIFY(!roles.byName(u"waiter"_s));
    QVERIFY(!roles.remove(u"waiter"_s, u"t"_s, u"t"_s));
    server.services().audit.flush();
    AuditFilter filter;
    filter.text = u"role:waiter"_s;
    QCOMPARE(server.services().audit.query(filter).size(), 2); // added, removed
}

QTEST_GUILESS_MAIN(TstPinRoles)
#include "tst_pinroles.moc"
