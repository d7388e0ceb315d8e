// SPDX-License-Identifier: GPL-3.0-or-later
// The device surface's bearer routes (GET /auth/me, PUT /auth/me/email, the caller's
// sessions) and the email-confirmation page.
#include "devicetest.h"

#include <QJsonArray>
#include <QUuid>
#include <QtTest>

using namespace Qt::StringLiterals;

using namespace DeviceTest;

class TstDeviceAccountApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bearerAccount();
    void sessionsListAndRevoke();
    void changeEmailNeedsConfirmation();
    void signOutEverywhereEndsSessions();
};

void TstDeviceAccountApi::bearerAccount()
{
    TestServer server;
    const QByteArray token = registerUser(server, u"alice"_s, u"alice@example.com"_s);
    HttpReply reply = server.client().get("/auth/me");
    QCOMPARE(reply.status, 401);
    QCOMPARE(reply.header("www-authenticate"), QByteArray("Bearer"));
    QCOMPARE(reply.json().keys(), QStringList{u"error"_s});
    QCOMPARE(server.client().get("/auth/me", bearer("nope")).status, 401);
    reply = server.client().get("/auth/me", bearer(token));
    QCOMPARE(reply.status, 200);
    const QJsonObject me = reply.json();
    QCOMPARE(me.value(u"username").toString(), u"alice"_s);
    QVERIFY(me.value(u"email").isNull()); // offered, not bound until confirmed
    QCOMPARE(me.value(u"email_verified").toBool(true), false);
    QCOMPARE(me.value(u"created_at").toInteger(), server.clock().nowSecs());
    QVERIFY(!me.value(u"id").toString().isEmpty());
    // A disabled account's tokens stop working.
    server.services().users.setDisabled(me.value(u"id").toString(), true);
    QCOMPARE(server.client().get("/auth/me", bearer(token)).status, 401);
    QCOMPARE(server.client().get("/auth/nothing-here").status, 404);
    QVERIFY(server.client().get("/auth/nothing-here").json().contains(u"error"));
}

void TstDeviceAccountApi::sessionsListAndRevoke()
{
    TestServer server;
    const QByteArray a = registerUser(server, u"alice"_s, u"alice@example.com"_s, u"Laptop"_s);
    clearMails(server);
    const QByteArray other = registerUser(server, u"bob"_s);
    const QString authId =
        startLogin(server, u"alice"_s, u"alice@example.com"_s).json().value(u"auth_id").toString();
    server.client().request("POST", "/auth/approve",
                            form(codeFromMail(server, u"/auth/approve"_s), "approve"), kForm);
    const QByteArray b = poll(server, authId).json().value(u"session_token").toString().toLatin1();
    QCOMPARE(b.size(), 344);

    server.clock().advanceSecs(120);
    QCOMPARE(server.client().get("/auth/me", bearer(a)).status, 200); // touches a
    HttpReply reply = server.client().get("/auth/sessions", bearer(a));
    QCOMPARE(reply.status, 200);
    const QJsonArray list = reply.json().value(u"sessions").toArray();
    QCOMPARE(list.size(), 2);
    QString idA, idB;
    for (const QJsonValue &v : list) {
        const QJsonObject s = v.toObject();
        QCOMPARE(s.keys(), QStringList({u"created_at"_s, u"current"_s, u"expires_at"_s, u"id"_s,
                                        u"last_used_at"_s, u"platform"_s}));
        if (s.value(u"platform").toString() == u"Laptop") {
            idA = s.value(u"id").toString();
            QVERIFY(s.value(u"current").toBool());
            QCOMPARE(s.value(u"last_used_at").toInteger(), server.clock().nowSecs());
            QCOMPARE(s.value(u"created_at").toInteger(), server.clock().nowSecs() - 120);
        } else {
            idB = s.value(u"id").toString();
            QCOMPARE(s.value(u"platform").toString(), u"Phone"_s);
            QVERIFY(!s.value(u"current").toBool(true));
        }
    }
    QVERIFY(!idA.isEmpty() && !idB.isEmpty());

    // Someone else's session id looks like no session.
    QCOMPARE(server.client()
                 .request("DELETE", "/auth/sessions/" + idB.toLatin1(), {}, bearer(other))
                 .status,
             404);
    QCOMPARE(
        server.client().request("DELETE", "/auth/sessions/" + idB.toLatin1(), {}, bearer(a)).status,
        204);
    QCOMPARE(server.client().get("/auth/me", bearer(b)).status, 401);
    QCOMPARE(
        server.client().request("DELETE", "/auth/sessions/" + idB.toLatin1(), {}, bearer(a)).status,
        404);

    // revoke-others keeps the caller's own session.
    const QByteArray c =
        server.services()
            .deviceAuth
            .issueSession(server.services().users.byUsername(u"alice"_s)->id, u"Tablet"_s, u"x"_s)
            .token;
    reply = server.client().request("POST", "/auth/sessions/revoke-others", {}, bearer(a));
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json(), QJsonObject({{u"revoked"_s, 1}}));
    QCOMPARE(server.client().get("/auth/me", bearer(c)).status, 401);
    QCOMPARE(server.client().get("/auth/me", bearer(a)).status, 200);
    QCOMPARE(server.client().get("/auth/me", bearer(other)).status, 200);

    // "current" ends the caller's own session.
    QCOMPARE(server.client().request("DELETE", "/auth/sessions/current", {}, bearer(a)).status,
             204);
    QCOMPARE(server.client().get("/auth/me", bearer(a)).status, 401);
    QCOMPARE(server.client().get("/auth/sessions").status, 401);
}

void TstDeviceAccountApi::changeEmailNeedsConfirmation()
{
    TestServer server;
    const QByteArray token = registerUser(server, u"alice"_s);
    registerConfirmed(server, u"bob"_s, u"bob@example.com"_s);
    const auto put = [&](const QByteArray &body) {
        return server.client().request("PUT", "/auth/me/email", body, bearer(token));
    };
    QCOMPARE(
        server.client().request("PUT", "/auth/me/email", R"({"email":"a@example.com"})").status,
        401);
    // Bob's address: the same answer as a free one, a notice to Bob, nothing bound.
    const HttpReply taken = put(R"({"email":"bob@example.com"})");
    QCOMPARE(taken.status, 200);
    QVERIFY(taken.json().value(u"email").isNull());
    QCOMPARE(mails(server).size(), 1);
    QCOMPARE(mails(server).first().subject, u"Someone tried to use your email address"_s);
    QVERIFY(codeFromMail(server, u"/auth/verify-email"_s).isEmpty());
    clearMails(server);
    QCOMPARE(put(R"({"email":"not-an-email"})").status, 400);
    QCOMPARE(put(R"({})").status, 400);
    QVERIFY(mails(server).isEmpty());

    HttpReply reply = put(R"({"email":"Alice@Example.com"})");
    QCOMPARE(reply.status, 200);
    QVERIFY(reply.json().value(u"email").isNull()); // offered, not bound yet
    QCOMPARE(reply.json().value(u"email_verified").toBool(true), false);
    QCOMPARE(mails(server).size(), 1);
    QCOMPARE(mails(server).first().recipient, u"alice@example.com"_s);
    const QByteArray code = codeFromMail(server, u"/auth/verify-email"_s);
    QVERIFY(!code.isEmpty());

    // Opening the link confirms nothing; the button does.
    reply = server.client().get("/auth/verify-email?code=" + code);
    QCOMPARE(reply.status, 200);
    QVERIFY(reply.body.contains("alice@example.com"));
    QVERIFY(server.client().get("/auth/me", bearer(token)).json().value(u"email").isNull());
    reply = server.client().request("POST", "/auth/verify-email", "code=" + code, kForm);
    QCOMPARE(reply.status, 200);
    const QJsonObject me = server.client().get("/auth/me", bearer(token)).json();
    QCOMPARE(me.value(u"email").toString(), u"alice@example.com"_s);
    QCOMPARE(me.value(u"email_verified").toBool(), true);
    QCOMPARE(server.client().request("POST", "/auth/verify-email", "code=" + code, kForm).status,
             410);

    // A newer change keeps the confirmed address until it is confirmed, and ends the
    // older link.
    reply = put(R"({"email":"alice2@example.com"})");
    QCOMPARE(reply.json().value(u"email").toString(), u"alice@example.com"_s);
    QCOMPARE(reply.json().value(u"email_verified").toBool(), true);
    const QByteArray newer = codeFromMail(server, u"/auth/verify-email"_s);
    QCOMPARE(put(R"({"email":"alice3@example.com"})").status, 200);
    QCOMPARE(server.client().get("/auth/verify-email?code=" + newer).status, 410);
    server.clock().advanceSecs(24 * 3600 + 1);
    const QByteArray latest = codeFromMail(server, u"/auth/verify-email"_s);
    QCOMPARE(server.client().request("POST", "/auth/verify-email", "code=" + latest, kForm).status,
             410);
    QCOMPARE(server.client().get("/auth/verify-email?code=bogus").status, 404);
    // A device login with the offered (unexpired) address is mailed to it.
    QCOMPARE(put(R"({"email":"alice4@example.com"})").status, 200);
    QCOMPARE(startLogin(server, u"alice"_s, u"alice4@example.com"_s).status, 200);
    QCOMPARE(mails(server).first().recipient, u"alice4@example.com"_s);
    QVERIFY(!codeFromMail(server, u"/auth/approve"_s).isEmpty());
}

void TstDeviceAccountApi::signOutEverywhereEndsSessions()
{
    TestServer server;
    const QByteArray token = registerUser(server, u"alice"_s);
    QCOMPARE(server.client().get("/auth/me", bearer(token)).status, 200);
    server.clock().advanceMs(5);
    server.services().users.signOutEverywhere(server.services().users.byUsername(u"alice"_s)->id);
    QCOMPARE(server.client().get("/auth/me", bearer(token)).status, 401);
}

QTEST_GUILESS_MAIN(TstDeviceAccountApi)
#include "tst_deviceaccountapi.moc"
