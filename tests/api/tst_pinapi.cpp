// SPDX-License-Identifier: GPL-3.0-or-later
// The pin surface (seed 002): POST /auth/login {name, pin}, POST /auth/refresh,
// POST /auth/logout, cookies, brute-force backoff, and the shared /auth/login dispatch.
#include "crypto/jwt.h"
#include "services.h"
#include "testserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QtTest>

using namespace Qt::StringLiterals;

using Headers = QList<std::pair<QByteArray, QByteArray>>;

class TstPinApi : public QObject
{
    Q_OBJECT

private:
    static void addUser(TestServer &server, const QString &name = u"cooluser1"_s,
                        const QString &pin = u"0000"_s)
    {
        const auto user = server.services().pinAuth.setPin(name, pin, true, u"test"_s);
        QVERIFY2(user.ok(), qPrintable(user.error()));
    }
    static HttpReply login(TestServer &server, const QString &name, const QString &pin,
                           const Headers &headers = {})
    {
        return server.client().postJson("/auth/login", {{u"name"_s, name}, {u"pin"_s, pin}},
                                        headers);
    }
    static QByteArray setCookieLine(const HttpReply &reply, const QByteArray &name)
    {
        for (const QByteArray &line : reply.headerValues("set-cookie"))
            if (line.startsWith(name + '='))
                return line;
        return {};
    }
    static Headers cookies(const QByteArray &access, const QByteArray &refresh)
    {
        // Two Cookie headers, as the seed's curl examples send them.
        return {{"Cookie", "accessToken=" + access}, {"Cookie", "refreshToken=" + refresh}};
    }

private Q_SLOTS:
    void loginSetsCookiesAndBody();
    void loginSecureCookieBehindTls();
    void loginErrors_data();
    void loginErrors();
    void sharedLoginDispatch_data();
    void sharedLoginDispatch();
    void refreshWithTwoCookieHeaders();
    void refreshErrors();
    void logoutRevokesAndDeletesCookies();
    void logoutNeedsValidAccessToken();
    void bruteForceLocksThenRecovers();
    void bruteForcePerAddress();
    void lockoutSurvivesRestartAndConsoleUnlocks();
    void newPinEndsSessions();
};

void TstPinApi::loginSetsCookiesAndBody()
{
    TestServer server;
    addUser(server);
    const HttpReply reply = login(server, u"cooluser1"_s, u"0000"_s);
    QCOMPARE(reply.status, 200);
    const QJsonObject body = reply.json();
    QCOMPARE(body.value(u"message").toString(), u"Login successful"_s);
    const QJsonObject user = body.value(u"user").toObject();
    QVERIFY(!user.value(u"userId").toString().isEmpty());
    QCOMPARE(user.value(u"name").toString(), u"cooluser1"_s);
    QCOMPARE(user.value(u"role").toString(), u"user"_s);
    QCOMPARE(user.value(u"isAdmin").toBool(true), false);
    // Keys in the origin's order (Ambrosia's LoginResponse), byte for byte.
    static const QRegularExpression shape(
        u"^\\{\"message\":\"Login successful\",\"user\":\\{\"userId\":\"[0-9a-f-]{36}\","
        u"\"name\":\"cooluser1\",\"email\":null,\"phone\":null,\"role\":\"user\","
        u"\"roleId\":\"[0-9a-f]{32}\",\"isAdmin\":false\\},\"perms\":\\[\\{\"id\":\""_s);
    QVERIFY2(shape.match(QString::fromUtf8(reply.body)).hasMatch(), reply.body.constData());

    const QByteArray access = setCookieLine(reply, "accessToken");
    const QByteArray refresh = setCookieLine(reply, "refreshToken");
    for (const QByteArray &line : {access, refresh}) {
        QVERIFY2(line.contains("; Path=/;") || line.contains("; Path=/"), line.constData());
        QVERIFY2(line.contains("; HttpOnly"), line.constData());
        QVERIFY2(line.contains("; SameSite=Lax"), line.constData());
        QVERIFY2(!line.contains("Secure"), line.constData());
    }
    QVERIFY2(access.contains("Max-Age=60;") || access.endsWith("Max-Age=60"), access.constData());
    QVERIFY2(refresh.contains("Max-Age=2592000"), refresh.constData());

    const QJsonObject a = Jwt::unverifiedPayload(reply.cookie("accessToken"));
    QCOMPARE(a.value(u"exp").toInteger() - a.value(u"iat").toInteger(), 60);
    const QJsonObject r = Jwt::unverifiedPayload(reply.cookie("refreshToken"));
    QCOMPARE(r.value(u"exp").toInteger() - r.value(u"iat").toInteger(), 30 * 24 * 3600);
    QVERIFY(!r.value(u"jti").toString().isEmpty());

    // The refresh token is recorded (hashed) so the console can list and revoke it.
    TokenFilter filter;
    filter.kind = TokenKind::refresh;
    filter.userId = user.value(u"userId").toString();
    QCOMPARE(server.services().tokens.count(filter), 1);
    // Names are case-insensitive.
    QCOMPARE(login(server, u"CoolUser1"_s, u"0000"_s).status, 200);
}

void TstPinApi::loginSecureCookieBehindTls()
{
    TestServer server;
    addUser(server);
    const HttpReply reply =
        login(server, u"cooluser1"_s, u"0000"_s, {{"X-Forwarded-Proto", "https"}});
    QCOMPARE(reply.status, 200);
    QVERIFY(setCookieLine(reply, "accessToken").contains("; Secure"));
    QVERIFY(setCookieLine(reply, "refreshToken").contains("; Secure"));
}

void TstPinApi::loginErrors_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("message");
    const QString required = u"Name and PIN are required"_s;
    QTest::newRow("empty name") << QByteArray(R"({"name":"","pin":"0000"})") << 400 << required;
    QTest::newRow("null name") << QByteArray(R"({"name":null,"pin":"0000"})") << 400 << required;
    QTest::newRow("empty pin") << QByteArray(R"({"name":"cooluser1","pin":""})") << 400 << required;
    QTest::newRow("numeric pin") << QByteArray(R"({"name":"cooluser1","pin":1234})") << 400
                                 << required;
    QTest::newRow("wrong pin") << QByteArray(R"({"name":"cooluser1","pin":"9999"})") << 401
                               << u"Invalid credentials"_s;
    QTest::newRow("unknown name") << QByteArray(R"({"name":"nobody","pin":"0000"})") << 401
                                  << u"Invalid credentials"_s;
    QTest::newRow("no PIN set") << QByteArray(R"({"name":"nopin","pin":"0000"})") << 401
                                << u"Invalid credentials"_s;
    QTest::newRow("disabled") << QByteArray(R"({"name":"gone","pin":"0000"})") << 401
                              << u"Invalid credentials"_s;
}

void TstPinApi::loginErrors()
{
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, message);
    TestServer server;
    addUser(server);
    addUser(server, u"gone"_s);
    server.services().users.setDisabled(server.services().users.byUsername(u"gone"_s)->id, true);
    User noPin;
    noPin.username = u"nopin"_s;
    QVERIFY(server.services().users.create(noPin).ok());
    const HttpReply reply = server.client().request("POST", "/auth/login", body);
    QCOMPARE(reply.status, status);
    QCOMPARE(reply.json(), QJsonObject({{u"message"_s, message}}));
    QVERIFY(reply.headerValues("set-cookie").isEmpty());
}

void TstPinApi::sharedLoginDispatch_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("key");
    QTest::newRow("pin wins over username")
        << QByteArray(R"({"name":"cooluser1","pin":"0000","username":"x"})") << 200 << u"message"_s;
    QTest::newRow("username goes to device")
        << QByteArray(R"({"username":"someone","session_platform":"cURL"})") << 400 << u"error"_s;
    QTest::newRow("neither") << QByteArray(R"({"name":"cooluser1"})") << 400 << u"both"_s;
    QTest::newRow("not json") << QByteArray("name=cooluser1&pin=0000") << 400 << u"both"_s;
    QTest::newRow("array") << QByteArray("[]") << 400 << u"both"_s;
}

void TstPinApi::sharedLoginDispatch()
{
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, key);
    TestServer server;
    addUser(server);
    const HttpReply reply = server.client().request("POST", "/auth/login", body);
    QCOMPARE(reply.status, status);
    const QJsonObject json = reply.json();
    if (key == u"both") {
        QVERIFY(!json.value(u"error").toString().isEmpty());
        QCOMPARE(json.value(u"message"), json.value(u"error"));
    } else {
        QVERIFY2(json.contains(key), reply.body.constData());
    }
}

void TstPinApi::refreshWithTwoCookieHeaders()
{
    TestServer server;
    addUser(server);
    const HttpReply first = login(server, u"cooluser1"_s, u"0000"_s);
    const QByteArray access = first.cookie("accessToken");
    const QByteArray refresh = first.cookie("refreshToken");
    server.clock().advanceSecs(90); // the access token has expired

    const HttpReply reply =
        server.client().request("POST", "/auth/refresh", QByteArray(), cookies(access, refresh));
    QCOMPARE(reply.status, 200);
    const QJsonObject body = reply.json();
    QCOMPARE(body.value(u"message").toString(), u"Access token refreshed successfully"_s);
    const QByteArray fresh = body.value(u"accessToken").toString().toLatin1();
    QCOMPARE(reply.body, R"({"message":"Access token refreshed successfully","accessToken":")" +
                             fresh + R"("})");
    QCOMPARE(reply.cookie("accessToken"), fresh);
    QVERIFY(setCookieLine(reply, "accessToken").contains("Max-Age=60"));
    QVERIFY(setCookieLine(reply, "refreshToken").isEmpty());
    // The new access token works where the old one no longer does.
    QCOMPARE(server.client()
                 .request("POST", "/auth/logout", QByteArray(), cookies(access, refresh))
                 .status,
             401);
    QCOMPARE(server.client()
                 .request("POST", "/auth/logout", QByteArray(), cookies(fresh, refresh))
                 .status,
             200);
}

void TstPinApi::refreshErrors()
{
    TestServer server;
    addUser(server);
    const HttpReply first = login(server, u"cooluser1"_s, u"0000"_s);
    const QByteArray access = first.cookie("accessToken");
    const QByteArray refresh = first.cookie("refreshToken");
    HttpClient client = server.client();
    const auto post = [&](const Headers &headers) {
        return client.request("POST", "/auth/refresh", QByteArray(), headers);
    };
    HttpReply reply = post({});
    QCOMPARE(reply.status, 401);
    QCOMPARE(reply.json(), QJsonObject({{u"message"_s, u"Refresh token not found"_s}}));
    reply = post({{"Cookie", "refreshToken=garbage"}});
    QCOMPARE(reply.status, 401);
    QCOMPARE(reply.json().value(u"message").toString(), u"Invalid or expired refresh token"_s);
    // An access token is not a refresh token (the JWT purpose differs).
    QCOMPARE(post({{"Cookie", "refreshToken=" + access}}).status, 401);
    QCOMPARE(post({{"Cookie", "refreshToken=" + refresh}}).status, 200);

    // Revoked from the console (TokenStore) -> refused although the JWT is valid.
    TokenFilter filter;
    filter.kind = TokenKind::refresh;
    const auto live = server.services().tokens.list(filter);
    QCOMPARE(live.size(), 1);
    QVERIFY(server.services().tokens.revoke(live.first().id));
    reply = post(cookies(access, refresh));
    QCOMPARE(reply.status, 401);
    QCOMPARE(reply.json().value(u"message").toString(), u"Invalid or expired refresh token"_s);

    // Expired after 30 days.
    const QByteArray second = login(server, u"cooluser1"_s, u"0000"_s).cookie("refreshToken");
    server.clock().advanceSecs(29 * 24 * 3600);
    QCOMPARE(post({{"Cookie", "refreshToken=" + second}}).status, 200);
    server.clock().advanceSecs(2 * 24 * 3600);
    QCOMPARE(post({{"Cookie", "refreshToken=" + second}}).status, 401);
}

void TstPinApi::logoutRevokesAndDeletesCookies()
{
    TestServer server;
    addUser(server);
    const HttpReply first = login(server, u"cooluser1"_s, u"0000"_s);
    const QByteArray access = first.cookie("accessToken");
    const QByteArray refresh = first.cookie("refreshToken");
    const HttpReply reply =
        server.client().request("POST", "/auth/logout", QByteArray(), cookies(access, refresh));
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json(), QJsonObject({{u"message"_s, u"Logout successful"_s}}));
    for (const QByteArray &name : {QByteArray("accessToken"), QByteArray("refreshToken")}) {
        const QByteArray line = setCookieLine(reply, name);
        QVERIFY2(line.startsWith(name + "=;"), line.constData());
        QVERIFY2(line.contains("Max-Age=0"), line.constData());
        QVERIFY2(line.contains("Path=/"), line.constData());
    }
    // The refresh token is revoked server-side.
    const HttpReply again =
        server.client().request("POST", "/auth/refresh", QByteArray(), cookies(access, refresh));
    QCOMPARE(again.status, 401);
    TokenFilter filter;
    filter.kind = TokenKind::refresh;
    QCOMPARE(server.services().tokens.count(filter), 0);
}

void TstPinApi::logoutNeedsValidAccessToken()
{
    TestServer server;
    addUser(server);
    const HttpReply first = login(server, u"cooluser1"_s, u"0000"_s);
    const QByteArray access = first.cookie("accessToken");
    const QByteArray refresh = first.cookie("refreshToken");
    HttpClient client = server.client();
    HttpReply reply = client.request("POST", "/auth/logout");
    QCOMPARE(reply.status, 401);
    QCOMPARE(reply.json(), QJsonObject({{u"message"_s, u"Access token not found"_s}}));
    // A refresh token in the access cookie does not verify (purpose-bound keys).
    reply = client.request("POST", "/auth/logout", {}, {{"Cookie", "accessToken=" + refresh}});
    QCOMPARE(reply.status, 401);
    server.clock().advanceSecs(61);
    reply = client.request("POST", "/auth/logout", {}, cookies(access, refresh));
    QCOMPARE(reply.status, 401);
    QCOMPARE(reply.json().value(u"message").toString(), u"Invalid or expired access token"_s);
    // Nothing was revoked by the refused logouts.
    QCOMPARE(client.request("POST", "/auth/refresh", {}, cookies(access, refresh)).status, 200);
    // Wrong method and unknown paths keep the surface's shape.
    reply = client.get("/auth/logout");
    QCOMPARE(reply.status, 405);
    QVERIFY(reply.json().contains(u"message"));
}

void TstPinApi::bruteForceLocksThenRecovers()
{
    TestServer server;
    addUser(server);
    for (int i = 0; i < 5; ++i)
        QCOMPARE(login(server, u"cooluser1"_s, u"1111"_s).status, 401);
    // Locked: even the right PIN gets 429, without being checked.
    HttpReply reply = login(server, u"cooluser1"_s, u"0000"_s);
    QCOMPARE(reply.status, 429);
    QCOMPARE(reply.json(), QJsonObject({{u"retryAfter"_s, 30}}));
    QCOMPARE(reply.header("retry-after"), QByteArray("30"));
    server.clock().advanceSecs(10);
    QCOMPARE(login(server, u"cooluser1"_s, u"0000"_s).json().value(u"retryAfter").toInt(), 20);

    // The wait grows with each further failure: 30 s, then 60 s.
    server.clock().advanceSecs(21);
    QCOMPARE(login(server, u"cooluser1"_s, u"2222"_s).status, 401);
    reply = login(server, u"cooluser1"_s, u"0000"_s);
    QCOMPARE(reply.status, 429);
    QCOMPARE(reply.json().value(u"retryAfter").toInt(), 60);

    // After the wait the right PIN works and the name starts over.
    server.clock().advanceSecs(61);
    QCOMPARE(login(server, u"cooluser1"_s, u"0000"_s).status, 200);
    QVERIFY(server.services().pinAuth.lockout().entries(true).isEmpty());
}

void TstPinApi::bruteForcePerAddress()
{
    TestServer server;
    addUser(server);
    // Five different names from one address: the address is locked, for every name.
    for (int i = 0; i < 5; ++i)
        QCOMPARE(login(server, u"guess%1"_s.arg(i), u"1234"_s).status, 401);
    const HttpReply reply = login(server, u"cooluser1"_s, u"0000"_s);
    QCOMPARE(reply.status, 429);
    QCOMPARE(reply.header("retry-after"), QByteArray("30"));
    const auto locked = server.services().pinAuth.lockout().entries(true);
    QCOMPARE(locked.size(), 1);
    QCOMPARE(locked.first().kind(), u"ip"_s);
    QCOMPARE(locked.first().value(), u"127.0.0.1"_s);
    server.clock().advanceSecs(31);
    QCOMPARE(login(server, u"cooluser1"_s, u"0000"_s).status, 200);
}

void TstPinApi::lockoutSurvivesRestartAndConsoleUnlocks()
{
    TestServer server;
    addUser(server);
    for (int i = 0; i < 5; ++i)
        QCOMPARE(login(server, u"cooluser1"_s, u"1111"_s).status, 401);
    // A fresh PinLockout over the same database (a restarted or second instance).
    PinLockout restarted(*server.services().db, server.clock());
    QVERIFY(restarted.begin(u"cooluser1"_s, u"198.51.100.9"_s).has_value());
    const auto entries = restarted.entries(true);
    QCOMPARE(entries.size(), 2); // the name and 127.0.0.1
    // The console lifts both locks.
    QCOMPARE(server.services().pinAuth.lockedOut().size(), 2);
    QVERIFY(server.services().pinAuth.unlock(u"cooluser1"_s, u"admin"_s, u"console"_s));
    QVERIFY(server.services().pinAuth.lockout().unlock(u"ip:127.0.0.1"_s));
    QVERIFY(!server.services().pinAuth.lockout().unlock(u"ip:127.0.0.1"_s));
    QCOMPARE(login(server, u"cooluser1"_s, u"0000"_s).status, 200);
}

void TstPinApi::newPinEndsSessions()
{
    TestServer server;
    addUser(server);
    const HttpReply first = login(server, u"cooluser1"_s, u"0000"_s);
    addUser(server, u"cooluser1"_s, u"4321"_s); // the admin sets a new PIN
    const HttpReply reply = server.client().request(
        "POST", "/auth/refresh", {}, {{"Cookie", "refreshToken=" + first.cookie("refreshToken")}});
    QCOMPARE(reply.status, 401);
    QCOMPARE(login(server, u"cooluser1"_s, u"0000"_s).status, 401);
    QCOMPARE(login(server, u"cooluser1"_s, u"4321"_s).status, 200);
    QVERIFY(!server.services().pinAuth.setPin(u"cooluser1"_s, u"12a4"_s, true, u"t"_s).ok());
    QVERIFY(!server.services().pinAuth.setPin(u"new"_s, u"1234"_s, false, u"t"_s).ok());
}

QTEST_GUILESS_MAIN(TstPinApi)
#include "tst_pinapi.moc"
