// SPDX-License-Identifier: GPL-3.0-or-later
// The consent page: shown for third-party clients, its form bound to the session and
// the request, Allow recorded (and not asked again), Deny sent back as access_denied.
#include "oidcflowtesting.h"

#include <QtTest>

using namespace Qt::StringLiterals;
using namespace FlowTesting;

namespace {

struct ConsentPage
{
    QString request;
    HttpReply page;
    QString csrf;
};

// Authorize with `cookie` for the third-party client, follow to the consent page.
ConsentPage openConsent(Flow &f, const QByteArray &cookie, const Params &extra = {})
{
    ConsentPage out;
    const HttpReply reply = f.authorize(f.params(f.thirdParty, extra), cookie);
    const QByteArray location = reply.header("location");
    if (reply.status != 303 || !location.startsWith("consent?request=")) {
        qWarning() << "no consent redirect:" << reply.status << location;
        return out;
    }
    out.request = value(locationQuery(location), u"request"_s);
    out.page = f.get("/oauth2/" + location, cookie);
    out.csrf = hiddenValue(out.page.body, "csrf");
    return out;
}

QByteArray decision(const ConsentPage &c, const QString &decision, const QString &csrf)
{
    return encode({{u"request"_s, c.request}, {u"csrf"_s, csrf}, {u"decision"_s, decision}});
}

QUrlQuery redirected(const HttpReply &reply)
{
    if (reply.status != 303 || !reply.header("location").startsWith(kRedirect.toUtf8() + '?'))
        qWarning() << "not a redirect to the application:" << reply.status
                   << reply.header("location") << reply.body.left(300);
    return locationQuery(reply.header("location"));
}

} // namespace

class TestOidcConsent : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pageShowsClientUserAndScopes()
    {
        Flow f;
        const ConsentPage c =
            openConsent(f, f.signIn(), {{u"scope"_s, u"openid email offline_access"_s}});
        QCOMPARE(c.page.status, 200);
        const QByteArray &html = c.page.body;
        QVERIFY(html.contains("Photo &lt;Album&gt;")); // escaped
        QVERIFY(html.contains("Ada Lovelace (ada@example.test)"));
        QVERIFY(html.contains("See your email address"));
        QVERIFY(!html.contains("Stay connected")); // offline_access is not allowed for it
        QVERIFY(html.contains(R"(<form method="post" action="consent">)"));
        QVERIFY(html.contains(R"(value="allow")") && html.contains(R"(value="deny")"));
        QVERIFY(html.contains(R"(<link rel="stylesheet" href="assets/oidc.css">)"));
        QVERIFY(!html.contains("<script"));
        QCOMPARE(hiddenValue(html, "request"), c.request);
        QCOMPARE(c.csrf.size(), 43);
        const QByteArray csp = c.page.header("content-security-policy");
        QVERIFY(csp.contains("form-action 'self' https://app.example.test;"));
        QVERIFY(csp.contains("frame-ancestors 'none'"));
    }

    void allowIssuesCodeAndIsRemembered()
    {
        Flow f;
        const QByteArray cookie = f.signIn();
        const ConsentPage c = openConsent(f, cookie);
        const HttpReply reply = f.post("/oauth2/consent", decision(c, u"allow"_s, c.csrf), cookie);
        const QUrlQuery q = redirected(reply);
        QVERIFY(!value(q, u"code"_s).isEmpty());
        QCOMPARE(value(q, u"state"_s), u"st-123"_s);
        QCOMPARE(value(q, u"iss"_s), kIssuer);
        QVERIFY(f.services().oidc.consents.covers(f.user.id, f.thirdParty.id,
                                                  u"openid profile"_s.split(u' ')));
        // the same scopes again: no page; prompt=none works now; a new scope asks again
        QVERIFY(!value(redirected(f.authorize(f.params(f.thirdParty), cookie)), u"code"_s)
                     .isEmpty());
        QVERIFY(!value(redirected(f.authorize(f.params(f.thirdParty, one(u"prompt"_s, u"none"_s)),
                                              cookie)),
                       u"code"_s)
                     .isEmpty());
        QVERIFY(!openConsent(f, cookie, one(u"scope"_s, u"openid email"_s)).request.isEmpty());
        // the request was answered: posting the form again finds nothing
        const HttpReply again =
            f.post("/oauth2/consent", decision(c, u"allow"_s, c.csrf), cookie);
        QCOMPARE(again.status, 400);
        QVERIFY(again.header("location").isEmpty());
    }

    void promptConsentAsksAgainOnce()
    {
        Flow f;
        const QByteArray cookie = f.signIn();
        f.services().oidc.consents.grant(f.user.id, f.thirdParty.id, {u"openid"_s, u"profile"_s});
        f.server.clock().advanceSecs(1);
        const ConsentPage c = openConsent(f, cookie, {{u"prompt"_s, u"consent"_s}});
        QCOMPARE(c.page.status, 200);
        f.server.clock().advanceSecs(1);
        const HttpReply reply = f.post("/oauth2/consent", decision(c, u"allow"_s, c.csrf), cookie);
        QVERIFY(!value(redirected(reply), u"code"_s).isEmpty());
    }

    void denySendsAccessDenied()
    {
        Flow f;
        const QByteArray cookie = f.signIn();
        const ConsentPage c = openConsent(f, cookie);
        const QUrlQuery q =
            redirected(f.post("/oauth2/consent", decision(c, u"deny"_s, c.csrf), cookie));
        QCOMPARE(value(q, u"error"_s), u"access_denied"_s);
        QCOMPARE(value(q, u"state"_s), u"st-123"_s);
        QCOMPARE(value(q, u"iss"_s), kIssuer);
        QVERIFY(!q.hasQueryItem(u"code"_s));
        QVERIFY(!f.services().oidc.consents.find(f.user.id, f.thirdParty.id));
        QVERIFY(!f.services().oidc.requests.byId(c.request)); // spent
    }

    void wrongTokenRefused_data()
    {
        QTest::addColumn<int>("which");
        QTest::newRow("empty") << 0;
        QTest::newRow("garbage") << 1;
        QTest::newRow("other session") << 2;
        QTest::newRow("other request") << 3;
    }

    void wrongTokenRefused()
    {
        QFETCH(int, which);
        Flow f;
        const QByteArray cookie = f.signIn();
        const ConsentPage c = openConsent(f, cookie);
        QString csrf;
        if (which == 1)
            csrf = QString(43, u'A');
        else if (which == 2)
            csrf = openConsent(f, f.signIn()).csrf;
        else if (which == 3)
            csrf = openConsent(f, cookie).csrf;
        QVERIFY(which == 0 || csrf.size() == 43);
        QVERIFY(csrf != c.csrf);
        const HttpReply reply = f.post("/oauth2/consent", decision(c, u"allow"_s, csrf), cookie);
        QCOMPARE(reply.status, 403);
        QVERIFY(reply.header("location").isEmpty());
        QVERIFY(!f.services().oidc.consents.find(f.user.id, f.thirdParty.id));
        // the right token still works afterwards
        const HttpReply good = f.post("/oauth2/consent", decision(c, u"allow"_s, c.csrf), cookie);
        QVERIFY(!value(redirected(good), u"code"_s).isEmpty());
    }

    void noSessionNoConsent()
    {
        Flow f;
        const QByteArray cookie = f.signIn();
        const ConsentPage c = openConsent(f, cookie);
        const HttpReply reply = f.post("/oauth2/consent", decision(c, u"allow"_s, c.csrf));
        QCOMPARE(reply.status, 403);
        // the page itself, without a session, sends the browser to sign in
        const HttpReply page = f.get("/oauth2/consent?request=" + c.request.toLatin1());
        QCOMPARE(page.status, 303);
        QCOMPARE(page.header("location"), "signin?request=" + c.request.toLatin1());
    }

    void firstPartyNeverSeesConsent()
    {
        Flow f;
        const QByteArray cookie = f.signIn();
        const HttpReply reply =
            f.authorize(f.params(f.firstParty, {{u"prompt"_s, u"consent"_s}}), cookie);
        QVERIFY(!value(redirected(reply), u"code"_s).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestOidcConsent)
#include "tst_oidcconsent.moc"
