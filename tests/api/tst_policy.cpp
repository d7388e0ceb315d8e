// SPDX-License-Identifier: GPL-3.0-or-later
// Token lifetimes and rate limits from the settings ([lifetimes], [limits]; the console's
// "Token lifetimes and rate limits" group) reach every surface: cookies, JWT claims,
// stored expiries, PIN lockouts and one-time codes follow them instead of the defaults.
#include "accounttesting.h"
#include "crypto/jwt.h"
#include "walletapitesting.h"

using namespace Qt::StringLiterals;

class TstPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pinLifetimesAndLockout();
    void accountAndApiTokenLifetimes();
    void deviceSessionLifetime();
    void walletSessionAndCodeLimits();
};

namespace {

QByteArray cookieLine(const HttpReply &reply, const QByteArray &name)
{
    for (const QByteArray &line : reply.headerValues("set-cookie"))
        if (line.startsWith(name + '='))
            return line;
    return {};
}

HttpReply pinLogin(TestServer &server, const QString &pin)
{
    return server.client().postJson("/auth/login", {{u"name"_s, u"cashier"_s}, {u"pin"_s, pin}});
}

} // namespace

void TstPolicy::pinLifetimesAndLockout()
{
    TestServer server([](Settings &s) {
        s.pinAccessSecs = 120;
        s.pinRefreshDays = 2;
        s.pinFreeFailures = 2;
        s.pinLockSecs = 7;
    });
    QVERIFY(server.services().pinAuth.setPin(u"cashier"_s, u"4821"_s, true, u"test"_s));
    const HttpReply ok = pinLogin(server, u"4821"_s);
    QCOMPARE(ok.status, 200);
    QVERIFY2(cookieLine(ok, "accessToken").contains("Max-Age=120"),
             cookieLine(ok, "accessToken").constData());
    QVERIFY2(cookieLine(ok, "refreshToken").contains("Max-Age=172800"),
             cookieLine(ok, "refreshToken").constData());

    // Two free failures, then a 7-second lock (the defaults would allow five, then 30 s).
    QCOMPARE(pinLogin(server, u"0000"_s).status, 401);
    QCOMPARE(pinLogin(server, u"0000"_s).status, 401);
    const HttpReply locked = pinLogin(server, u"4821"_s);
    QCOMPARE(locked.status, 429);
    QCOMPARE(locked.json().value(u"retryAfter").toInt(), 7);
    server.clock().advanceSecs(8);
    QCOMPARE(pinLogin(server, u"4821"_s).status, 200);
}

void TstPolicy::accountAndApiTokenLifetimes()
{
    TestServer server([](Settings &s) {
        s.accountTokenDays = 1;
        s.apiTokenDays = 2;
    });
    const QByteArray jwt = AccountTesting::adminToken(server);
    const QJsonObject claims = Jwt::unverifiedPayload(jwt);
    QCOMPARE(claims.value(u"exp").toInteger() - claims.value(u"iat").toInteger(), 86400);

    const qint64 now = server.clock().nowMs();
    const QString token = AccountTesting::apiToken(server, jwt);
    const HttpReply list =
        server.client().request("POST", "/api/auth/me/tokens", {}, AccountTesting::bearer(jwt));
    QCOMPARE(list.status, 200);
    const QJsonArray tokens = QJsonDocument::fromJson(list.body).array();
    QCOMPARE(tokens.size(), 1);
    QCOMPARE(tokens[0].toObject().value(u"expires_at").toInteger(), now + 2LL * 86'400'000);
    // Reuse keeps to a fifth of the lifetime: with a day left it is still handed back…
    server.clock().advanceSecs(24 * 3600);
    QCOMPARE(AccountTesting::apiToken(server, AccountTesting::adminToken(server)), token);
    // …and once under that, a new one is made.
    server.clock().advanceSecs(16 * 3600);
    QVERIFY(AccountTesting::apiToken(server, AccountTesting::adminToken(server)) != token);
}

void TstPolicy::deviceSessionLifetime()
{
    TestServer server([](Settings &s) { s.deviceSessionDays = 10; });
    const qint64 now = server.clock().nowMs();
    const HttpReply reply = server.client().postJson(
        "/auth/registration", {{u"username"_s, u"alice"_s}, {u"session_platform"_s, u"cURL"_s}});
    QCOMPARE(reply.status, 200);
    TokenFilter filter;
    filter.kind = TokenKind::device;
    const auto sessions = server.services().tokens.list(filter);
    QCOMPARE(sessions.size(), 1);
    QCOMPARE(sessions[0].expiresAt, now + 10LL * 86'400'000);
}

void TstPolicy::walletSessionAndCodeLimits()
{
    TestServer server([](Settings &s) {
        s.walletSessionDays = 2;
        s.codeAttempts = 2;
        s.codeResendSecs = 5;
    });
    HttpClient c = server.client();
    const QString email = u"erin@example.com"_s;
    QCOMPARE(c.postJson("/send_verification", {{u"email"_s, email}}).status, 200);
    QCOMPARE(c.postJson("/send_verification", {{u"email"_s, email}}).status, 400); // cooldown
    server.clock().advanceSecs(6);
    QCOMPARE(c.postJson("/send_verification", {{u"email"_s, email}}).status, 200);

    // Two wrong tries kill the code (the default is five).
    const QString code = WalletTesting::latestCode(server.services(), email);
    const QString wrong = code == u"000000" ? u"111111"_s : u"000000"_s;
    const QJsonObject bad{{u"email"_s, email}, {u"code"_s, wrong}};
    QCOMPARE(WalletTesting::login(c, u"Email"_s, bad).reply.status, 400);
    QCOMPARE(WalletTesting::login(c, u"Email"_s, bad).reply.status, 400);
    const auto late = WalletTesting::login(c, u"Email"_s, {{u"email"_s, email}, {u"code"_s, code}});
    QCOMPARE(late.reply.json(), WalletTesting::error(u"Too many attempts; request a new code"_s));

    server.clock().advanceSecs(6);
    QCOMPARE(c.postJson("/send_verification", {{u"email"_s, email}}).status, 200);
    const auto session = WalletTesting::login(
        c, u"Email"_s,
        {{u"email"_s, email}, {u"code"_s, WalletTesting::latestCode(server.services(), email)}});
    QCOMPARE(session.reply.status, 200);
    QVERIFY2(cookieLine(session.reply, "wallet_session").contains("Max-Age=172800"),
             cookieLine(session.reply, "wallet_session").constData());
}

QTEST_GUILESS_MAIN(TstPolicy)
#include "tst_policy.moc"
