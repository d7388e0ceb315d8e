// SPDX-License-Identifier: GPL-3.0-or-later
// The account surface as lncrawl-web reads it (issue 11): create-token answers
// {"token"}, `error` carries the reason a person reads (stringifyError shows it first),
// DELETE /api/auth/me closes the caller's account, the reset token reads GET /me and
// nothing else, and the user object has the origin's fields (lncrawl/dao/user.py).
#include "accounttesting.h"

using namespace Qt::StringLiterals;

using namespace AccountTesting;

class TstAccountCompat : public QObject
{
    Q_OBJECT

private:
    static QByteArray resetTokenFor(TestServer &server, const QString &email)
    {
        server.client().postJson("/api/auth/send-password-reset-link", {{u"email"_s, email}});
        return firstMatch(lastMessageTo(server, email).body, u"/reset-password\\?token=(\\S+)"_s)
            .toLatin1();
    }

private Q_SLOTS:
    void createTokenAnswersAnObject();
    void errorsSayWhy_data();
    void errorsSayWhy();
    void otpErrorsSayWhy();
    void deleteMeDeactivates();
    void lastAdminCannotDeleteItself();
    void resetTokenReadsOnlyItsAccount();
    void userObjectHasTheOriginsFields();
};

void TstAccountCompat::createTokenAnswersAnObject()
{
    TestServer server;
    const HttpReply reply = server.client().request("POST", "/api/auth/me/create-token", {},
                                                    bearer(adminToken(server)));
    QCOMPARE(reply.status, 200);
    QVERIFY2(QRegularExpression(u"^\\{\"token\":\"[1-9A-HJ-NP-Za-km-z]{10}\"\\}$"_s)
                 .match(QString::fromUtf8(reply.body))
                 .hasMatch(),
             reply.body.constData());
    // The token it names refers a signup.
    const QString token = reply.json().value(u"token").toString();
    QCOMPARE(signup(server, token, u"ada@example.com"_s).status, 200);
}

void TstAccountCompat::errorsSayWhy_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QJsonObject>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QString>("detail");
    const QString ok = u"correct horse"_s;
    QTest::newRow("short password") << QByteArray("/api/auth/signup")
                                    << QJsonObject{{u"referrer"_s, u"REFERRER"_s},
                                                   {u"email"_s, u"b@example.com"_s},
                                                   {u"password"_s, u"short"_s}}
                                    << 400 << u"Password must be at least 8 characters long"_s
                                    << u"field 'password' must be at least 8 characters long"_s;
    QTest::newRow("bad email") << QByteArray("/api/auth/signup")
                               << QJsonObject{{u"referrer"_s, u"REFERRER"_s},
                                              {u"email"_s, u"nope"_s},
                                              {u"password"_s, ok}}
                               << 400 << u"Email is not a valid email address"_s
                               << u"field 'email' is not a valid email address"_s;
    QTest::newRow("user exists") << QByteArray("/api/auth/signup")
                                 << QJsonObject{{u"referrer"_s, u"REFERRER"_s},
                                                {u"email"_s, u"ada@example.com"_s},
                                                {u"password"_s, ok}}
                                 << 409 << u"User already exists"_s
                                 << u"an account with this email exists"_s;
    QTest::newRow("bad referrer") << QByteArray("/api/auth/signup")
                                  << QJsonObject{{u"referrer"_s, u"1111111111"_s},
                                                 {u"email"_s, u"c@example.com"_s},
                                                 {u"password"_s, ok}}
                                  << 403 << u"Invalid token"_s
                                  << u"the referrer token is invalid or expired"_s;
    QTest::newRow("wrong password")
        << QByteArray("/api/auth/login")
        << QJsonObject{{u"email"_s, u"ada@example.com"_s}, {u"password"_s, u"wrong horse"_s}} << 401
        << u"Wrong email or password"_s << u"wrong email or password"_s;
    QTest::newRow("inactive") << QByteArray("/api/auth/login")
                              << QJsonObject{{u"email"_s, u"off@example.com"_s},
                                             {u"password"_s, ok}}
                              << 403 << u"User is inactive"_s << u"this account is disabled"_s;
}

void TstAccountCompat::errorsSayWhy()
{
    QFETCH(QByteArray, path);
    QFETCH(QJsonObject, body);
    QFETCH(int, status);
    QFETCH(QString, error);
    QFETCH(QString, detail);
    TestServer server;
    const QString referrer = apiToken(server, adminToken(server));
    QCOMPARE(signup(server, referrer, u"ada@example.com"_s).status, 200);
    QCOMPARE(signup(server, referrer, u"off@example.com"_s).status, 200);
    Users &users = server.services().users;
    users.setDisabled(users.byEmail(u"off@example.com"_s)->id, true);
    if (body.value(u"referrer").toString() == u"REFERRER")
        body.insert(u"referrer"_s, referrer);
    const HttpReply reply = server.client().postJson(path, body);
    QCOMPARE(reply.status, status);
    QVERIFY(isErrorShape(reply));
    QCOMPARE(reply.json().value(u"error").toString(), error);
    QCOMPARE(reply.json().value(u"detail").toString(), detail);
}

void TstAccountCompat::otpErrorsSayWhy()
{
    TestServer server;
    const QByteArray jwt = newUser(server, u"ada@example.com"_s);
    const HttpReply sent =
        server.client().request("POST", "/api/auth/me/send-otp", {}, bearer(jwt));
    const QByteArray otpToken = sent.json().value(u"token").toString().toLatin1();
    const QByteArray code =
        firstMatch(lastMessageTo(server, u"ada@example.com"_s).body, u"\\b(\\d{6})\\b"_s)
            .toLatin1();
    const HttpReply wrong = verifyOtp(server, code == "000000" ? "111111" : "000000", otpToken);
    QCOMPARE(wrong.status, 403);
    QCOMPARE(wrong.json().value(u"error").toString(), u"Wrong OTP"_s);
    const HttpReply bad = verifyOtp(server, code, "not-a-token");
    QCOMPARE(bad.status, 403);
    QCOMPARE(bad.json().value(u"error").toString(), u"Invalid token"_s);
    server.clock().advanceSecs(3600);
    const HttpReply late = verifyOtp(server, code, otpToken);
    QCOMPARE(late.status, 403);
    QCOMPARE(late.json().value(u"error").toString(), u"Token expired"_s);
    // Asked again too soon: the wait, in words, in `error`.
    const QByteArray fresh = loginToken(server, u"ada@example.com"_s, u"correct horse"_s);
    QCOMPARE(server.client().request("POST", "/api/auth/me/send-otp", {}, bearer(fresh)).status,
             200);
    const HttpReply soon =
        server.client().request("POST", "/api/auth/me/send-otp", {}, bearer(fresh));
    QCOMPARE(soon.status, 429);
    QVERIFY2(soon.json().value(u"error").toString().startsWith(u"A code was sent less than"),
             soon.body.constData());
}

void TstAccountCompat::deleteMeDeactivates()
{
    TestServer server;
    const QByteArray jwt = newUser(server, u"ada@example.com"_s);
    const QString referral = apiToken(server, jwt);
    server.clock().advanceSecs(1); // the session predates the deactivation
    auto client = server.client();
    QCOMPARE(client.request("DELETE", "/api/auth/me").status, 401);
    const HttpReply gone = client.request("DELETE", "/api/auth/me", {}, bearer(jwt));
    QCOMPARE(gone.status, 200);
    QCOMPARE(gone.body, QByteArray("true"));
    QVERIFY(server.services().users.byEmail(u"ada@example.com"_s)->disabled);
    // Its session, a new login, and its referral token are all refused from now on.
    const HttpReply me = client.get("/api/auth/me", bearer(jwt));
    QCOMPARE(me.status, 401); // signed out everywhere: the JWT is revoked
    const HttpReply again = login(server, u"ada@example.com"_s, u"correct horse"_s);
    QCOMPARE(again.status, 403);
    QCOMPARE(again.json().value(u"error").toString(), u"User is inactive"_s);
    QCOMPARE(client.get("/api/auth/verify-token?token=" + referral.toLatin1()).body,
             QByteArray("false"));
    QCOMPARE(signup(server, referral, u"bo@example.com"_s).status, 403);
    // The admin brings it back the usual way.
    Users &users = server.services().users;
    users.setDisabled(users.byEmail(u"ada@example.com"_s)->id, false);
    QCOMPARE(login(server, u"ada@example.com"_s, u"correct horse"_s).status, 200);
}

void TstAccountCompat::lastAdminCannotDeleteItself()
{
    TestServer server;
    const QByteArray admin = adminToken(server);
    const HttpReply refused = server.client().request("DELETE", "/api/auth/me", {}, bearer(admin));
    QCOMPARE(refused.status, 403);
    QCOMPARE(refused.json().value(u"error").toString(),
             u"You are not allowed to delete your own account"_s);
    QVERIFY(refused.json().value(u"detail").toString().contains(u"only active admin"_s));
    QCOMPARE(server.client().get("/api/auth/me", bearer(admin)).status, 200);
    // With a second admin it may go.
    Users &users = server.services().users;
    const QByteArray other = newUser(server, u"root@example.com"_s);
    users.setRole(users.byEmail(u"root@example.com"_s)->id, u"admin"_s, true);
    QCOMPARE(server.client().request("DELETE", "/api/auth/me", {}, bearer(admin)).status, 200);
    QCOMPARE(server.client().request("DELETE", "/api/auth/me", {}, bearer(other)).status, 403);
}

void TstAccountCompat::resetTokenReadsOnlyItsAccount()
{
    TestServer server;
    const QByteArray jwt = newUser(server, u"ada@example.com"_s);
    const QJsonObject user = server.client().get("/api/auth/me", bearer(jwt)).json();
    const QByteArray reset = resetTokenFor(server, u"ada@example.com"_s);
    QVERIFY(!reset.isEmpty());
    auto client = server.client();
    const HttpReply me = client.get("/api/auth/me", bearer(reset));
    QCOMPARE(me.status, 200);
    QCOMPARE(me.json(), user);
    // Everything else a login JWT opens stays shut to it.
    const QList<std::pair<QByteArray, QByteArray>> others = {{"DELETE", "/api/auth/me"},
                                                             {"PUT", "/api/auth/me/name"},
                                                             {"PUT", "/api/auth/me/password"},
                                                             {"POST", "/api/auth/me/send-otp"},
                                                             {"POST", "/api/auth/me/create-token"},
                                                             {"POST", "/api/auth/me/tokens"}};
    for (const auto &[method, path] : others) {
        const HttpReply r =
            client.request(method, path,
                           R"({"name":"x","old_password":"correct horse",)"
                           R"("new_password":"another horse"})",
                           bearer(reset) + Headers{{"Content-Type", "application/json"}});
        QVERIFY2(r.status == 401, qPrintable(QString::fromLatin1(method + ' ' + path)));
    }
    QVERIFY(!server.services().users.byEmail(u"ada@example.com"_s)->disabled);
    // Spent, it reads nothing either.
    QCOMPARE(client
                 .request("POST", "/api/auth/reset-password-with-token",
                          R"({"password":"another horse"})",
                          bearer(reset) + Headers{{"Content-Type", "application/json"}})
                 .status,
             200);
    QCOMPARE(client.get("/api/auth/me", bearer(reset)).status, 401);
}

void TstAccountCompat::userObjectHasTheOriginsFields()
{
    TestServer server;
    const qint64 before = server.clock().nowMs();
    const QByteArray jwt = newUser(server, u"ada@example.com"_s);
    const QJsonObject user = server.client().get("/api/auth/me", bearer(jwt)).json();
    // lncrawl/dao/user.py + _base.py (password excluded), plus username and is_admin.
    QStringList keys = user.keys();
    keys.sort();
    QCOMPARE(keys, QStringList({u"created_at"_s, u"email"_s, u"extra"_s, u"id"_s, u"is_active"_s,
                                u"is_admin"_s, u"is_verified"_s, u"name"_s, u"referrer_id"_s,
                                u"role"_s, u"tier"_s, u"updated_at"_s, u"username"_s}));
    QCOMPARE(user.value(u"tier"), QJsonValue(0));
    QVERIFY(user.value(u"extra").isObject());
    QCOMPARE(user.value(u"is_active"), QJsonValue(true));
    QCOMPARE(user.value(u"is_verified"), QJsonValue(false));
    QCOMPARE(user.value(u"role").toString(), u"user"_s);
    QVERIFY(user.value(u"created_at").toDouble() >= double(before)); // milliseconds
    QVERIFY(user.value(u"updated_at").toDouble() >= user.value(u"created_at").toDouble());
    const QJsonObject admin =
        server.client().get("/api/auth/me", bearer(adminToken(server))).json();
    QCOMPARE(admin.value(u"email").toString(), u"admin"_s);
    QCOMPARE(admin.value(u"tier"), QJsonValue(2)); // VIP, as the origin seeds its admin
    QCOMPARE(admin.value(u"role").toString(), u"admin"_s);
}

QTEST_GUILESS_MAIN(TstAccountCompat)
#include "tst_accountcompat.moc"
