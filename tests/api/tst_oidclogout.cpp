// SPDX-License-Identifier: GPL-3.0-or-later
// RP-initiated logout (/oauth2/logout): a valid id_token_hint ends the provider session
// at once; without one the person confirms with a form bound to the session; the
// post_logout_redirect_uri is followed only when registered for the client.
#include "crypto/jws.h"
#include "oidcflowtesting.h"

#include <QJsonObject>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace FlowTesting;

namespace {

QString idToken(Flow &f, const QString &aud, const QString &iss = kIssuer, qint64 expOffsetSecs = 600)
{
    const qint64 now = f.server.clock().nowMs() / 1000;
    return QString::fromLatin1(f.services().oidc.keys.sign({{u"iss"_s, iss},
                                                            {u"sub"_s, f.user.id},
                                                            {u"aud"_s, aud},
                                                            {u"iat"_s, now},
                                                            {u"exp"_s, now + expOffsetSecs}}));
}

bool signedIn(Flow &f, const QByteArray &cookie)
{
    return f.services().oidc.sessions.byCookie(cookie).has_value();
}

bool clearsCookie(const HttpReply &reply)
{
    for (const QByteArray &line : reply.headerValues("set-cookie"))
        if (line.startsWith("gh_op=;") && line.contains("Max-Age=0") && line.contains("Secure"))
            return true;
    return false;
}

} // namespace

class TestOidcLogout : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void hintEndsSessionAndRedirects()
    {
        Flow f;
        const QByteArray cookie = f.signIn();
        const QByteArray target =
            "/oauth2/logout?" + encode({{u"id_token_hint"_s, idToken(f, f.thirdParty.id)},
                                        {u"post_logout_redirect_uri"_s, kLogoutRedirect},
                                        {u"state"_s, u"s 1&2"_s}});
        const HttpReply reply = f.get(target, cookie);
        QCOMPARE(reply.status, 303);
        QCOMPARE(reply.header("location"), kLogoutRedirect.toUtf8() + "?state=s%201%262");
        QVERIFY(clearsCookie(reply));
        QVERIFY(!signedIn(f, cookie));
        f.services().audit.flush();
        AuditFilter filter;
        filter.text = u"oidc.logout"_s;
        const auto events = f.services().audit.query(filter);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].subject, u"client:"_s + f.thirdParty.id);
    }

    void expiredHintAccepted()
    {
        Flow f;
        const QByteArray cookie = f.signIn();
        const QString hint = idToken(f, f.thirdParty.id, kIssuer, -3600);
        const HttpReply reply =
            f.post("/oauth2/logout", encode({{u"id_token_hint"_s, hint}}), cookie);
        QCOMPARE(reply.status, 200);
        QVERIFY(reply.body.contains("Signed out"));
        QVERIFY(!signedIn(f, cookie));
    }

    void badHintRefused_data()
    {
        QTest::addColumn<int>("which");
        QTest::newRow("other issuer") << 0;
        QTest::newRow("tampered") << 1;
        QTest::newRow("other signer") << 2;
        QTest::newRow("client mismatch") << 3;
    }

    void badHintRefused()
    {
        QFETCH(int, which);
        Flow f;
        const QByteArray cookie = f.signIn();
        QString hint = idToken(f, f.thirdParty.id, which == 0 ? u"https://evil.test"_s : kIssuer);
        if (which == 1)
            hint.replace(hint.indexOf(u'.') + 3, 1, hint[hint.indexOf(u'.') + 3] == u'A' ? u'B' : u'A');
        if (which == 2)
            hint = QString::fromLatin1(JwsSigner::generate(JwsSigner::Algorithm::ES256, u"x"_s)
                                           .sign({{u"iss"_s, kIssuer},
                                                  {u"sub"_s, f.user.id},
                                                  {u"aud"_s, f.thirdParty.id}}));
        Params params = {{u"id_token_hint"_s, hint},
                         {u"post_logout_redirect_uri"_s, kLogoutRedirect}};
        if (which == 3)
            params.append({u"client_id"_s, f.firstParty.id});
        const HttpReply reply = f.get("/oauth2/logout?" + encode(params), cookie);
        QCOMPARE(reply.status, 400);
        QVERIFY(reply.header("location").isEmpty());
        QVERIFY(signedIn(f, cookie));
    }

    // Without a hint, the person confirms: a page, then a form bound to the session.
    void withoutHintAsksFirst()
    {
        Flow f;
        const QByteArray cookie = f.signIn();
        const QByteArray query = encode({{u"client_id"_s, f.thirdParty.id},
                                         {u"post_logout_redirect_uri"_s, kLogoutRedirect},
                                         {u"state"_s, u"xyz"_s}});
        const HttpReply page = f.get("/oauth2/logout?" + query, cookie);
        QCOMPARE(page.status, 200);
        QVERIFY(signedIn(f, cookie));
        QVERIFY(page.body.contains("Ada Lovelace"));
        QVERIFY(page.body.contains(R"(<form method="post" action="logout">)"));
        QVERIFY(page.header("content-security-policy")
                    .contains("form-action 'self' https://app.example.test;"));
        const QString csrf = hiddenValue(page.body, "logout_csrf");
        QCOMPARE(csrf.size(), 43);
        QCOMPARE(hiddenValue(page.body, "post_logout_redirect_uri"), kLogoutRedirect);

        const auto confirm = [&](const QString &token, const QString &decision) {
            return f.post("/oauth2/logout",
                          encode({{u"logout_csrf"_s, token},
                                  {u"client_id"_s, f.thirdParty.id},
                                  {u"post_logout_redirect_uri"_s, kLogoutRedirect},
                                  {u"state"_s, u"xyz"_s},
                                  {u"decision"_s, decision}}),
                          cookie);
        };
        // a forged form only gets the page again
        HttpReply reply = confirm(QString(43, u'A'), u"logout"_s);
        QCOMPARE(reply.status, 200);
        QVERIFY(reply.body.contains("logout_csrf"));
        QVERIFY(signedIn(f, cookie));
        reply = confirm(csrf, u"stay"_s);
        QVERIFY(reply.body.contains("Still signed in"));
        QVERIFY(signedIn(f, cookie));
        reply = confirm(csrf, u"logout"_s);
        QCOMPARE(reply.status, 303);
        QCOMPARE(reply.header("location"), kLogoutRedirect.toUtf8() + "?state=xyz");
        QVERIFY(clearsCookie(reply));
        QVERIFY(!signedIn(f, cookie));
    }

    void unregisteredRedirectNotFollowed_data()
    {
        QTest::addColumn<QString>("uri");
        QTest::addColumn<bool>("withClient");
        QTest::newRow("unregistered") << u"https://evil.example/bye"_s << true;
        QTest::newRow("redirect_uri, not logout") << kRedirect << true;
        QTest::newRow("no client named") << kLogoutRedirect << false;
    }

    void unregisteredRedirectNotFollowed()
    {
        QFETCH(QString, uri);
        QFETCH(bool, withClient);
        Flow f;
        const QByteArray cookie = f.signIn();
        Params params = {{u"id_token_hint"_s, idToken(f, f.thirdParty.id)},
                         {u"post_logout_redirect_uri"_s, uri}};
        if (!withClient)
            params = {{u"post_logout_redirect_uri"_s, uri}};
        const HttpReply reply = f.get("/oauth2/logout?" + encode(params), withClient ? cookie : QByteArray());
        QCOMPARE(reply.status, 200);
        QVERIFY(reply.header("location").isEmpty());
        QVERIFY(!reply.body.contains(uri.toUtf8()));
    }

    void withoutSessionJustRedirects()
    {
        Flow f;
        const HttpReply reply = f.get(
            "/oauth2/logout?" + encode({{u"client_id"_s, f.thirdParty.id},
                                        {u"post_logout_redirect_uri"_s, kLogoutRedirect}}));
        QCOMPARE(reply.status, 303);
        QCOMPARE(reply.header("location"), kLogoutRedirect.toUtf8());
    }

    // Another person's ID token does not end this browser's session without asking.
    void hintForSomeoneElseAsks()
    {
        Flow f;
        User other;
        other.username = u"bob"_s;
        other.email = u"bob@example.test"_s;
        const QString otherId = f.services().users.create(other).value().id;
        const QByteArray cookie = f.services().oidc.sessions.start(otherId, u"pwd"_s).cookie;
        const HttpReply reply = f.get(
            "/oauth2/logout?" + encode({{u"id_token_hint"_s, idToken(f, f.thirdParty.id)}}),
            cookie);
        QCOMPARE(reply.status, 200);
        QVERIFY(reply.body.contains("logout_csrf"));
        QVERIFY(signedIn(f, cookie));
    }
};

QTEST_GUILESS_MAIN(TestOidcLogout)
#include "tst_oidclogout.moc"
