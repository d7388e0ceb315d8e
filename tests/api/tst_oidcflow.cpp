// SPDX-License-Identifier: GPL-3.0-or-later
// The authorization endpoint, /oauth2/authorize/continue and the consent page, over
// HTTP against the in-process server (the sign-in pages are stood in for by provider
// sessions started in the core).
#include "oidcflowtesting.h"

#include <QtTest>

using namespace Qt::StringLiterals;
using namespace FlowTesting;

namespace {

// What a redirect to the application says: its query parameters.
QUrlQuery redirected(const HttpReply &reply)
{
    if (reply.status != 303 || !reply.header("location").startsWith(kRedirect.toUtf8() + '?'))
        qWarning() << "not a redirect to the application:" << reply.status
                   << reply.header("location") << reply.body.left(300);
    return locationQuery(reply.header("location"));
}

// The request id in a 303 to the sign-in or consent page.
QString requestIn(const HttpReply &reply, const QByteArray &page)
{
    const QByteArray location = reply.header("location");
    if (reply.status != 303 || !location.startsWith(page + "?request="))
        return {};
    return value(locationQuery(location), u"request"_s);
}

} // namespace

class TestOidcFlow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Before the client and its redirect URI are known good nothing is sent anywhere.
    void untrustedRequestsNeverRedirect_data()
    {
        QTest::addColumn<QString>("param");
        QTest::addColumn<QString>("value");
        QTest::newRow("no client_id") << u"client_id"_s << QString();
        QTest::newRow("unknown client") << u"client_id"_s << u"gh_nobody"_s;
        QTest::newRow("no redirect_uri") << u"redirect_uri"_s << QString();
        QTest::newRow("unregistered") << u"redirect_uri"_s << u"https://evil.example/cb"_s;
        QTest::newRow("trailing slash") << u"redirect_uri"_s << kRedirect + u'/';
        QTest::newRow("extra query") << u"redirect_uri"_s << kRedirect + u"?a=1"_s;
        QTest::newRow("case") << u"redirect_uri"_s << kRedirect.toUpper();
    }

    void untrustedRequestsNeverRedirect()
    {
        QFETCH(QString, param);
        QFETCH(QString, value);
        Flow f;
        const HttpReply reply = f.authorize(f.params(f.thirdParty, {{param, value}}));
        QCOMPARE(reply.status, 400);
        QVERIFY(reply.header("location").isEmpty());
        QVERIFY(reply.header("content-type").startsWith("text/html"));
        QVERIFY(reply.header("content-security-policy").contains("script-src 'self'"));
        QVERIFY(!reply.body.contains("<script>"));
        QVERIFY(!reply.body.contains("evil.example"));
    }

    void repeatedRedirectUriNeverRedirects()
    {
        Flow f;
        Params p = f.params(f.thirdParty);
        p.append({u"redirect_uri"_s, kRedirect});
        const HttpReply reply = f.authorize(p);
        QCOMPARE(reply.status, 400);
        QVERIFY(reply.header("location").isEmpty());
    }

    // After them, errors go back to the application with state and iss (RFC 9207).
    void errorsRedirect_data()
    {
        QTest::addColumn<Params>("extra");
        QTest::addColumn<QString>("error");
        QTest::addColumn<QString>("description");
        const QString pkce = u"PKCE with S256 is required"_s;
        QTest::newRow("token") << Params{{u"response_type"_s, u"token"_s}}
                               << u"unsupported_response_type"_s << QString();
        QTest::newRow("no response_type")
            << Params{{u"response_type"_s, QString()}} << u"invalid_request"_s << QString();
        QTest::newRow("no openid")
            << Params{{u"scope"_s, u"profile email"_s}} << u"invalid_scope"_s << QString();
        QTest::newRow("no challenge")
            << Params{{u"code_challenge"_s, QString()}} << u"invalid_request"_s << pkce;
        QTest::newRow("no method")
            << Params{{u"code_challenge_method"_s, QString()}} << u"invalid_request"_s << pkce;
        QTest::newRow("plain") << Params{{u"code_challenge_method"_s, u"plain"_s}}
                               << u"invalid_request"_s << pkce;
        QTest::newRow("short challenge")
            << Params{{u"code_challenge"_s, u"abc"_s}} << u"invalid_request"_s << QString();
        QTest::newRow("request object")
            << Params{{u"request"_s, u"eyJ.x.y"_s}} << u"request_not_supported"_s << QString();
        QTest::newRow("request_uri") << Params{{u"request_uri"_s, u"https://x/r"_s}}
                                     << u"request_uri_not_supported"_s << QString();
        QTest::newRow("prompt unknown")
            << Params{{u"prompt"_s, u"always"_s}} << u"invalid_request"_s << QString();
        QTest::newRow("prompt none+login")
            << Params{{u"prompt"_s, u"none login"_s}} << u"invalid_request"_s << QString();
        QTest::newRow("max_age") << Params{{u"max_age"_s, u"-1"_s}} << u"invalid_request"_s
                                 << QString();
        QTest::newRow("response_mode")
            << Params{{u"response_mode"_s, u"fragment"_s}} << u"invalid_request"_s << QString();
        QTest::newRow("long nonce")
            << Params{{u"nonce"_s, QString(513, u'n')}} << u"invalid_request"_s << QString();
    }

    void errorsRedirect()
    {
        QFETCH(Params, extra);
        QFETCH(QString, error);
        QFETCH(QString, description);
        Flow f;
        const QByteArray cookie = f.signIn();
        const QUrlQuery q = redirected(f.authorize(f.params(f.firstParty, extra), cookie));
        QCOMPARE(value(q, u"error"_s), error);
        if (!description.isEmpty())
            QCOMPARE(value(q, u"error_description"_s), description);
        QCOMPARE(value(q, u"state"_s), u"st-123"_s);
        QCOMPARE(value(q, u"iss"_s), kIssuer);
        QVERIFY(!q.hasQueryItem(u"code"_s));
    }

    void repeatedParameterRefused()
    {
        Flow f;
        Params p = f.params(f.firstParty);
        p.append({u"scope"_s, u"openid email"_s});
        const QUrlQuery q = redirected(f.authorize(p, f.signIn()));
        QCOMPARE(value(q, u"error"_s), u"invalid_request"_s);
    }

    void promptNoneWithoutSession()
    {
        Flow f;
        const HttpReply reply = f.authorize(f.params(f.firstParty, {{u"prompt"_s, u"none"_s}}));
        const QUrlQuery q = redirected(reply);
        QCOMPARE(value(q, u"error"_s), u"login_required"_s);
        QCOMPARE(value(q, u"state"_s), u"st-123"_s);
        QCOMPARE(value(q, u"iss"_s), kIssuer);
    }

    void promptNoneNeedingConsent()
    {
        Flow f;
        const QUrlQuery q =
            redirected(f.authorize(f.params(f.thirdParty, {{u"prompt"_s, u"none"_s}}), f.signIn()));
        QCOMPARE(value(q, u"error"_s), u"consent_required"_s);
        QCOMPARE(value(q, u"iss"_s), kIssuer);
    }

    void promptNoneWithSessionIssuesCode()
    {
        Flow f;
        const QUrlQuery q =
            redirected(f.authorize(f.params(f.firstParty, {{u"prompt"_s, u"none"_s}}), f.signIn()));
        QVERIFY(!value(q, u"code"_s).isEmpty());
    }

    // No session: the request is saved and the browser goes to sign in; the request
    // keeps only scopes the client may have (unknown ones ignored).
    void withoutSessionGoesToSignIn()
    {
        Flow f;
        const HttpReply reply =
            f.authorize(f.params(f.thirdParty, {{u"scope"_s, u"openid offline_access email foo"_s},
                                                {u"max_age"_s, u"300"_s},
                                                {u"response_mode"_s, u"form_post"_s}}));
        const QString id = requestIn(reply, "signin");
        QVERIFY2(!id.isEmpty(), reply.header("location").constData());
        const auto saved = f.services().oidc.requests.byId(id);
        QVERIFY(saved);
        QCOMPARE(saved->scope, u"openid email"_s);
        QCOMPARE(saved->state, u"st-123"_s);
        QCOMPARE(saved->nonce, u"n-456"_s);
        QCOMPARE(saved->codeChallenge, challenge());
        QCOMPARE(saved->responseMode, u"form_post"_s);
        QCOMPARE(saved->maxAgeSecs, 300);
        QCOMPARE(saved->redirectUri, kRedirect);
    }

    // First-party clients skip consent: the code comes at once, and stands for the session.
    void firstPartyGetsCodeAtOnce()
    {
        Flow f;
        const QByteArray cookie = f.signIn(u"pwd otp mfa"_s);
        const QUrlQuery q = redirected(f.authorize(f.params(f.firstParty), cookie));
        QCOMPARE(value(q, u"state"_s), u"st-123"_s);
        QCOMPARE(value(q, u"iss"_s), kIssuer);
        const auto redeemed = f.services().oidc.codes.redeem(value(q, u"code"_s));
        QCOMPARE(redeemed.outcome, AuthCodes::Outcome::Granted);
        QCOMPARE(redeemed.grant.clientId, f.firstParty.id);
        QCOMPARE(redeemed.grant.userId, f.user.id);
        QCOMPARE(redeemed.grant.redirectUri, kRedirect);
        QCOMPARE(redeemed.grant.scope, u"openid profile"_s);
        QCOMPARE(redeemed.grant.nonce, u"n-456"_s);
        QCOMPARE(redeemed.grant.codeChallenge, challenge());
        QCOMPARE(redeemed.grant.amr, u"pwd otp mfa"_s);
        QCOMPARE(redeemed.grant.sessionId, f.services().oidc.sessions.byCookie(cookie)->id);
        f.services().audit.flush();
        AuditFilter filter;
        filter.text = u"oidc.authorize"_s;
        const auto events = f.services().audit.query(filter);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].actor, f.user.id);
    }

    // A confidential client registered without PKCE (Gitea) may leave the challenge out;
    // whoever sends one still sends S256, and every other client still must.
    void pkceOptionalOnlyWhereRegistered()
    {
        Flow f;
        OidcClient noPkce = f.thirdParty;
        noPkce.firstParty = true;
        noPkce.requirePkce = false;
        QVERIFY(f.services().oidc.clients.update(noPkce));
        const QByteArray cookie = f.signIn();
        const Params without{{u"code_challenge"_s, QString()},
                             {u"code_challenge_method"_s, QString()}};
        QUrlQuery q = redirected(f.authorize(f.params(noPkce, without), cookie));
        const auto redeemed = f.services().oidc.codes.redeem(value(q, u"code"_s));
        QCOMPARE(redeemed.outcome, AuthCodes::Outcome::Granted);
        QVERIFY(redeemed.grant.codeChallenge.isEmpty());
        q = redirected(
            f.authorize(f.params(noPkce, {{u"code_challenge_method"_s, u"plain"_s}}), cookie));
        QCOMPARE(value(q, u"error"_s), u"invalid_request"_s);
        q = redirected(f.authorize(f.params(noPkce, {{u"code_challenge"_s, QString()}}), cookie));
        QCOMPARE(value(q, u"error"_s), u"invalid_request"_s); // a method without a challenge
        q = redirected(f.authorize(f.params(f.firstParty, without), cookie)); // public: required
        QCOMPARE(value(q, u"error"_s), u"invalid_request"_s);
        OidcClient publicNoPkce = f.firstParty;
        publicNoPkce.requirePkce = false;
        QVERIFY(!f.services().oidc.clients.update(publicNoPkce));
    }

    void redirectUriWithQueryKeepsIt()
    {
        Flow f;
        const HttpReply reply = f.authorize(
            f.params(f.firstParty, {{u"redirect_uri"_s, u"http://127.0.0.1:7000/cb?x=1"_s},
                                    {u"state"_s, QString()}}),
            f.signIn());
        QCOMPARE(reply.status, 303);
        const QByteArray location = reply.header("location");
        QVERIFY(location.startsWith("http://127.0.0.1:7000/cb?x=1&code="));
        QVERIFY(!location.contains("state="));
    }

    // A browser posting the request from the application's site sends no SameSite=Lax
    // cookie: the same request comes back as a GET, which does.
    void crossSitePostBecomesGet()
    {
        Flow f;
        const QByteArray body = encode(f.params(f.firstParty));
        HttpReply reply = f.post("/oauth2/authorize", body);
        QCOMPARE(reply.status, 303);
        QCOMPARE(reply.header("location"), "authorize?" + body);
        reply = f.post("/oauth2/authorize", body, f.signIn());
        QVERIFY(!value(redirected(reply), u"code"_s).isEmpty());
    }

    void formPostPage()
    {
        Flow f;
        const HttpReply reply =
            f.authorize(f.params(f.firstParty, {{u"response_mode"_s, u"form_post"_s},
                                                {u"state"_s, u"a\"<b>&c"_s}}),
                        f.signIn());
        QCOMPARE(reply.status, 200);
        const QByteArray &html = reply.body;
        QVERIFY(html.contains("<form method=\"post\" action=\"" + kRedirect.toUtf8() + '"'));
        QVERIFY(!hiddenValue(html, "code").isEmpty());
        QCOMPARE(hiddenValue(html, "state"), u"a&quot;&lt;b&gt;&amp;c"_s);
        QCOMPARE(hiddenValue(html, "iss"), kIssuer);
        QVERIFY(html.contains(R"(<script src="assets/oidc-form-post.js"></script>)"));
        QVERIFY(html.contains(">Continue</button>"));
        QVERIFY(!html.contains("<script>"));
        const QByteArray csp = reply.header("content-security-policy");
        QVERIFY(csp.contains("form-action https://app.example.test;"));
        QVERIFY(csp.contains("script-src 'self'"));
        QVERIFY(!csp.contains("unsafe-inline"));
        QCOMPARE(reply.header("cache-control"), "no-store");
        const HttpReply js = f.get("/oauth2/assets/oidc-form-post.js");
        QCOMPARE(js.status, 200);
        QVERIFY(js.body.contains("submit()"));
        QCOMPARE(f.get("/oauth2/assets/oidc.css").status, 200);
    }

    // Sign-in (a session started meanwhile) -> continue -> code; the id is then spent.
    void continueFinishesOnce()
    {
        Flow f;
        const QString id = requestIn(f.authorize(f.params(f.firstParty)), "signin");
        QVERIFY(!id.isEmpty());
        const QByteArray target = "/oauth2/authorize/continue?request=" + id.toLatin1();
        const HttpReply early = f.get(target);
        QCOMPARE(early.status, 303);
        QCOMPARE(early.header("location"), "../signin?request=" + id.toLatin1());
        const QByteArray cookie = f.signIn();
        QVERIFY(!value(redirected(f.get(target, cookie)), u"code"_s).isEmpty());
        const HttpReply again = f.get(target, cookie);
        QCOMPARE(again.status, 400);
        QVERIFY(again.header("location").isEmpty());
        QCOMPARE(f.get("/oauth2/authorize/continue?request=nonsense", cookie).status, 400);
    }

    void expiredRequestRefused()
    {
        Flow f;
        const QString id = requestIn(f.authorize(f.params(f.firstParty)), "signin");
        f.server.clock().advanceMs(AuthRequests::kLifetimeMs + 1);
        const QByteArray cookie = f.signIn();
        const HttpReply reply =
            f.get("/oauth2/authorize/continue?request=" + id.toLatin1(), cookie);
        QCOMPARE(reply.status, 400);
        QVERIFY(reply.header("location").isEmpty());
    }

    void promptLoginAndMaxAgeAskForSignIn()
    {
        Flow f;
        const QByteArray cookie = f.signIn();
        f.server.clock().advanceSecs(120);
        QVERIFY(
            !requestIn(f.authorize(f.params(f.firstParty, one(u"prompt"_s, u"login"_s)), cookie),
                       "signin")
                 .isEmpty());
        QVERIFY(!requestIn(f.authorize(f.params(f.firstParty, one(u"max_age"_s, u"60"_s)), cookie),
                           "signin")
                     .isEmpty());
        QVERIFY(!value(redirected(f.authorize(f.params(f.firstParty, one(u"max_age"_s, u"600"_s)),
                                              cookie)),
                       u"code"_s)
                     .isEmpty());
        // max_age=0: a sign-in after the request satisfies it, some time later too.
        const QString id = requestIn(
            f.authorize(f.params(f.firstParty, {{u"max_age"_s, u"0"_s}}), cookie), "signin");
        QVERIFY(!id.isEmpty());
        f.server.clock().advanceSecs(5);
        const QByteArray fresh = f.signIn();
        f.server.clock().advanceSecs(5);
        QVERIFY(
            !value(redirected(f.get("/oauth2/authorize/continue?request=" + id.toLatin1(), fresh)),
                   u"code"_s)
                 .isEmpty());
    }

    void endedSessionIsNoSession()
    {
        Flow f;
        const QByteArray cookie = f.signIn();
        f.services().users.signOutEverywhere(f.user.id);
        f.server.clock().advanceSecs(1);
        QVERIFY(!requestIn(f.authorize(f.params(f.firstParty), cookie), "signin").isEmpty());
    }

    // Each /authorize may save a row: it spends the caller's budget of anonymous writes.
    void authorizeSpendsPerIpBudget()
    {
        Flow f([](Settings &s) { s.anonymousWritesPerMinute = 3; });
        for (int i = 0; i < 3; ++i)
            QCOMPARE(f.authorize(f.params(f.firstParty)).status, 303);
        const HttpReply refused = f.authorize(f.params(f.firstParty));
        QCOMPARE(refused.status, 429);
        QVERIFY(refused.header("retry-after").toInt() >= 1);
        QVERIFY(refused.json().contains(u"error"_s));
        // the rest of the flow is not budgeted
        QCOMPARE(f.get("/oauth2/authorize/continue?request=x").status, 400);
    }

    // Housekeeping drops requests, sessions and codes once they have expired.
    void housekeepingPurgesExpiredRows()
    {
        Flow f;
        QVERIFY(!requestIn(f.authorize(f.params(f.firstParty)), "signin").isEmpty());
        const QByteArray cookie =
            f.services().oidc.sessions.start(f.user.id, u"pwd"_s, 1000).cookie;
        QVERIFY(
            !value(redirected(f.authorize(f.params(f.firstParty), cookie)), u"code"_s).isEmpty());
        Housekeeping::Report report = f.services().housekeeping.purge();
        QVERIFY(!report.details.join(u' ').contains(u"oidc"_s));
        f.server.clock().advanceSecs(2 * 3600);
        report = f.services().housekeeping.purge();
        const QStringList details = report.details;
        QVERIFY2(details.contains(u"oidc_requests 1"_s), qPrintable(details.join(u", ")));
        QVERIFY(details.contains(u"oidc_sessions 1"_s));
        QVERIFY(details.contains(u"oidc_codes 1"_s));
    }
};

QTEST_GUILESS_MAIN(TestOidcFlow)
#include "tst_oidcflow.moc"
