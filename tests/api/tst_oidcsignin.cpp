// SPDX-License-Identifier: GPL-3.0-or-later
// The OpenID provider's sign-in page (GET /oauth2/signin, POST /oauth2/signin/…): every
// form method without script, the CSRF check, and what an unknown request gets.
#include "accounttesting.h"
#include "crypto/totp.h"
#include "identity/factors.h"
#include "services.h"
#include "testserver.h"

#include <QRegularExpression>
#include <QUrlQuery>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace AccountTesting;

namespace {

const QString kEmail = u"ada@example.com"_s;
const QString kPassword = u"correct horse"_s;

struct Pending
{
    QString id;
    QByteArray csrf;
    QByteArray page;
};

void configure(Settings &s)
{
    s.smtpUrl = u"smtp://127.0.0.1:9"_s; // nothing listens: the code stays in the outbox
}

QString newClient(TestServer &server)
{
    OidcClient draft;
    draft.name = u"Grafana <Ops>"_s;
    draft.redirectUris = {u"https://grafana.example/login/generic_oauth"_s};
    draft.scopes = {u"openid"_s, u"email"_s};
    // (an empty list is stored as NULL and refused by oidc_clients in the contract commit)
    draft.postLogoutRedirectUris = {u"https://grafana.example/"_s};
    const auto created = server.services().oidc.clients.add(draft);
    return created ? created->client.id : QString();
}

QString newRequest(TestServer &server, const QString &clientId)
{
    AuthRequest r;
    r.clientId = clientId;
    r.redirectUri = u"https://grafana.example/login/generic_oauth"_s;
    r.scope = u"openid email"_s;
    r.state = u"st"_s;
    r.codeChallenge = u"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"_s;
    r.responseMode = u"query"_s;
    return server.services().oidc.requests.save(r).id;
}

QByteArray field(const QByteArray &page, const QString &name)
{
    const QRegularExpression re(u"name=\"%1\" value=\"([^\"]*)\""_s.arg(name));
    return re.match(QString::fromUtf8(page)).captured(1).toUtf8();
}

QString alertText(const QByteArray &page)
{
    static const QRegularExpression re(u"<p id=\"error\"[^>]*>([^<]*)</p>"_s);
    return re.match(QString::fromUtf8(page)).captured(1);
}

bool sectionShown(const QByteArray &page, const QString &id)
{
    const QRegularExpression re(u"<section id=\"%1\"[^>]*>"_s.arg(id));
    const QString tag = re.match(QString::fromUtf8(page)).captured(0);
    return !tag.isEmpty() && !tag.contains(u" hidden"_s);
}

Pending open(TestServer &server)
{
    Pending p;
    p.id = newRequest(server, newClient(server));
    const HttpReply page = server.client().get("/oauth2/signin?request=" + p.id.toLatin1());
    p.page = page.body;
    p.csrf = field(page.body, u"csrf"_s);
    return p;
}

HttpReply postForm(TestServer &server, const QByteArray &path,
                   const QList<std::pair<QString, QString>> &fields)
{
    QUrlQuery q;
    for (const auto &[name, value] : fields)
        q.addQueryItem(name, QString::fromLatin1(QUrl::toPercentEncoding(value)));
    return server.client().request("POST", path, q.toString(QUrl::FullyEncoded).toUtf8(),
                                   {{"Content-Type", "application/x-www-form-urlencoded"}});
}

HttpReply passwordPost(TestServer &server, const Pending &p, const QString &email,
                       const QString &password)
{
    return postForm(server, "/oauth2/signin/password",
                    {{u"request"_s, p.id},
                     {u"csrf"_s, QString::fromLatin1(p.csrf)},
                     {u"email"_s, email},
                     {u"password"_s, password}});
}

// The sign-in went through: 303 to the flow's continue URL and a provider session.
void verifySignedIn(TestServer &server, const Pending &p, const HttpReply &reply,
                    const QString &amr)
{
    QCOMPARE(reply.status, 303);
    QCOMPARE(reply.header("location"), "/oauth2/authorize/continue?request=" + p.id.toLatin1());
    const QByteArray line = reply.header("set-cookie");
    QVERIFY2(line.startsWith("gh_op="), line.constData());
    QVERIFY(line.contains("HttpOnly"));
    QVERIFY(line.contains("SameSite=Lax"));
    QVERIFY(line.contains("Path=/"));
    const auto session = server.services().oidc.sessions.byCookie(reply.cookie("gh_op"));
    QVERIFY(session);
    QCOMPARE(session->userId, server.services().users.byEmail(kEmail)->id);
    QCOMPARE(session->amr, amr);
}

} // namespace

class TestOidcSignin : public QObject
{
    Q_OBJECT

private slots:
    void pageShowsTheClientAndNoInlineCode()
    {
        TestServer server(configure);
        const Pending p = open(server);
        const HttpReply page = server.client().get("/oauth2/signin?request=" + p.id.toLatin1());
        QCOMPARE(page.status, 200);
        QVERIFY(page.body.contains("Sign in to Grafana &lt;Ops&gt; with Gatehouse"));
        QVERIFY(page.body.contains("<html lang=\"en\">"));
        QVERIFY(page.body.contains("<label for=\"email\">"));
        QVERIFY(page.body.contains("<label for=\"password\">"));
        QVERIFY(!page.body.contains("<script>"));
        QVERIFY(!page.body.contains(" style="));
        QVERIFY(!page.body.contains("<style"));
        static const QRegularExpression handler(u"\\son[a-z]+\\s*="_s); // onclick= and the like
        QVERIFY(!handler.match(QString::fromUtf8(page.body)).hasMatch());
        QVERIFY(page.body.contains("<script src=\"/oauth2/assets/oidc-signin.js\"></script>"));
        const QByteArray csp = page.header("content-security-policy");
        QVERIFY(csp.contains("script-src 'self'"));
        QVERIFY(!csp.contains("unsafe-inline"));
        QCOMPARE(p.csrf.size(), 43);
        QVERIFY(sectionShown(page.body, u"start"_s));
        QVERIFY(!sectionShown(page.body, u"gone"_s));
        for (const QByteArray asset : {"oidc-signin.js", "oidc-signin.css", "form.css"})
            QCOMPARE(server.client().get("/oauth2/assets/" + asset).status, 200);
    }

    void unknownOrExpiredRequest()
    {
        TestServer server(configure);
        const HttpReply unknown = server.client().get("/oauth2/signin?request=nope");
        QCOMPARE(unknown.status, 400);
        QVERIFY(sectionShown(unknown.body, u"gone"_s));
        QVERIFY(!sectionShown(unknown.body, u"start"_s));
        QCOMPARE(server.client().get("/oauth2/signin").status, 400);
        newUser(server, kEmail, kPassword);
        const Pending p = open(server);
        server.clock().advanceSecs(16 * 60); // past AuthRequests::kLifetimeMs
        const HttpReply expired = server.client().get("/oauth2/signin?request=" + p.id.toLatin1());
        QCOMPARE(expired.status, 400);
        QVERIFY(sectionShown(expired.body, u"gone"_s));
        const HttpReply post = passwordPost(server, p, kEmail, kPassword);
        QCOMPARE(post.status, 400);
        QVERIFY(post.cookie("gh_op").isEmpty());
    }

    void passwordSignsIn()
    {
        TestServer server(configure);
        newUser(server, kEmail, kPassword);
        const Pending p = open(server);
        verifySignedIn(server, p, passwordPost(server, p, kEmail, kPassword), u"pwd"_s);
        server.services().audit.flush();
        AuditFilter filter;
        filter.text = u"oidc.signin"_s;
        const auto events = server.services().audit.query(filter);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.first().action, u"oidc.signin"_s);
        QCOMPARE(events.first().result, u"ok"_s);
        QCOMPARE(events.first().surface, u"oidc"_s);
        QVERIFY(events.first().detail.startsWith(u"password"_s));
        QVERIFY(!events.first().detail.contains(kPassword));
    }

    void wrongPasswordAndUnknownEmailAnswerAlike()
    {
        TestServer server(configure);
        newUser(server, kEmail, kPassword);
        const Pending p = open(server);
        const HttpReply wrong = passwordPost(server, p, kEmail, u"not the password"_s);
        const HttpReply unknown = passwordPost(server, p, u"nobody@example.com"_s, kPassword);
        QCOMPARE(wrong.status, 401);
        QCOMPARE(unknown.status, wrong.status);
        QCOMPARE(alertText(wrong.body), u"Wrong email or password."_s);
        QCOMPARE(alertText(unknown.body), alertText(wrong.body));
        QVERIFY(wrong.cookie("gh_op").isEmpty());
        QVERIFY(unknown.body.contains("value=\"nobody@example.com\"")); // the email is kept
        QVERIFY(wrong.body.contains("role=\"alert\""));
        QVERIFY(sectionShown(wrong.body, u"start"_s));
    }

    void disabledUserRefused()
    {
        TestServer server(configure);
        newUser(server, kEmail, kPassword);
        Services &s = server.services();
        QVERIFY(s.users.setDisabled(s.users.byEmail(kEmail)->id, true));
        const Pending p = open(server);
        const HttpReply reply = passwordPost(server, p, kEmail, kPassword);
        QCOMPARE(reply.status, 403);
        QVERIFY(reply.cookie("gh_op").isEmpty());
        QVERIFY(alertText(reply.body).contains(u"disabled"_s));
    }

    void wrongCsrfRefused()
    {
        TestServer server(configure);
        newUser(server, kEmail, kPassword);
        Pending p = open(server);
        const Pending other = open(server); // a token for another request does not do
        for (const QByteArray &csrf : {QByteArray(), QByteArray("x"), other.csrf}) {
            p.csrf = csrf;
            const HttpReply reply = passwordPost(server, p, kEmail, kPassword);
            QCOMPARE(reply.status, 403);
            QVERIFY(reply.cookie("gh_op").isEmpty());
            QVERIFY(!alertText(reply.body).isEmpty());
        }
    }

    void totpSecondStep()
    {
        TestServer server(configure);
        newUser(server, kEmail, kPassword);
        Services &s = server.services();
        const QString userId = s.users.byEmail(kEmail)->id;
        const TotpEnrolment e = s.factors.beginTotp(userId, kEmail, QString(), u"test"_s);
        const QByteArray secret = *Totp::fromBase32(e.secret);
        QVERIFY(s.factors
                    .confirmTotp(userId, e.factor.id, Totp::at(secret, server.clock().nowSecs()),
                                 u"test"_s)
                    .ok());
        server.clock().advanceSecs(30);
        const Pending p = open(server);
        const HttpReply step = passwordPost(server, p, kEmail, kPassword);
        QCOMPARE(step.status, 200);
        QVERIFY(step.cookie("gh_op").isEmpty());
        QVERIFY(sectionShown(step.body, u"second-step"_s));
        const QString challenge = QString::fromLatin1(field(step.body, u"challenge"_s));
        QVERIFY(!challenge.isEmpty());
        auto second = [&](const QString &code) {
            return postForm(server, "/oauth2/signin/second-factor",
                            {{u"request"_s, p.id},
                             {u"csrf"_s, QString::fromLatin1(p.csrf)},
                             {u"challenge"_s, challenge},
                             {u"first"_s, u"pwd"_s},
                             {u"code"_s, code}});
        };
        const HttpReply wrong = second(
            u"000000"_s == Totp::at(secret, server.clock().nowSecs()) ? u"111111"_s : u"000000"_s);
        QCOMPARE(wrong.status, 403);
        QVERIFY(sectionShown(wrong.body, u"second-step"_s)); // another try on the same page
        QVERIFY(!alertText(wrong.body).isEmpty());
        verifySignedIn(server, p, second(Totp::at(secret, server.clock().nowSecs())),
                       u"pwd otp mfa"_s);
    }

    void emailedCode()
    {
        TestServer server(configure);
        newUser(server, kEmail, kPassword);
        const Pending p = open(server);
        QVERIFY(p.page.contains("id=\"email-code-form\" method=\"post\" "
                                "action=\"/oauth2/signin/email-code\" >"));
        auto send = [&](const QString &email) {
            return postForm(server, "/oauth2/signin/email-code",
                            {{u"request"_s, p.id},
                             {u"csrf"_s, QString::fromLatin1(p.csrf)},
                             {u"email"_s, email}});
        };
        // An address without an account gets the same page, and no mail.
        const HttpReply nobody = send(u"nobody@example.com"_s);
        QCOMPARE(nobody.status, 200);
        QVERIFY(sectionShown(nobody.body, u"code-step"_s));
        QCOMPARE(lastMessageTo(server, u"nobody@example.com"_s).recipient, QString());
        const HttpReply sent = send(kEmail);
        QCOMPARE(sent.status, 200);
        QVERIFY(sectionShown(sent.body, u"code-step"_s));
        const QString code = firstMatch(lastMessageTo(server, kEmail).body, u"(\\d{6})"_s);
        QCOMPARE(code.size(), 6);
        auto verify = [&](const QString &c) {
            return postForm(server, "/oauth2/signin/email-code/verify",
                            {{u"request"_s, p.id},
                             {u"csrf"_s, QString::fromLatin1(p.csrf)},
                             {u"email"_s, kEmail},
                             {u"code"_s, c}});
        };
        const HttpReply wrong = verify(code == u"000000" ? u"111111"_s : u"000000"_s);
        QCOMPARE(wrong.status, 401);
        QVERIFY(sectionShown(wrong.body, u"code-step"_s));
        verifySignedIn(server, p, verify(code), u"otp"_s);
        QCOMPARE(verify(code).status, 401); // once
    }

    void emailedCodeNotOfferedWithoutMail()
    {
        TestServer server;
        const Pending p = open(server);
        QVERIFY(p.page.contains("id=\"email-code-form\" method=\"post\" "
                                "action=\"/oauth2/signin/email-code\" hidden>"));
    }

    void scriptedRoutesCheckCsrf()
    {
        TestServer server(configure);
        const Pending p = open(server);
        const HttpReply good = server.client().postJson(
            "/oauth2/signin/passkey/options",
            {{u"request"_s, p.id}, {u"csrf"_s, QString::fromLatin1(p.csrf)}});
        QCOMPARE(good.status, 200);
        QVERIFY(!good.json().value(u"ceremony"_s).toString().isEmpty());
        const HttpReply bad = server.client().postJson(
            "/oauth2/signin/passkey/options", {{u"request"_s, p.id}, {u"csrf"_s, u"nope"_s}});
        QCOMPARE(bad.status, 403);
        QCOMPARE(bad.json().value(u"error"_s).toString(), u"access_denied"_s);
        const HttpReply gone = server.client().postJson(
            "/oauth2/signin/passkey/options",
            {{u"request"_s, u"nope"_s}, {u"csrf"_s, QString::fromLatin1(p.csrf)}});
        QCOMPARE(gone.status, 400);
    }
};

QTEST_GUILESS_MAIN(TestOidcSignin)
#include "tst_oidcsignin.moc"
