// SPDX-License-Identifier: GPL-3.0-or-later
// The account surface (seed 004), part one: login, the default admin, bearer checks,
// signup with a referrer token, user API tokens, name and password changes, and the
// {"error", "detail"} shape of every refusal. Recovery (reset, OTP) is in
// tst_accountrecovery.cpp.
#include "accounttesting.h"
#include "crypto/jwt.h"
#include "httpserver.h"

using namespace Qt::StringLiterals;

using namespace AccountTesting;

class TstAccountApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultAdminLogsInWithUsername();
    void defaultAdminNeverFacesNetwork();
    void loginJwtClaims();
    void loginBadBodies_data();
    void loginBadBodies();
    void unknownEmailAndWrongPasswordLookTheSame();
    void bearerChecks();
    void disabledAccount();
    void signOutEverywhereRevokesJwts();
    void signupWithReferrer();
    void signupErrors();
    void apiTokensReuseListAndVerify();
    void apiTokensNeverStoredInPlaintext();
    void verifyTokenErrors();
    void setName();
    void changePassword();
    void changePasswordErrors();
    void unknownRoutesKeepTheShape();
};

void TstAccountApi::defaultAdminLogsInWithUsername()
{
    TestServer server;
    QVERIFY(server.services().accounts.defaultAdminPasswordUnchanged());
    const HttpReply reply = login(server, u"admin"_s, u"admin"_s);
    QCOMPARE(reply.status, 200);
    const QJsonObject user = reply.json().value(u"user").toObject();
    QCOMPARE(user.value(u"username").toString(), u"admin"_s);
    QCOMPARE(user.value(u"is_admin").toBool(), true);
    QCOMPARE(user.value(u"role").toString(), u"admin"_s);
    QCOMPARE(user.value(u"is_active").toBool(), true);
    QCOMPARE(user.value(u"email").toString(), u"admin"_s); // the login name, as seed 004 says
    QVERIFY(!user.contains(u"password"_s) && !user.contains(u"password_hash"_s));
    const QByteArray token = reply.json().value(u"token").toString().toLatin1();
    const HttpReply me = server.client().get("/api/auth/me", bearer(token));
    QCOMPARE(me.status, 200);
    QCOMPARE(me.json(), user);
}

// The same guard for `gatehouse serve` and the console's start button: HttpServer::start.
void TstAccountApi::defaultAdminNeverFacesNetwork()
{
    TestServer server; // on 127.0.0.1: allowed with admin/admin
    Services &s = server.services();
    s.settings.listenHost = u"0.0.0.0"_s;
    s.settings.listenPort = 0;
    {
        HttpServer wide(s);
        const auto refused = wide.start();
        QVERIFY(!refused);
        QVERIFY2(refused.error().contains(u"default password 'admin'"_s),
                 qPrintable(refused.error()));
        QVERIFY(!wide.isRunning());
    }
    const auto admin = s.users.byUsername(u"admin"_s);
    QVERIFY(admin);
    s.accounts.setPassword(*admin, u"a-much-better-one"_s, u"test"_s, u"test"_s, u"local"_s);
    QVERIFY(!s.accounts.defaultAdminPasswordUnchanged());
    HttpServer wide(s);
    const auto started = wide.start();
    QVERIFY2(started, qPrintable(started.error()));
    wide.stop();
}

void TstAccountApi::loginJwtClaims()
{
    TestServer server;
    const QByteArray token = adminToken(server);
    const QJsonObject claims = Jwt::unverifiedPayload(token);
    QCOMPARE(QStringList(claims.keys()), QStringList({u"exp"_s, u"iat"_s, u"scopes"_s, u"sub"_s}));
    QCOMPARE(qint64(claims.value(u"exp").toDouble() - claims.value(u"iat").toDouble()),
             qint64(7 * 24 * 3600));
    QCOMPARE(claims.value(u"scopes").toArray(), QJsonArray({u"admin"_s}));
    QCOMPARE(claims.value(u"sub").toString(), server.services().users.byUsername(u"admin"_s)->id);
    // Verifies under the login purpose only.
    QVERIFY(Jwt(server.secrets().signingKey(), u"account-login")
                .verify(token, server.clock().nowSecs()));
    QVERIFY(!Jwt(server.secrets().signingKey(), u"account-password-reset")
                 .verify(token, server.clock().nowSecs()));
}

void TstAccountApi::loginBadBodies_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("detail");
    QTest::addColumn<QString>("error"); // what lncrawl-web's stringifyError shows
    QTest::newRow("empty") << QByteArray() << u"body is not valid JSON"_s
                           << u"Body is not valid JSON"_s;
    QTest::newRow("not json") << QByteArray("email=admin") << u"body is not valid JSON"_s
                              << u"Body is not valid JSON"_s;
    QTest::newRow("array") << QByteArray("[]") << u"body must be a JSON object"_s
                           << u"Body must be a JSON object"_s;
    QTest::newRow("no email") << QByteArray(R"({"password":"x"})") << u"field 'email' is required"_s
                              << u"Email is required"_s;
    QTest::newRow("no password") << QByteArray(R"({"email":"a@b.c"})")
                                 << u"field 'password' is required"_s << u"Password is required"_s;
    QTest::newRow("number") << QByteArray(R"({"email":"a@b.c","password":12345678})")
                            << u"field 'password' must be a string"_s
                            << u"Password must be a string"_s;
    QTest::newRow("long email") << QByteArray(R"({"email":")" + QByteArray(300, 'a') +
                                              R"(","password":"x"})")
                                << u"field 'email' is too long"_s << u"Email is too long"_s;
    QTest::newRow("long password")
        << QByteArray(R"({"email":"a@b.c","password":")" + QByteArray(1025, 'p') + R"("})")
        << u"field 'password' is too long"_s << u"Password is too long"_s;
}

void TstAccountApi::loginBadBodies()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, detail);
    QFETCH(QString, error);
    TestServer server;
    const HttpReply reply = server.client().request("POST", "/api/auth/login", body,
                                                    {{"Content-Type", "application/json"}});
    QCOMPARE(reply.status, 400);
    QVERIFY(isErrorShape(reply));
    QVERIFY2(reply.json().value(u"error").toString().startsWith(error), reply.body.constData());
    QVERIFY2(reply.json().value(u"detail").toString().startsWith(detail), reply.body.constData());
}

void TstAccountApi::unknownEmailAndWrongPasswordLookTheSame()
{
    TestServer server;
    newUser(server, u"ada@example.com"_s);
    const HttpReply unknown = login(server, u"nobody@example.com"_s, u"whatever1"_s);
    const HttpReply wrong = login(server, u"ada@example.com"_s, u"whatever1"_s);
    const HttpReply wrongAdmin = login(server, u"admin"_s, u"nope"_s);
    QCOMPARE(unknown.status, 401);
    QCOMPARE(wrong.status, 401);
    QCOMPARE(unknown.body, wrong.body);
    QCOMPARE(wrongAdmin.body, wrong.body);
    QCOMPARE(unknown.json().value(u"error").toString(), u"Wrong email or password"_s);
    QCOMPARE(unknown.json().value(u"detail").toString(), u"wrong email or password"_s);
    QCOMPARE(unknown.header("www-authenticate"), QByteArray("Bearer"));
    QCOMPARE(login(server, u"ADA@example.com"_s, u"correct horse"_s).status, 200);
}

void TstAccountApi::bearerChecks()
{
    TestServer server;
    const QByteArray token = adminToken(server);
    auto client = server.client();
    QCOMPARE(client.get("/api/auth/me").status, 401);
    QVERIFY(isErrorShape(client.get("/api/auth/me")));
    QCOMPARE(client.get("/api/auth/me", {{"Authorization", "Basic YWRtaW46YWRtaW4="}}).status, 401);
    QByteArray forged = token;
    forged[forged.size() - 3] = forged[forged.size() - 3] == 'A' ? 'B' : 'A';
    QCOMPARE(client.get("/api/auth/me", bearer(forged)).status, 401);
    const User admin = *server.services().users.byUsername(u"admin"_s);
    // Signed with the right key but under another purpose name.
    const QByteArray otherPurpose = Jwt(server.secrets().signingKey(), u"account-otp")
                                        .sign({{u"sub"_s, admin.id},
                                               {u"scopes"_s, QJsonArray{u"admin"_s}},
                                               {u"exp"_s, server.clock().nowSecs() + 60}});
    QCOMPARE(client.get("/api/auth/me", bearer(otherPurpose)).status, 401);
    QCOMPARE(client.get("/api/auth/me", bearer(token)).status, 200);
    server.clock().advanceSecs(7 * 24 * 3600 + 1);
    const HttpReply expired = client.get("/api/auth/me", bearer(token));
    QCOMPARE(expired.status, 401);
    QCOMPARE(expired.json().value(u"error").toString(), u"Token expired"_s);
}

void TstAccountApi::disabledAccount()
{
    TestServer server;
    const QByteArray token = newUser(server, u"bob@example.com"_s);
    const User bob = *server.services().users.byEmail(u"bob@example.com"_s);
    server.services().users.setDisabled(bob.id, true);
    const HttpReply me = server.client().get("/api/auth/me", bearer(token));
    QCOMPARE(me.status, 403);
    QCOMPARE(me.json().value(u"error").toString(), u"User is inactive"_s);
    const HttpReply again = login(server, u"bob@example.com"_s, u"correct horse"_s);
    QCOMPARE(again.status, 403);
    // A wrong password on a disabled account says no more than for anyone else.
    QCOMPARE(login(server, u"bob@example.com"_s, u"wrong horse"_s).status, 401);
}

void TstAccountApi::signOutEverywhereRevokesJwts()
{
    TestServer server;
    const QByteArray before = adminToken(server);
    server.clock().advanceSecs(1);
    server.services().users.signOutEverywhere(server.services().users.byUsername(u"admin"_s)->id);
    QCOMPARE(server.client().get("/api/auth/me", bearer(before)).status, 401);
    const QByteArray after = adminToken(server);
    QCOMPARE(server.client().get("/api/auth/me", bearer(after)).status, 200);
}

void TstAccountApi::signupWithReferrer()
{
    TestServer server;
    const QString referrer = apiToken(server, adminToken(server));
    const HttpReply reply =
        signup(server, referrer, u"Ada@Example.com"_s, u"correct horse"_s, u"Ada Lovelace"_s);
    QCOMPARE(reply.status, 200);
    const QJsonObject user = reply.json().value(u"user").toObject();
    QCOMPARE(user.value(u"email").toString(), u"ada@example.com"_s);
    QCOMPARE(user.value(u"name").toString(), u"Ada Lovelace"_s);
    QCOMPARE(user.value(u"is_verified").toBool(), false);
    QCOMPARE(user.value(u"is_admin").toBool(), false);
    QCOMPARE(user.value(u"referrer_id").toString(),
             server.services().users.byUsername(u"admin"_s)->id);
    const QByteArray token = reply.json().value(u"token").toString().toLatin1();
    QCOMPARE(server.client().get("/api/auth/me", bearer(token)).json(), user);
    QCOMPARE(Jwt::unverifiedPayload(token).value(u"scopes").toArray(), QJsonArray({u"user"_s}));
    // The referrer token is not used up.
    QCOMPARE(signup(server, referrer, u"grace@example.com"_s).status, 200);
    QCOMPARE(login(server, u"ada@example.com"_s, u"correct horse"_s).status, 200);
}

void TstAccountApi::signupErrors()
{
    TestServer server;
    const QString referrer = apiToken(server, adminToken(server));
    QCOMPARE(signup(server, referrer, u"ada@example.com"_s).status, 200);

    HttpReply r = signup(server, referrer, u"ADA@example.com"_s);
    QCOMPARE(r.status, 409);
    QCOMPARE(r.json().value(u"error").toString(), u"User already exists"_s);
    r = signup(server, u"1111111111"_s, u"new@example.com"_s);
    QCOMPARE(r.status, 403);
    QCOMPARE(r.json().value(u"error").toString(), u"Invalid token"_s);
    r = signup(server, referrer, u"not-an-email"_s);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.json().value(u"detail").toString(), u"field 'email' is not a valid email address"_s);
    r = signup(server, referrer, u"new@example.com"_s, u"short"_s);
    QCOMPARE(r.status, 400);
    QVERIFY(
        r.json().value(u"detail").toString().startsWith(u"field 'password' must be at least 8"));
    r = server.client().postJson("/api/auth/signup", {{u"email"_s, u"x@example.com"_s},
                                                      {u"password"_s, u"correct horse"_s}});
    QCOMPARE(r.status, 400);
    QCOMPARE(r.json().value(u"detail").toString(), u"field 'referrer' is required"_s);
    r = server.client().postJson("/api/auth/signup", {{u"referrer"_s, referrer},
                                                      {u"email"_s, u"x@example.com"_s},
                                                      {u"password"_s, u"correct horse"_s},
                                                      {u"name"_s, QString(129, u'n')}});
    QCOMPARE(r.status, 400);
    QCOMPARE(r.json().value(u"detail").toString(), u"field 'name' is too long"_s);
    // A referrer whose account is disabled, or whose token expired, refers no one.
    server.services().users.setDisabled(server.services().users.byUsername(u"admin"_s)->id, true);
    QCOMPARE(signup(server, referrer, u"y@example.com"_s).status, 403);
    server.services().users.setDisabled(server.services().users.byUsername(u"admin"_s)->id, false);
    server.clock().advanceSecs(15 * 24 * 3600 + 1);
    QCOMPARE(signup(server, referrer, u"z@example.com"_s).status, 403);
}

void TstAccountApi::apiTokensReuseListAndVerify()
{
    TestServer server;
    const QByteArray jwt = adminToken(server);
    const QString first = apiToken(server, jwt);
    QCOMPARE(first.size(), 10);
    QVERIFY(QRegularExpression(u"^[1-9A-HJ-NP-Za-km-z]{10}$"_s).match(first).hasMatch());
    QCOMPARE(apiToken(server, jwt), first); // more than 3 days left: the same one
    const qint64 now = server.clock().nowMs();
    HttpReply list = server.client().request("POST", "/api/auth/me/tokens", {}, bearer(jwt));
    QCOMPARE(list.status, 200);
    QJsonArray tokens = QJsonDocument::fromJson(list.body).array();
    QCOMPARE(tokens.size(), 1);
    const QString adminId = server.services().users.byUsername(u"admin"_s)->id;
    QCOMPARE(tokens[0].toObject(), QJsonObject({{u"token"_s, first},
                                                {u"user_id"_s, adminId},
                                                {u"expires_at"_s, now + 15LL * 24 * 3600 * 1000}}));
    QCOMPARE(server.client().get("/api/auth/verify-token?token=" + first.toLatin1()).body,
             QByteArray("true"));

    server.clock().advanceSecs(12 * 24 * 3600 + 1); // under 3 days left: a new one
    const QByteArray later = adminToken(server);
    const QString second = apiToken(server, later);
    QVERIFY(second != first);
    list = server.client().request("POST", "/api/auth/me/tokens", {}, bearer(later));
    tokens = QJsonDocument::fromJson(list.body).array();
    QCOMPARE(tokens.size(), 2);
    QCOMPARE(tokens[0].toObject().value(u"token").toString(), second); // newest expiry first
    QCOMPARE(tokens[1].toObject().value(u"token").toString(), first);
    QCOMPARE(server.client().get("/api/auth/verify-token?token=" + first.toLatin1()).body,
             QByteArray("true"));
    server.clock().advanceSecs(3 * 24 * 3600);
    QCOMPARE(server.client().get("/api/auth/verify-token?token=" + first.toLatin1()).body,
             QByteArray("false"));
    QCOMPARE(server.client().get("/api/auth/verify-token?token=" + second.toLatin1()).body,
             QByteArray("true"));
    server.services().users.setDisabled(adminId, true);
    QCOMPARE(server.client().get("/api/auth/verify-token?token=" + second.toLatin1()).body,
             QByteArray("false"));
}

void TstAccountApi::apiTokensNeverStoredInPlaintext()
{
    TestServer server;
    const QString token = apiToken(server, adminToken(server));
    Sql q(*server.services().db, u"SELECT token_hash, label, data FROM issued_tokens"_s);
    q.exec();
    int rows = 0;
    while (q.next()) {
        ++rows;
        for (const QString &column : {u"token_hash"_s, u"label"_s, u"data"_s})
            QVERIFY(!q.value(column).toString().contains(token));
    }
    QCOMPARE(rows, 1);
}

void TstAccountApi::verifyTokenErrors()
{
    TestServer server;
    auto client = server.client();
    QCOMPARE(client.get("/api/auth/verify-token?token=abcdefghij").body, QByteArray("false"));
    QCOMPARE(client.get("/api/auth/verify-token?token=").body, QByteArray("false"));
    const HttpReply missing = client.get("/api/auth/verify-token");
    QCOMPARE(missing.status, 400);
    QCOMPARE(missing.json().value(u"detail").toString(), u"query parameter 'token' is required"_s);
    QCOMPARE(client.get("/api/auth/verify-token?token=" + QByteArray(100, 'x')).status, 400);
    QCOMPARE(client.request("POST", "/api/auth/me/create-token").status, 401);
    QCOMPARE(client.request("POST", "/api/auth/me/tokens").status, 401);
}

void TstAccountApi::setName()
{
    TestServer server;
    const QByteArray jwt = newUser(server, u"ada@example.com"_s);
    auto client = server.client();
    HttpReply r =
        client.request("PUT", "/api/auth/me/name", R"({"name":"  Ada L. "})", bearer(jwt));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArray("true"));
    QCOMPARE(client.get("/api/auth/me", bearer(jwt)).json().value(u"name").toString(), u"Ada L."_s);
    r = client.request("PUT", "/api/auth/me/name", "{}", bearer(jwt));
    QCOMPARE(r.status, 400);
    QCOMPARE(r.json().value(u"detail").toString(), u"field 'name' is required"_s);
    r = client.request("PUT", "/api/auth/me/name", R"({"name":")" + QByteArray(129, 'n') + R"("})",
                       bearer(jwt));
    QCOMPARE(r.status, 400);
    QCOMPARE(client.request("PUT", "/api/auth/me/name", R"({"name":"x"})").status, 401);
}

void TstAccountApi::changePassword()
{
    TestServer server;
    const QByteArray jwt = adminToken(server);
    auto client = server.client();
    // The origin's field names: old_password, new_password.
    HttpReply r =
        client.request("PUT", "/api/auth/me/password",
                       R"({"old_password":"admin","new_password":"a longer secret"})", bearer(jwt));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArray("true"));
    QVERIFY(!server.services().accounts.defaultAdminPasswordUnchanged());
    QCOMPARE(login(server, u"admin"_s, u"admin"_s).status, 401);
    QCOMPARE(login(server, u"admin"_s, u"a longer secret"_s).status, 200);
    // "password" is accepted for the new one too.
    r = client.request("PUT", "/api/auth/me/password",
                       R"({"old_password":"a longer secret","password":"another secret"})",
                       bearer(jwt));
    QCOMPARE(r.status, 200);
    QCOMPARE(login(server, u"admin"_s, u"another secret"_s).status, 200);
}

void TstAccountApi::changePasswordErrors()
{
    TestServer server;
    const QByteArray jwt = adminToken(server);
    auto client = server.client();
    const auto put = [&](const QByteArray &body) {
        return client.request("PUT", "/api/auth/me/password", body, bearer(jwt));
    };
    HttpReply r = put(R"({"old_password":"wrong","new_password":"a longer secret"})");
    QCOMPARE(r.status, 401);
    QCOMPARE(r.json().value(u"detail").toString(), u"the current password is wrong"_s);
    r = put(R"({"new_password":"a longer secret"})");
    QCOMPARE(r.status, 400);
    QCOMPARE(r.json().value(u"detail").toString(), u"field 'old_password' is required"_s);
    r = put(R"({"old_password":"admin"})");
    QCOMPARE(r.status, 400);
    QCOMPARE(r.json().value(u"detail").toString(), u"field 'new_password' is required"_s);
    r = put(R"({"old_password":"admin","new_password":"short"})");
    QCOMPARE(r.status, 400);
    QVERIFY(r.json().value(u"detail").toString().startsWith(u"field 'new_password' must be"));
    r = put(R"({"old_password":"admin","password":"Admin"})");
    QCOMPARE(r.status, 400);
    QVERIFY(r.json().value(u"detail").toString().startsWith(u"field 'password' must"));
    QCOMPARE(client.request("PUT", "/api/auth/me/password", R"({"old_password":"admin"})").status,
             401);
    QVERIFY(server.services().accounts.defaultAdminPasswordUnchanged());
}

void TstAccountApi::unknownRoutesKeepTheShape()
{
    TestServer server;
    auto client = server.client();
    const HttpReply notFound = client.get("/api/auth/nothing-here");
    QCOMPARE(notFound.status, 404);
    QVERIFY(isErrorShape(notFound));
    const HttpReply wrongMethod = client.get("/api/auth/login");
    QCOMPARE(wrongMethod.status, 405);
    QVERIFY(isErrorShape(wrongMethod));
    QCOMPARE(wrongMethod.header("allow"), QByteArray("POST"));
    // POST /api/auth (no slash) stays the namespace surface's, with its own shape.
    const HttpReply ns = client.postJson("/api/auth", {});
    QCOMPARE(ns.status, 400);
    QVERIFY(!ns.json().contains(u"detail"_s));
}

QTEST_GUILESS_MAIN(TstAccountApi)
#include "tst_accountapi.moc"
