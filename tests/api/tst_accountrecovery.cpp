// SPDX-License-Identifier: GPL-3.0-or-later
// The account surface (seed 004), part two: password reset by mailed link (and its
// page), email verification by OTP (multipart/form-data), and the Outbox that holds
// the mails when no SMTP server is configured.
#include "accounttesting.h"
#include "crypto/jwt.h"

using namespace Qt::StringLiterals;

using namespace AccountTesting;

class TstAccountRecovery : public QObject
{
    Q_OBJECT

private:
    static QByteArray resetTokenFor(TestServer &server, const QString &email)
    {
        const HttpReply r =
            server.client().postJson("/api/auth/send-password-reset-link", {{u"email"_s, email}});
        if (r.status != 200 || r.body != "true")
            return {};
        const OutboxMessage mail = lastMessageTo(server, email.toLower());
        return firstMatch(mail.body, u"/reset-password\\?token=(\\S+)"_s).toLatin1();
    }
    static HttpReply reset(TestServer &server, const QByteArray &token, const QByteArray &body)
    {
        return server.client().request("POST", "/api/auth/reset-password-with-token", body,
                                       token.isEmpty() ? Headers() : bearer(token));
    }
    static QByteArray sendOtp(TestServer &server, const QByteArray &jwt)
    {
        const HttpReply r =
            server.client().request("POST", "/api/auth/me/send-otp", {}, bearer(jwt));
        return r.json().value(u"token").toString().toLatin1();
    }
    static QByteArray otpCode(TestServer &server, const QString &email)
    {
        return firstMatch(lastMessageTo(server, email).body, u"\\b(\\d{6})\\b"_s).toLatin1();
    }

private Q_SLOTS:
    void resetFlow();
    void resetLinkIsAlwaysTrue();
    void resetTokenRefusals();
    void resetPage();
    void otpFlow();
    void otpWrongFiveTimesLocks();
    void otpExpires();
    void otpRefusals();
    void verifyOtpMalformedBodies_data();
    void verifyOtpMalformedBodies();
    void heldMailIsLoggedWithoutItsText();
};

void TstAccountRecovery::resetFlow()
{
    TestServer server;
    const QByteArray oldJwt = newUser(server, u"ada@example.com"_s);
    server.clock().advanceSecs(1);
    const QByteArray token = resetTokenFor(server, u"Ada@Example.com"_s);
    QVERIFY(!token.isEmpty());
    const OutboxMessage mail = lastMessageTo(server, u"ada@example.com"_s);
    QCOMPARE(mail.state, u"held"_s); // no SMTP server in tests
    QVERIFY(mail.body.contains(server.services().settings.publicUrl + u"/reset-password?token="_s));
    QCOMPARE(Jwt::unverifiedPayload(token).value(u"exp").toDouble() -
                 Jwt::unverifiedPayload(token).value(u"iat").toDouble(),
             30 * 60.0);

    HttpReply r = reset(server, token, R"({"password":"brand new secret"})");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArray("true"));
    QCOMPARE(login(server, u"ada@example.com"_s, u"correct horse"_s).status, 401);
    const HttpReply fresh = login(server, u"ada@example.com"_s, u"brand new secret"_s);
    QCOMPARE(fresh.status, 200);
    // The link proved the mailbox; sessions from before the reset are over.
    QCOMPARE(fresh.json().value(u"user").toObject().value(u"is_verified").toBool(), true);
    QCOMPARE(server.client().get("/api/auth/me", bearer(oldJwt)).status, 401);
    // Single use.
    r = reset(server, token, R"({"password":"third secret!"})");
    QCOMPARE(r.status, 401);
    QCOMPARE(r.json().value(u"detail").toString(), u"the reset link was already used"_s);
    QCOMPARE(login(server, u"ada@example.com"_s, u"brand new secret"_s).status, 200);
}

void TstAccountRecovery::resetLinkIsAlwaysTrue()
{
    TestServer server;
    newUser(server, u"ada@example.com"_s);
    const int before = server.services().outbox.list().size();
    auto client = server.client();
    HttpReply r = client.postJson("/api/auth/send-password-reset-link",
                                  {{u"email"_s, u"nobody@example.com"_s}});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArray("true"));
    QCOMPARE(server.services().outbox.list().size(), before);
    QVERIFY(!resetTokenFor(server, u"ada@example.com"_s).isEmpty());
    // Asked again within a minute: still true, no second mail.
    r = client.postJson("/api/auth/send-password-reset-link", {{u"email"_s, u"ada@example.com"_s}});
    QCOMPARE(r.body, QByteArray("true"));
    QCOMPARE(server.services().outbox.list().size(), before + 1);
    r = client.postJson("/api/auth/send-password-reset-link", {{u"email"_s, u"not an email"_s}});
    QCOMPARE(r.status, 400);
    QCOMPARE(r.json().value(u"detail").toString(), u"field 'email' is not a valid email address"_s);
    r = client.postJson("/api/auth/send-password-reset-link", {});
    QCOMPARE(r.status, 400);
    QCOMPARE(r.json().value(u"detail").toString(), u"field 'email' is required"_s);
}

void TstAccountRecovery::resetTokenRefusals()
{
    TestServer server;
    const QByteArray loginJwt = newUser(server, u"ada@example.com"_s);
    const QByteArray token = resetTokenFor(server, u"ada@example.com"_s);
    const QByteArray body = R"({"password":"brand new secret"})";
    QCOMPARE(reset(server, QByteArray(), body).status, 401);
    // A login JWT is not a reset token, nor the other way round.
    HttpReply r = reset(server, loginJwt, body);
    QCOMPARE(r.status, 401);
    QVERIFY(isErrorShape(r));
    // It reads its own account (the reset page shows it; tst_accountcompat) and opens
    // nothing else.
    QCOMPARE(server.client().get("/api/auth/me", bearer(token)).status, 200);
    QCOMPARE(server.client().request("POST", "/api/auth/me/create-token", {}, bearer(token)).status,
             401);
    QByteArray forged = token;
    forged[forged.size() - 4] = forged[forged.size() - 4] == 'x' ? 'y' : 'x';
    QCOMPARE(reset(server, forged, body).status, 401);
    r = reset(server, token, R"({"password":"short"})");
    QCOMPARE(r.status, 400);
    QVERIFY(r.json().value(u"detail").toString().startsWith(u"field 'password' must be"));
    r = reset(server, token, R"({"password":")" + QByteArray(1025, 'p') + R"("})");
    QCOMPARE(r.status, 400);
    QCOMPARE(r.json().value(u"detail").toString(), u"field 'password' is too long"_s);
    QCOMPARE(reset(server, token, "{}").status, 400);
    server.clock().advanceSecs(30 * 60 + 1);
    r = reset(server, token, body);
    QCOMPARE(r.status, 401);
    QCOMPARE(r.json().value(u"detail").toString(), u"the reset link is invalid or expired"_s);
    QCOMPARE(login(server, u"ada@example.com"_s, u"correct horse"_s).status, 200);
}

void TstAccountRecovery::resetPage()
{
    TestServer server;
    const HttpReply page = server.client().get("/reset-password?token=abc");
    QCOMPARE(page.status, 200);
    QVERIFY(page.header("content-type").startsWith("text/html"));
    QVERIFY(page.header("content-security-policy").contains("connect-src 'self'"));
    QVERIFY(page.body.contains(R"(<script src="assets/reset-password.js">)"));
    QVERIFY(!page.body.contains("abc")); // nothing from the request is echoed
    // The script is a file (the CSP allows no inline code).
    QVERIFY(server.client()
                .get("/assets/reset-password.js")
                .body.contains("api/auth/reset-password-with-token"));
}

void TstAccountRecovery::otpFlow()
{
    TestServer server;
    const QByteArray jwt = newUser(server, u"ada@example.com"_s);
    const QByteArray session = sendOtp(server, jwt);
    QVERIFY(!session.isEmpty());
    const QByteArray code = otpCode(server, u"ada@example.com"_s);
    QCOMPARE(code.size(), 6);
    const HttpReply r = verifyOtp(server, code, session);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArray("true"));
    QCOMPARE(server.client().get("/api/auth/me", bearer(jwt)).json().value(u"is_verified").toBool(),
             true);
    // Used once; a verified email needs no second code.
    QCOMPARE(verifyOtp(server, code, session).status, 403);
    server.clock().advanceSecs(61);
    const HttpReply again =
        server.client().request("POST", "/api/auth/me/send-otp", {}, bearer(jwt));
    QCOMPARE(again.status, 409);
    QCOMPARE(again.json().value(u"error").toString(), u"Email is already verified"_s);
}

void TstAccountRecovery::otpWrongFiveTimesLocks()
{
    TestServer server;
    const QByteArray jwt = newUser(server, u"ada@example.com"_s);
    const QByteArray session = sendOtp(server, jwt);
    const QByteArray code = otpCode(server, u"ada@example.com"_s);
    const QByteArray wrong = code == "000000" ? "111111" : "000000";
    for (int i = 0; i < 5; ++i) {
        const HttpReply r = verifyOtp(server, wrong, session);
        QCOMPARE(r.status, 403);
        QCOMPARE(r.json().value(u"error").toString(), u"Wrong OTP"_s);
    }
    const HttpReply locked = verifyOtp(server, code, session);
    QCOMPARE(locked.status, 429);
    QVERIFY(isErrorShape(locked));
    QCOMPARE(server.client().get("/api/auth/me", bearer(jwt)).json().value(u"is_verified").toBool(),
             false);
    // A new code (after the cooldown) starts afresh.
    server.clock().advanceSecs(61);
    const QByteArray next = sendOtp(server, jwt);
    QCOMPARE(verifyOtp(server, otpCode(server, u"ada@example.com"_s), next).status, 200);
}

void TstAccountRecovery::otpExpires()
{
    TestServer server;
    const QByteArray jwt = newUser(server, u"ada@example.com"_s);
    const QByteArray session = sendOtp(server, jwt);
    const QByteArray code = otpCode(server, u"ada@example.com"_s);
    server.clock().advanceSecs(10 * 60 + 1);
    const HttpReply r = verifyOtp(server, code, session);
    QCOMPARE(r.status, 403);
    QCOMPARE(r.json().value(u"error").toString(), u"Token expired"_s);
}

void TstAccountRecovery::otpRefusals()
{
    TestServer server;
    const QByteArray jwt = newUser(server, u"ada@example.com"_s);
    auto client = server.client();
    QCOMPARE(client.request("POST", "/api/auth/me/send-otp").status, 401);
    const QByteArray session = sendOtp(server, jwt);
    // Asked again within a minute.
    const HttpReply soon = client.request("POST", "/api/auth/me/send-otp", {}, bearer(jwt));
    QCOMPARE(soon.status, 429);
    QVERIFY(soon.header("retry-after").toInt() > 0);
    // A login JWT or a forged session is no OTP session.
    HttpReply r = verifyOtp(server, otpCode(server, u"ada@example.com"_s), jwt);
    QCOMPARE(r.status, 403);
    QCOMPARE(r.json().value(u"error").toString(), u"Invalid token"_s);
    QCOMPARE(verifyOtp(server, "123456", session + "x").status, 403);
    // The default admin has no email address to verify.
    r = client.request("POST", "/api/auth/me/send-otp", {}, bearer(adminToken(server)));
    QCOMPARE(r.status, 400);
    QCOMPARE(r.json().value(u"detail").toString(), u"this account has no email address"_s);
    // application/x-www-form-urlencoded is accepted as FastAPI's Form() does.
    r = client.request("POST", "/api/auth/verify-otp",
                       "otp=" + otpCode(server, u"ada@example.com"_s) + "&token=" + session,
                       {{"Content-Type", "application/x-www-form-urlencoded"}});
    QCOMPARE(r.status, 200);
}

void TstAccountRecovery::verifyOtpMalformedBodies_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("detail");
    const QByteArray type = "multipart/form-data; boundary=XyZ";
    QTest::newRow("json") << QByteArray("application/json") << QByteArray(R"({"otp":"1"})")
                          << u"the body must be multipart/form-data"_s;
    QTest::newRow("no boundary") << QByteArray("multipart/form-data") << QByteArray("x")
                                 << u"multipart/form-data needs a boundary"_s;
    QTest::newRow("no delimiter") << type << QByteArray("otp=1") << u"malformed"_s;
    QTest::newRow("unterminated")
        << type << QByteArray("--XyZ\r\nContent-Disposition: form-data; name=\"otp\"\r\n\r\n123")
        << u"malformed multipart/form-data body: a part is not closed"_s;
    QTest::newRow("no headers end")
        << type << QByteArray("--XyZ\r\nContent-Disposition: form-data; name=\"otp\"")
        << u"malformed multipart/form-data body: a part has no end of headers"_s;
    QTest::newRow("nameless") << type
                              << QByteArray("--XyZ\r\nContent-Disposition: form-data\r\n\r\n1\r\n"
                                            "--XyZ--\r\n")
                              << u"malformed multipart/form-data body: a part has no name"_s;
    QTest::newRow("file") << type
                          << QByteArray("--XyZ\r\nContent-Disposition: form-data; name=\"otp\"; "
                                        "filename=\"a.txt\"\r\n\r\n1\r\n--XyZ--\r\n")
                          << u"malformed multipart/form-data body: field 'otp' is a file"_s;
    QTest::newRow("missing otp") << type << multipart({{"token", "t"}}, "XyZ")
                                 << u"field 'otp' is required"_s;
    QTest::newRow("missing token")
        << type << multipart({{"otp", "123456"}}, "XyZ") << u"field 'token' is required"_s;
    QTest::newRow("long otp") << type
                              << multipart({{"otp", QByteArray(17, '1')}, {"token", "t"}}, "XyZ")
                              << u"field 'otp' is too long"_s;
    QTest::newRow("long token") << type
                                << multipart({{"otp", "1"}, {"token", QByteArray(2049, 't')}},
                                             "XyZ")
                                << u"field 'token' is too long"_s;
}

void TstAccountRecovery::verifyOtpMalformedBodies()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(QString, detail);
    TestServer server;
    const HttpReply r = server.client().request("POST", "/api/auth/verify-otp", body,
                                                {{"Content-Type", contentType}});
    QCOMPARE(r.status, 400);
    QVERIFY(isErrorShape(r));
    QVERIFY2(r.json().value(u"detail").toString().startsWith(detail), r.body.constData());
}

void TstAccountRecovery::heldMailIsLoggedWithoutItsText()
{
    TestServer server;
    const QByteArray jwt = newUser(server, u"ada@example.com"_s);
    static QStringList logged;
    logged.clear();
    const QtMessageHandler previous = qInstallMessageHandler(
        [](QtMsgType, const QMessageLogContext &, const QString &message) { logged << message; });
    sendOtp(server, jwt);
    qInstallMessageHandler(previous);
    const OutboxMessage mail = lastMessageTo(server, u"ada@example.com"_s);
    QCOMPARE(mail.state, u"held"_s);
    const QString code = QString::fromLatin1(otpCode(server, u"ada@example.com"_s));
    const QString all = logged.join(u'\n');
    QVERIFY2(all.contains(u"is held"_s), qPrintable(all));
    QVERIFY(all.contains(u"gatehouse outbox show"_s));
    QVERIFY(!all.contains(code));
    QVERIFY(!all.contains(u"ada@example.com"_s));
}

QTEST_GUILESS_MAIN(TstAccountRecovery)
#include "tst_accountrecovery.moc"
