// SPDX-License-Identifier: GPL-3.0-or-later
// The device surface (seed 003): registration, email-approved logins on other devices
// and the approval page.
#include "devicetest.h"

#include <QJsonArray>
#include <QUuid>
#include <QtTest>

using namespace Qt::StringLiterals;

using namespace DeviceTest;

class TstDeviceApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void registrationReturnsSessionToken();
    void registrationErrors_data();
    void registrationErrors();
    void loginApproveAndPollOnce();
    void linkGetApprovesNothing();
    void wrongPairLooksTheSame_data();
    void wrongPairLooksTheSame();
    void loginErrors_data();
    void loginErrors();
    void loginThrottledPerUsername();
    void expiredAuthId();
    void approvedButNotCollectedExpires();
    void denyAndStaleLinks();
    void pageEscapesPlatform();
};

void TstDeviceApi::registrationReturnsSessionToken()
{
    TestServer server;
    const HttpReply reply = server.client().postJson(
        "/auth/registration", {{u"username"_s, u"alice"_s}, {u"session_platform"_s, u"cURL"_s}});
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().keys(), QStringList{u"session_token"_s});
    const QByteArray token = reply.json().value(u"session_token").toString().toLatin1();
    QCOMPARE(token.size(), 344);
    QVERIFY(token.endsWith("="));
    QVERIFY(
        QRegularExpression(u"^[A-Za-z0-9_-]+=*$"_s).match(QString::fromLatin1(token)).hasMatch());
    const auto decoded = QByteArray::fromBase64Encoding(
        token, QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    QVERIFY(decoded);
    QCOMPARE(decoded.decoded.size(), 256);
    TokenFilter filter;
    filter.kind = TokenKind::device;
    const auto sessions = server.services().tokens.list(filter);
    QCOMPARE(sessions.size(), 1);
    QCOMPARE(sessions.first().label, u"cURL"_s);
    // With an email too: offered, not bound until the mailed link is confirmed.
    QCOMPARE(registerUser(server, u"bob"_s, u"bob@example.com"_s).size(), 344);
    QVERIFY(server.services().users.byUsername(u"bob"_s)->email.isEmpty());
    QCOMPARE(mails(server).size(), 1);
    QCOMPARE(mails(server).first().recipient, u"bob@example.com"_s);
    QVERIFY(!codeFromMail(server, u"/auth/verify-email"_s).isEmpty());
}

void TstDeviceApi::registrationErrors_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::newRow("taken") << QByteArray(R"({"username":"alice","session_platform":"x"})") << 409;
    QTest::newRow("taken, other case")
        << QByteArray(R"({"username":"ALICE","session_platform":"x"})") << 409;
    // A taken email answers like a free one (tst_nodiscovery): no row here.
    QTest::newRow("too short") << QByteArray(R"({"username":"ab","session_platform":"x"})") << 400;
    QTest::newRow("too long") << (R"({"username":")" + QByteArray(33, 'a') +
                                  R"(","session_platform":"x"})")
                              << 400;
    QTest::newRow("bad characters")
        << QByteArray(R"({"username":"a b/c","session_platform":"x"})") << 400;
    QTest::newRow("bad email")
        << QByteArray(R"({"username":"carol","email":"nope","session_platform":"x"})") << 400;
    QTest::newRow("no platform") << QByteArray(R"({"username":"carol"})") << 400;
    QTest::newRow("empty platform")
        << QByteArray(R"({"username":"carol","session_platform":""})") << 400;
    QTest::newRow("control in platform")
        << QByteArray(R"({"username":"carol","session_platform":"a\nb"})") << 400;
    QTest::newRow("username not a string")
        << QByteArray(R"({"username":42,"session_platform":"x"})") << 400;
    QTest::newRow("not json") << QByteArray("username=carol") << 400;
}

void TstDeviceApi::registrationErrors()
{
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    TestServer server;
    registerUser(server, u"alice"_s, u"a@example.com"_s);
    const HttpReply reply = server.client().request("POST", "/auth/registration", body);
    QCOMPARE(reply.status, status);
    QCOMPARE(reply.json().keys(), QStringList{u"error"_s});
    QVERIFY(!reply.json().value(u"error").toString().isEmpty());
}

void TstDeviceApi::loginApproveAndPollOnce()
{
    TestServer server;
    // The address is only offered (its confirmation mail is dropped here): the login mail
    // goes to it, and approving proves the mailbox, binding and verifying the address.
    const QByteArray first = registerUser(server, u"alice"_s, u"alice@example.com"_s);
    clearMails(server);
    QVERIFY(server.services().users.byUsername(u"alice"_s)->email.isEmpty());
    const qint64 now = server.clock().nowSecs();
    const HttpReply started = startLogin(server, u"alice"_s, u"alice@example.com"_s);
    QCOMPARE(started.status, 200);
    const QJsonObject body = started.json();
    QCOMPARE(body.keys(), QStringList({u"auth_id"_s, u"expiration_date"_s}));
    QCOMPARE(body.value(u"expiration_date").toInteger(), now + 15 * 60);
    const QString authId = body.value(u"auth_id").toString();
    QCOMPARE(
        started.body,
        uR"({"expiration_date":%1,"auth_id":"%2"})"_s.arg(now + 15 * 60).arg(authId).toLatin1());
    const QUuid uuid(authId);
    QVERIFY(!uuid.isNull());
    QCOMPARE(uuid.version(), QUuid::Random);

    // Before approval: the documented 400.
    HttpReply reply = poll(server, authId);
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.json(), QJsonObject({{u"error"_s, kNotAuthorized}}));

    // The mail went to the registered address and names the platform.
    const auto sent = mails(server);
    QCOMPARE(sent.size(), 1);
    QCOMPARE(sent.first().recipient, u"alice@example.com"_s);
    QVERIFY(sent.first().subject.contains(u"Phone"));
    const QByteArray code = codeFromMail(server, u"/auth/approve"_s);
    QVERIFY(!code.isEmpty());
    QVERIFY(!sent.first().body.contains(authId)); // the poller's id is not the approval secret

    reply = server.client().request("POST", "/auth/approve", form(code, "approve"), kForm);
    QCOMPARE(reply.status, 200);
    QVERIFY(reply.header("content-type").startsWith("text/html"));
    QVERIFY(reply.body.contains("Sign-in approved"));
    QVERIFY(server.services().users.byUsername(u"alice"_s)->emailVerified);
    QCOMPARE(server.services().users.byUsername(u"alice"_s)->email, u"alice@example.com"_s);

    // Exactly once.
    reply = poll(server, authId);
    QCOMPARE(reply.status, 200);
    const QByteArray second = reply.json().value(u"session_token").toString().toLatin1();
    QCOMPARE(second.size(), 344);
    QVERIFY(second != first);
    reply = poll(server, authId);
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.json().value(u"error").toString(), kNotAuthorized);

    // The new token is a session of its own, labelled with the platform.
    reply = server.client().get("/auth/sessions", bearer(second));
    QCOMPARE(reply.status, 200);
    const QJsonArray list = reply.json().value(u"sessions").toArray();
    QCOMPARE(list.size(), 2);
    // Pressing again shows the used link, approves nothing new.
    reply = server.client().request("POST", "/auth/approve", form(code, "approve"), kForm);
    QCOMPARE(reply.status, 410);
}

void TstDeviceApi::linkGetApprovesNothing()
{
    TestServer server;
    registerUser(server, u"alice"_s, u"alice@example.com"_s); // offered, not yet bound
    clearMails(server);
    const QString authId =
        startLogin(server, u"alice"_s, u"alice@example.com"_s).json().value(u"auth_id").toString();
    const QByteArray code = codeFromMail(server, u"/auth/approve"_s);
    // A mail scanner fetching the link (GET and HEAD, several times) approves nothing.
    for (int i = 0; i < 3; ++i) {
        const HttpReply page = server.client().get("/auth/approve?code=" + code);
        QCOMPARE(page.status, 200);
        QVERIFY(page.header("content-type").startsWith("text/html"));
        QVERIFY(page.body.contains("Phone"));
        QVERIFY(page.body.contains("alice"));
        QVERIFY(page.body.contains("method=\"post\""));
        QVERIFY(page.body.contains("name=\"code\" value=\"" + code + "\""));
        QVERIFY(!page.header("content-security-policy").isEmpty());
        QCOMPARE(server.client().request("HEAD", "/auth/approve?code=" + code).status, 200);
    }
    QCOMPARE(poll(server, authId).status, 400);
    // A POST without the code in the body (only in the URL) approves nothing either.
    HttpReply reply =
        server.client().request("POST", "/auth/approve?code=" + code, "decision=approve", kForm);
    QCOMPARE(reply.status, 404);
    reply = server.client().request("POST", "/auth/approve", "code=" + code, kForm);
    QCOMPARE(reply.status, 400); // no decision pressed
    QCOMPARE(poll(server, authId).status, 400);
    QVERIFY(!server.services().users.byUsername(u"alice"_s)->emailVerified);
    QVERIFY(server.services().users.byUsername(u"alice"_s)->email.isEmpty());
}

void TstDeviceApi::wrongPairLooksTheSame_data()
{
    QTest::addColumn<QString>("username");
    QTest::addColumn<QString>("email");
    QTest::newRow("wrong email") << u"alice"_s << u"mallory@example.com"_s;
    QTest::newRow("unknown username") << u"nobody"_s << u"alice@example.com"_s;
    QTest::newRow("account without email") << u"noemail"_s << u"x@example.com"_s;
    QTest::newRow("invalid username") << u"a b"_s << u"alice@example.com"_s;
}

void TstDeviceApi::wrongPairLooksTheSame()
{
    QFETCH(QString, username);
    QFETCH(QString, email);
    TestServer server;
    registerConfirmed(server, u"alice"_s, u"alice@example.com"_s);
    registerUser(server, u"noemail"_s);
    const qint64 now = server.clock().nowSecs();
    const HttpReply reply = startLogin(server, username, email);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().keys(), QStringList({u"auth_id"_s, u"expiration_date"_s}));
    QCOMPARE(reply.json().value(u"expiration_date").toInteger(), now + 15 * 60);
    QCOMPARE(QUuid(reply.json().value(u"auth_id").toString()).version(), QUuid::Random);
    QVERIFY(mails(server).isEmpty());
    QCOMPARE(poll(server, reply.json().value(u"auth_id").toString()).status, 400);
}

void TstDeviceApi::loginErrors_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("no email") << QByteArray(R"({"username":"alice","session_platform":"x"})");
    QTest::newRow("no platform") << QByteArray(
        R"({"username":"alice","email":"alice@example.com"})");
    QTest::newRow("bad platform") << QByteArray(
        R"({"username":"alice","email":"alice@example.com","session_platform":""})");
    QTest::newRow("email not a string")
        << QByteArray(R"({"username":"alice","email":1,"session_platform":"x"})");
}

void TstDeviceApi::loginErrors()
{
    QFETCH(QByteArray, body);
    TestServer server;
    registerConfirmed(server, u"alice"_s, u"alice@example.com"_s);
    const HttpReply reply = server.client().request("POST", "/auth/login", body);
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.json().keys(), QStringList{u"error"_s});
    QVERIFY(mails(server).isEmpty());
}

void TstDeviceApi::loginThrottledPerUsername()
{
    // Only the per-username limit here (the per-address one is in tst_anonymouslimits).
    TestServer server([](Settings &s) { s.messagesPerTargetPerHour = 0; });
    registerConfirmed(server, u"alice"_s, u"alice@example.com"_s);
    for (const QString &name : {u"alice"_s, u"nobody"_s}) { // same answer, known or not
        for (int i = 0; i < 5; ++i)
            QCOMPARE(startLogin(server, name, u"alice@example.com"_s).status, 200);
        const HttpReply reply = startLogin(server, name, u"alice@example.com"_s);
        QCOMPARE(reply.status, 429);
        QCOMPARE(reply.header("retry-after"), QByteArray("900"));
        QCOMPARE(reply.json().keys(), QStringList{u"error"_s});
    }
    QCOMPARE(mails(server).size(), 5);
    server.clock().advanceSecs(901);
    QCOMPARE(startLogin(server, u"alice"_s, u"alice@example.com"_s).status, 200);
}

void TstDeviceApi::expiredAuthId()
{
    TestServer server;
    registerConfirmed(server, u"alice"_s, u"alice@example.com"_s);
    const QString authId =
        startLogin(server, u"alice"_s, u"alice@example.com"_s).json().value(u"auth_id").toString();
    const QByteArray code = codeFromMail(server, u"/auth/approve"_s);
    server.clock().advanceSecs(15 * 60 + 1);
    HttpReply reply = server.client().get("/auth/approve?code=" + code);
    QCOMPARE(reply.status, 410);
    QVERIFY(reply.body.contains("expired"));
    reply = server.client().request("POST", "/auth/approve", form(code, "approve"), kForm);
    QCOMPARE(reply.status, 410);
    QCOMPARE(poll(server, authId).status, 400);
    QCOMPARE(poll(server, QUuid::createUuid().toString(QUuid::WithoutBraces)).status, 400);
}

void TstDeviceApi::approvedButNotCollectedExpires()
{
    TestServer server;
    registerConfirmed(server, u"alice"_s, u"alice@example.com"_s);
    const QString authId =
        startLogin(server, u"alice"_s, u"alice@example.com"_s).json().value(u"auth_id").toString();
    const QByteArray code = codeFromMail(server, u"/auth/approve"_s);
    server.clock().advanceSecs(14 * 60);
    QCOMPARE(server.client().request("POST", "/auth/approve", form(code, "approve"), kForm).status,
             200);
    server.clock().advanceSecs(5 * 60 + 1); // five minutes to collect the token
    QCOMPARE(poll(server, authId).status, 400);
}

void TstDeviceApi::denyAndStaleLinks()
{
    TestServer server;
    registerConfirmed(server, u"alice"_s, u"alice@example.com"_s);
    const QString authId =
        startLogin(server, u"alice"_s, u"alice@example.com"_s).json().value(u"auth_id").toString();
    const QByteArray code = codeFromMail(server, u"/auth/approve"_s);
    HttpReply reply = server.client().request("POST", "/auth/approve", form(code, "deny"), kForm);
    QCOMPARE(reply.status, 200);
    QVERIFY(reply.body.contains("denied"));
    QCOMPARE(poll(server, authId).status, 400);
    reply = server.client().request("POST", "/auth/approve", form(code, "approve"), kForm);
    QCOMPARE(reply.status, 410);
    QCOMPARE(poll(server, authId).status, 400);
    QCOMPARE(server.client().get("/auth/approve?code=" + code).status, 410);
    QCOMPARE(server.client().get("/auth/approve?code=nonsense").status, 404);
    QCOMPARE(server.client().get("/auth/approve").status, 404);
}

void TstDeviceApi::pageEscapesPlatform()
{
    TestServer server;
    registerConfirmed(server, u"alice"_s, u"alice@example.com"_s);
    QCOMPARE(startLogin(server, u"alice"_s, u"alice@example.com"_s, u"<script>alert(1)</script>"_s)
                 .status,
             200);
    const HttpReply page =
        server.client().get("/auth/approve?code=" + codeFromMail(server, u"/auth/approve"_s));
    QCOMPARE(page.status, 200);
    QVERIFY(!page.body.contains("<script>"));
    QVERIFY(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

QTEST_GUILESS_MAIN(TstDeviceApi)
#include "tst_deviceapi.moc"
