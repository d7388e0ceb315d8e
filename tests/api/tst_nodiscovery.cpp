// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 12, rows 5, 8 and 9: no account discovery (or squatting) through email
// addresses; "sign out everywhere" refuses every token issued before it, even in the
// same second or millisecond, and none issued after; a PIN access token dies with its
// session; the pages' scripts and styles come from files under a CSP without
// 'unsafe-inline'.
#include "services.h"
#include "testserver.h"

#include <QRegularExpression>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

using Headers = QList<std::pair<QByteArray, QByteArray>>;

Headers bearer(const QByteArray &token)
{
    return {{"Authorization", "Bearer " + token}};
}

QByteArray registerDevice(TestServer &server, const QString &username, const QString &email)
{
    QJsonObject body{{u"username"_s, username}, {u"session_platform"_s, u"cURL"_s}};
    if (!email.isEmpty())
        body.insert(u"email"_s, email);
    const HttpReply reply = server.client().postJson("/auth/registration", body);
    return reply.status == 200 ? reply.json().value(u"session_token").toString().toLatin1()
                               : QByteArray::number(reply.status);
}

QList<OutboxMessage> mailsTo(TestServer &server, const QString &to)
{
    QList<OutboxMessage> out;
    for (const OutboxMessage &m : server.services().outbox.list(100))
        if (m.recipient == to)
            out << m;
    return out;
}

QByteArray cookieValue(const HttpReply &reply, const QByteArray &name)
{
    for (const QByteArray &line : reply.headerValues("set-cookie"))
        if (line.startsWith(name + '='))
            return line.mid(name.size() + 1, line.indexOf(';') - name.size() - 1);
    return {};
}

// An account that owns its address, made in the core, not through the route under test.
void addOwner(TestServer &server, const QString &username, const QString &email)
{
    User draft;
    draft.username = username;
    draft.email = email;
    draft.emailVerified = true;
    QVERIFY(server.services().users.create(draft).ok());
}

} // namespace

class TstNoDiscovery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void registrationAnswersAlikeForTakenAndFreeAddresses()
    {
        TestServer server;
        addOwner(server, u"bob"_s, u"bob@example.com"_s);
        const QByteArray taken = registerDevice(server, u"carol"_s, u"Bob@example.com"_s);
        const QByteArray free = registerDevice(server, u"dave"_s, u"dave@example.com"_s);
        QCOMPARE(taken.size(), 344);
        QCOMPARE(free.size(), 344);
        // The accounts look the same: neither has the address until it is confirmed.
        for (const QByteArray &token : {taken, free}) {
            const QJsonObject me = server.client().get("/auth/me", bearer(token)).json();
            QVERIFY(me.value(u"email").isNull());
            QCOMPARE(me.value(u"email_verified").toBool(true), false);
        }
        // The owner hears of the attempt; no link goes anywhere for the taken address.
        const auto toBob = mailsTo(server, u"bob@example.com"_s);
        QCOMPARE(toBob.size(), 1);
        QCOMPARE(toBob.first().subject, u"Someone tried to use your email address"_s);
        QVERIFY(!toBob.first().body.contains(u"code="_s));
        QCOMPARE(server.services().users.byEmail(u"bob@example.com"_s)->username, u"bob"_s);
        QCOMPARE(mailsTo(server, u"dave@example.com"_s).first().subject,
                 u"Confirm your email address"_s);
        // A username is a public handle: still refused (and only at the per-IP rate).
        QCOMPARE(registerDevice(server, u"BOB"_s, QString()), QByteArray("409"));
    }

    void nobodySquatsAnAddress()
    {
        TestServer server;
        const QByteArray squatter = registerDevice(server, u"mallory"_s, u"eve@example.com"_s);
        QCOMPARE(squatter.size(), 344);
        QVERIFY(!server.services().users.byEmail(u"eve@example.com"_s)); // not bound
        // The owner signs up later with her address and confirms it from her mailbox.
        const QByteArray eve = registerDevice(server, u"eve"_s, u"eve@example.com"_s);
        QCOMPARE(eve.size(), 344);
        const QString body = mailsTo(server, u"eve@example.com"_s).first().body;
        const QString code =
            QRegularExpression(u"verify-email\\?code=([A-Za-z0-9_-]+)"_s).match(body).captured(1);
        QVERIFY(!code.isEmpty());
        const HttpReply confirmed =
            server.client().request("POST", "/auth/verify-email", "code=" + code.toLatin1(),
                                    {{"Content-Type", "application/x-www-form-urlencoded"}});
        QCOMPARE(confirmed.status, 200);
        QCOMPARE(server.services().users.byEmail(u"eve@example.com"_s)->username, u"eve"_s);
        // The squatter's link (mailed to Eve too) now leads nowhere.
        const QString first = mailsTo(server, u"eve@example.com"_s).last().body;
        const QString oldCode =
            QRegularExpression(u"verify-email\\?code=([A-Za-z0-9_-]+)"_s).match(first).captured(1);
        QVERIFY(server.client().get("/auth/verify-email?code=" + oldCode.toLatin1()).status >= 400);
    }

    void emailChangeAnswersAlike()
    {
        TestServer server;
        addOwner(server, u"bob"_s, u"bob@example.com"_s);
        const QByteArray token = registerDevice(server, u"carol"_s, QString());
        const auto put = [&](const QByteArray &email) {
            return server.client().request("PUT", "/auth/me/email",
                                           R"({"email":")" + email + R"("})", bearer(token));
        };
        const HttpReply taken = put("bob@example.com");
        const HttpReply free = put("carol@example.com");
        QCOMPARE(taken.status, 200);
        QCOMPARE(free.status, 200);
        QCOMPARE(taken.body, free.body);
        QCOMPARE(server.services().users.byEmail(u"bob@example.com"_s)->username, u"bob"_s);
    }

    void signOutRefusesTokensOfTheSameMillisecond()
    {
        TestServer server;
        server.clock().setMs(1'790'000'000'500); // mid-second: iat rounds down
        Services &s = server.services();
        // Account surface: a login JWT of this very millisecond.
        const auto login = [&] {
            return server.client()
                .postJson("/api/auth/login",
                          {{u"email"_s, u"admin"_s}, {u"password"_s, u"admin"_s}})
                .json()
                .value(u"token")
                .toString()
                .toLatin1();
        };
        const QByteArray before = login();
        QCOMPARE(server.client().get("/api/auth/me", bearer(before)).status, 200);
        const QString adminId = s.users.byUsername(u"admin"_s)->id;
        QVERIFY(s.users.signOutEverywhere(adminId));
        QCOMPARE(server.client().get("/api/auth/me", bearer(before)).status, 401);
        const QByteArray after = login(); // same millisecond, after the sign-out
        QCOMPARE(server.client().get("/api/auth/me", bearer(after)).status, 200);
        // A second sign-out in the same millisecond is a new cut.
        QVERIFY(s.users.signOutEverywhere(adminId));
        QCOMPARE(server.client().get("/api/auth/me", bearer(after)).status, 401);

        // Device surface: a session of this millisecond.
        const QByteArray device = registerDevice(server, u"frank"_s, QString());
        QCOMPARE(server.client().get("/auth/me", bearer(device)).status, 200);
        QVERIFY(s.users.signOutEverywhere(s.users.byUsername(u"frank"_s)->id));
        QCOMPARE(server.client().get("/auth/me", bearer(device)).status, 401);

        // Pin surface: an access token issued after the sign-out in the same second works.
        QVERIFY(s.pinAuth.setPin(u"gina"_s, u"1234"_s, true, u"test"_s).ok());
        QVERIFY(s.users.signOutEverywhere(s.users.byUsername(u"gina"_s)->id));
        server.clock().advanceMs(200); // same second
        const HttpReply pin = server.client().postJson(
            "/auth/login", {{u"name"_s, u"gina"_s}, {u"pin"_s, u"1234"_s}});
        QCOMPARE(pin.status, 200);
        const QByteArray access = cookieValue(pin, "accessToken");
        const Headers cookie = {{"Cookie", "accessToken=" + access}};
        QVERIFY(s.pinAuth.verifyAccess(access).ok());
        QVERIFY(s.users.signOutEverywhere(s.users.byUsername(u"gina"_s)->id));
        QCOMPARE(server.client().request("POST", "/auth/logout", {}, cookie).status, 401);
    }

    void pinAccessTokenEndsWithLogout()
    {
        TestServer server;
        QVERIFY(server.services().pinAuth.setPin(u"hugo"_s, u"1234"_s, true, u"test"_s).ok());
        const HttpReply pin = server.client().postJson(
            "/auth/login", {{u"name"_s, u"hugo"_s}, {u"pin"_s, u"1234"_s}});
        const Headers cookies = {{"Cookie", "accessToken=" + cookieValue(pin, "accessToken")},
                                 {"Cookie", "refreshToken=" + cookieValue(pin, "refreshToken")}};
        QCOMPARE(server.client().request("POST", "/auth/logout", {}, cookies).status, 200);
        // The same (unexpired) access token, replayed.
        const HttpReply again = server.client().request("POST", "/auth/logout", {}, cookies);
        QCOMPARE(again.status, 401);
        QCOMPARE(again.json().keys(), QStringList{u"message"_s});
    }

    void pagesHaveNoInlineCode()
    {
        TestServer server;
        HttpClient c = server.client();
        const HttpReply reset = c.get("/reset-password?token=x");
        const HttpReply approve = c.get("/auth/approve?code=unknown");
        for (const HttpReply &page : {reset, approve}) {
            const QByteArray csp = page.header("content-security-policy");
            QVERIFY2(csp.contains("script-src 'self'"), csp.constData());
            QVERIFY2(!csp.contains("unsafe-inline"), csp.constData());
            QVERIFY(!page.body.contains("<style"));
            QVERIFY(!QRegularExpression(u"<script(?![^>]*\\bsrc=)"_s)
                         .match(QString::fromUtf8(page.body))
                         .hasMatch());
        }
        QVERIFY(reset.body.contains(R"(<script src="assets/reset-password.js">)"));
        const HttpReply script = c.get("/assets/reset-password.js");
        QCOMPARE(script.status, 200);
        QCOMPARE(script.header("content-type"), QByteArray("text/javascript; charset=utf-8"));
        QVERIFY(script.body.contains("reset-password-with-token"));
        QCOMPARE(c.get("/assets/form.css").status, 200);
        QCOMPARE(c.get("/auth/assets/page.css").status, 200);
        QCOMPARE(c.get("/assets/nothing.js").status, 404);
    }
};

QTEST_GUILESS_MAIN(TstNoDiscovery)
#include "tst_nodiscovery.moc"
