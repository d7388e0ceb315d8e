// SPDX-License-Identifier: GPL-3.0-or-later
// The wallet surface (seed 001) over HTTP, part two: OAuth/OIDC with PKCE S256 and
// Sign in with Apple, against a local identity provider (FakeIdentityProvider: real
// HTTP on a loopback port, real RS256/ES256 signatures made with OpenSSL).
#include "crypto/random.h"
#include "fakeidentityprovider.h"
#include "identity/walletsignin.h"
#include "services.h"
#include "testserver.h"
#include "walletapitesting.h"

#include <QJsonArray>
#include <QTest>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

using namespace WalletTesting;

namespace {
const QString kRedirect = u"https://app.example/callback"_s;
const QString kAppleAud = u"com.example.app"_s;
const QString kAppleIss = u"https://appleid.apple.com"_s;
} // namespace

class TestWalletOAuth : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void googleLoginWithPkce();
    void stateIsSingleUse();
    void wrongVerifier();
    void redirectAllowList_data();
    void redirectAllowList();
    void initValidation();
    void callbackErrors();
    void providerRefusesCode();
    void providerUnreachable();
    void plainOAuthUsesUserinfo();
    void telegramOAuth();
    void appleLogin_data();
    void appleLogin();
    void appleForgeries();

private:
    struct Flow
    {
        QString state;
        QString verifier;
        QString code;
        QString provider;
    };
    Flow authorize(const QString &provider);
    QByteArray appleToken(const JwsSigner &key, const QJsonObject &overrides = {});

    std::unique_ptr<FakeIdentityProvider> m_idp;
    std::unique_ptr<TestServer> m_server;
};

void TestWalletOAuth::initTestCase()
{
    m_idp = std::make_unique<FakeIdentityProvider>();
    const QString base = m_idp->baseUrl();
    m_server = std::make_unique<TestServer>([&](Settings &s) {
        s.publicUrl = u"https://gatehouse.test"_s;
        auto provider = [&](const QString &name) {
            OAuthProviderSettings p;
            p.name = name;
            p.clientId = QString::fromLatin1(FakeIdentityProvider::kClientId);
            p.clientSecret = QString::fromLatin1(FakeIdentityProvider::kClientSecret);
            return p;
        };
        OAuthProviderSettings google = provider(u"google"_s);
        google.issuer = base; // discovery
        s.oauthProviders.insert(google.name, google);
        OAuthProviderSettings telegram = provider(u"telegram"_s);
        telegram.issuer = base;
        s.oauthProviders.insert(telegram.name, telegram);
        OAuthProviderSettings twitter = provider(u"twitter"_s); // explicit URLs, no OIDC
        twitter.authorizeUrl = base + u"/authorize"_s;
        twitter.tokenUrl = base + u"/token"_s;
        twitter.userinfoUrl = base + u"/userinfo"_s;
        s.oauthProviders.insert(twitter.name, twitter);
        OAuthProviderSettings down = provider(u"down"_s);
        down.authorizeUrl = u"http://127.0.0.1:1/authorize"_s;
        down.tokenUrl = u"http://127.0.0.1:1/token"_s;
        down.userinfoUrl = u"http://127.0.0.1:1/userinfo"_s;
        s.oauthProviders.insert(down.name, down);
        s.redirectAllowlist = {kRedirect, u"myapp://auth"_s};
        s.appleClientId = kAppleAud;
        s.appleJwksUrl = base + u"/jwks"_s;
    });
}

void TestWalletOAuth::cleanupTestCase()
{
    m_server.reset();
    m_idp.reset();
}

// init -> the provider's authorize endpoint -> our callback -> the client's redirect_uri.
TestWalletOAuth::Flow TestWalletOAuth::authorize(const QString &provider)
{
    Flow flow{u"st-"_s + Random::urlToken(12), Random::urlToken(40), {}, provider};
    HttpClient c = m_server->client();
    const HttpReply init = c.postJson(
        "/oauth/init", {{u"provider"_s, provider},
                        {u"redirect_uri"_s, kRedirect},
                        {u"state"_s, flow.state},
                        {u"code_challenge"_s, WalletSignIn::pkceChallenge(flow.verifier)}});
    if (init.status != 200)
        return flow;
    const QUrl url(init.json().value(u"url"_s).toString());
    const HttpReply consent =
        HttpClient(m_idp->port()).get(url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority));
    const QUrl back(QString::fromLatin1(consent.header("location")));
    if (back.path() != u"/oauth/callback")
        return flow;
    const HttpReply callback =
        c.get("/oauth/callback?" + back.query(QUrl::FullyEncoded).toLatin1());
    const QUrl client(QString::fromLatin1(callback.header("location")));
    const QUrlQuery q(client);
    if (callback.status == 302 && q.queryItemValue(u"wallet_oauth_state"_s) == flow.state &&
        q.queryItemValue(u"wallet_oauth_provider"_s) == provider)
        flow.code = q.queryItemValue(u"wallet_oauth_code"_s, QUrl::FullyDecoded);
    return flow;
}

void TestWalletOAuth::googleLoginWithPkce()
{
    m_idp->setSubject(u"google-sub-1"_s, u"gina@example.com"_s);
    HttpClient c = m_server->client();
    // The URL handed out names the client, our callback, the state and S256.
    const QString verifier = Random::urlToken(40);
    const HttpReply init =
        c.postJson("/oauth/init", {{u"provider"_s, u"google"_s},
                                   {u"redirect_uri"_s, kRedirect},
                                   {u"state"_s, u"state-google-1"_s},
                                   {u"code_challenge"_s, WalletSignIn::pkceChallenge(verifier)}});
    QCOMPARE(init.status, 200);
    QCOMPARE(init.json().value(u"client_id"_s).toString(),
             QString::fromLatin1(FakeIdentityProvider::kClientId));
    const QUrlQuery q(QUrl(init.json().value(u"url"_s).toString()));
    QCOMPARE(q.queryItemValue(u"redirect_uri"_s, QUrl::FullyDecoded),
             u"https://gatehouse.test/oauth/callback"_s);
    QCOMPARE(q.queryItemValue(u"code_challenge_method"_s), u"S256"_s);
    QCOMPARE(q.queryItemValue(u"state"_s), u"state-google-1"_s);
    QVERIFY(q.queryItemValue(u"scope"_s, QUrl::FullyDecoded).contains(u"openid"_s));

    const Flow flow = authorize(u"google"_s);
    QVERIFY(!flow.code.isEmpty());
    const Session s = login(
        c, u"GoogleOAuth"_s,
        {{u"state"_s, flow.state}, {u"code"_s, flow.code}, {u"code_verifier"_s, flow.verifier}});
    QCOMPARE(s.reply.status, 200);
    QCOMPARE(s.reply.json().value(u"social_links"_s).toArray(),
             (QJsonArray{QJsonObject{{u"Google"_s, u"gina@example.com"_s}}}));
    QCOMPARE(s.reply.json().value(u"wallets"_s).toArray().size(), 2);
    QCOMPARE(c.get("/session", {cookieHeader(s.token)}).json(), s.reply.json());
    // The same subject again is the same user.
    const Flow again = authorize(u"google"_s);
    const Session second = login(
        c, u"GoogleOAuth"_s,
        {{u"state"_s, again.state}, {u"code"_s, again.code}, {u"code_verifier"_s, again.verifier}});
    QCOMPARE(second.reply.json().value(u"id"_s), s.reply.json().value(u"id"_s));
}

void TestWalletOAuth::stateIsSingleUse()
{
    HttpClient c = m_server->client();
    const Flow flow = authorize(u"google"_s);
    const QJsonObject data{
        {u"state"_s, flow.state}, {u"code"_s, flow.code}, {u"code_verifier"_s, flow.verifier}};
    QCOMPARE(login(c, u"GoogleOAuth"_s, data).reply.status, 200);
    const Session replay = login(c, u"GoogleOAuth"_s, data);
    QCOMPARE(replay.reply.status, 400);
    QCOMPARE(replay.reply.json(), error(u"Invalid state"_s));
    // A state for one provider does not log in with another.
    const Flow tw = authorize(u"twitter"_s);
    QCOMPARE(
        login(c, u"GoogleOAuth"_s,
              {{u"state"_s, tw.state}, {u"code"_s, tw.code}, {u"code_verifier"_s, tw.verifier}})
            .reply.status,
        400);
}

void TestWalletOAuth::wrongVerifier()
{
    HttpClient c = m_server->client();
    const int before = m_idp->tokenRequests();
    const Flow flow = authorize(u"google"_s);
    const Session wrong = login(c, u"GoogleOAuth"_s,
                                {{u"state"_s, flow.state},
                                 {u"code"_s, flow.code},
                                 {u"code_verifier"_s, Random::urlToken(40)}});
    QCOMPARE(wrong.reply.status, 401);
    QCOMPARE(m_idp->tokenRequests(), before); // refused locally, the code never left
    // The state is gone now, even with the right verifier.
    QCOMPARE(
        login(
            c, u"GoogleOAuth"_s,
            {{u"state"_s, flow.state}, {u"code"_s, flow.code}, {u"code_verifier"_s, flow.verifier}})
            .reply.status,
        400);
}

void TestWalletOAuth::redirectAllowList_data()
{
    QTest::addColumn<QString>("uri");
    QTest::addColumn<int>("status");
    QTest::newRow("exact") << kRedirect << 200;
    QTest::newRow("below") << kRedirect + u"/deeper?x=1"_s << 200;
    QTest::newRow("app scheme") << u"myapp://auth/done"_s << 200;
    QTest::newRow("other host") << u"https://evil.example/callback"_s << 400;
    QTest::newRow("host suffix") << u"https://app.example.evil.com/callback"_s << 400;
    QTest::newRow("user info") << u"https://app.example@evil.com/callback"_s << 400;
    QTest::newRow("sibling path") << u"https://app.example/callbackevil"_s << 400;
    QTest::newRow("dot segments") << u"https://app.example/callback/../admin"_s << 400;
    QTest::newRow("http downgrade") << u"http://app.example/callback"_s << 400;
    QTest::newRow("other port") << u"https://app.example:8443/callback"_s << 400;
    QTest::newRow("backslash") << u"https://app.example\\@evil.com/callback"_s << 400;
    QTest::newRow("javascript") << u"javascript:alert(1)"_s << 400;
    QTest::newRow("relative") << u"/callback"_s << 400;
}

void TestWalletOAuth::redirectAllowList()
{
    QFETCH(QString, uri);
    QFETCH(int, status);
    HttpClient c = m_server->client();
    const HttpReply init = c.postJson(
        "/oauth/init", {{u"provider"_s, u"google"_s},
                        {u"redirect_uri"_s, uri},
                        {u"state"_s, u"st-"_s + Random::urlToken(12)},
                        {u"code_challenge"_s, WalletSignIn::pkceChallenge(Random::urlToken(40))}});
    QCOMPARE(init.status, status);
    if (status == 400)
        QCOMPARE(init.json(), error(u"redirect_uri is not on the allow-list"_s));
}

void TestWalletOAuth::initValidation()
{
    HttpClient c = m_server->client();
    const QString challenge = WalletSignIn::pkceChallenge(Random::urlToken(40));
    auto init = [&](const QString &provider, const QString &state, const QString &ch) {
        return c.postJson("/oauth/init", {{u"provider"_s, provider},
                                          {u"redirect_uri"_s, kRedirect},
                                          {u"state"_s, state},
                                          {u"code_challenge"_s, ch}});
    };
    QCOMPARE(init(u"myspace"_s, u"state-abcdefgh"_s, challenge).json(),
             error(u"Invalid provider"_s));
    QCOMPARE(init(u"google"_s, u"dup-state-123"_s, challenge).status, 200);
    const HttpReply dup = init(u"google"_s, u"dup-state-123"_s, challenge);
    QCOMPARE(dup.status, 400);
    QCOMPARE(dup.json(), error(u"Duplicate state"_s));
    QCOMPARE(init(u"google"_s, u"short"_s, challenge).status, 400);
    QCOMPARE(init(u"google"_s, u"state-plain-challenge"_s, u"plain"_s).status, 400);
    QCOMPARE(c.postJson("/oauth/init", {{u"provider"_s, u"google"_s}}).status, 400);
}

void TestWalletOAuth::callbackErrors()
{
    HttpClient c = m_server->client();
    QCOMPARE(c.get("/oauth/callback?state=never-issued&code=x").status, 400);
    QCOMPARE(c.get("/oauth/callback?state=never-issued&code=x").json(), error(u"Invalid state"_s));
    QCOMPARE(c.get("/oauth/callback").status, 400);
    // The provider's refusal travels back to the client as wallet_oauth_error.
    const QString state = u"st-denied-"_s + Random::urlToken(8);
    QCOMPARE(c.postJson("/oauth/init",
                        {{u"provider"_s, u"google"_s},
                         {u"redirect_uri"_s, kRedirect},
                         {u"state"_s, state},
                         {u"code_challenge"_s, WalletSignIn::pkceChallenge(Random::urlToken(40))}})
                 .status,
             200);
    const HttpReply denied =
        c.get("/oauth/callback?state=" + state.toLatin1() + "&error=access_denied");
    QCOMPARE(denied.status, 302);
    QVERIFY(denied.header("location")
                .startsWith(kRedirect.toLatin1() + "?wallet_oauth_provider=google"));
    QVERIFY(denied.header("location").contains("wallet_oauth_error=access_denied"));
    // A state is called back once.
    QCOMPARE(c.get("/oauth/callback?state=" + state.toLatin1() + "&code=abc").status, 400);
}

void TestWalletOAuth::providerRefusesCode()
{
    HttpClient c = m_server->client();
    const Flow flow = authorize(u"google"_s);
    const Session s = login(c, u"GoogleOAuth"_s,
                            {{u"state"_s, flow.state},
                             {u"code"_s, u"forged-code"_s},
                             {u"code_verifier"_s, flow.verifier}});
    QCOMPARE(s.reply.status, 401);
    QVERIFY(s.reply.json().value(u"error"_s).toString().contains(u"invalid_grant"_s));
}

void TestWalletOAuth::providerUnreachable()
{
    HttpClient c = m_server->client();
    const QString verifier = Random::urlToken(40);
    const QString state = u"st-down-"_s + Random::urlToken(8);
    QCOMPARE(
        c.postJson("/oauth/init", {{u"provider"_s, u"down"_s},
                                   {u"redirect_uri"_s, kRedirect},
                                   {u"state"_s, state},
                                   {u"code_challenge"_s, WalletSignIn::pkceChallenge(verifier)}})
            .status,
        200);
    QCOMPARE(c.get("/oauth/callback?state=" + state.toLatin1() + "&code=abc").status, 302);
    const Session s =
        login(c, u"DownOAuth"_s,
              {{u"state"_s, state}, {u"code"_s, u"abc"_s}, {u"code_verifier"_s, verifier}});
    QCOMPARE(s.reply.status, 500);
    QVERIFY(s.reply.json()
                .value(u"error"_s)
                .toString()
                .startsWith(u"Cannot reach the down token endpoint"_s));
}

void TestWalletOAuth::plainOAuthUsesUserinfo()
{
    m_idp->setSubject(u"twitter-42"_s, QString());
    m_idp->setIdTokens(false);
    HttpClient c = m_server->client();
    const Flow flow = authorize(u"twitter"_s);
    const Session s = login(
        c, u"TwitterOAuth"_s,
        {{u"state"_s, flow.state}, {u"code"_s, flow.code}, {u"code_verifier"_s, flow.verifier}});
    m_idp->setIdTokens(true);
    QCOMPARE(s.reply.status, 200);
    QCOMPARE(s.reply.json().value(u"social_links"_s).toArray(),
             (QJsonArray{QJsonObject{{u"Twitter"_s, u"Test Person"_s}}}));
}

void TestWalletOAuth::telegramOAuth()
{
    m_idp->setSubject(u"tg-oidc-1"_s, u"tg@example.com"_s);
    HttpClient c = m_server->client();
    const Flow flow = authorize(u"telegram"_s);
    const Session s = login(
        c, u"TelegramOAuth"_s,
        {{u"state"_s, flow.state}, {u"code"_s, flow.code}, {u"code_verifier"_s, flow.verifier}});
    QCOMPARE(s.reply.status, 200);
    QCOMPARE(s.reply.json().value(u"social_links"_s).toArray().size(), 1);
}

QByteArray TestWalletOAuth::appleToken(const JwsSigner &key, const QJsonObject &overrides)
{
    const qint64 now = m_server->clock().nowSecs();
    QJsonObject claims{
        {u"iss"_s, kAppleIss},         {u"aud"_s, kAppleAud},
        {u"sub"_s, u"001234.apple"_s}, {u"iat"_s, now},
        {u"exp"_s, now + 600},         {u"email"_s, u"a@privaterelay.appleid.com"_s}};
    for (auto it = overrides.begin(); it != overrides.end(); ++it)
        claims.insert(it.key(), it.value());
    return key.sign(claims);
}

void TestWalletOAuth::appleLogin_data()
{
    QTest::addColumn<bool>("rsa");
    QTest::newRow("RS256") << true;
    QTest::newRow("ES256") << false;
}

void TestWalletOAuth::appleLogin()
{
    QFETCH(bool, rsa);
    HttpClient c = m_server->client();
    const QByteArray token = appleToken(rsa ? m_idp->rsa() : m_idp->ec());
    const Session s =
        login(c, u"Apple"_s,
              {{u"id"_s, u"001234.apple"_s}, {u"identity_token"_s, QString::fromLatin1(token)}});
    QCOMPARE(s.reply.status, 200);
    QCOMPARE(s.reply.json().value(u"social_links"_s).toArray(),
             (QJsonArray{QJsonObject{{u"Apple"_s, u"a@privaterelay.appleid.com"_s}}}));
}

void TestWalletOAuth::appleForgeries()
{
    HttpClient c = m_server->client();
    auto attempt = [&](const QByteArray &token, const QString &id = u"001234.apple"_s) {
        return login(c, u"Apple"_s,
                     {{u"id"_s, id}, {u"identity_token"_s, QString::fromLatin1(token)}})
            .reply;
    };
    const JwsSigner &key = m_idp->rsa();
    QCOMPARE(attempt(appleToken(key, {{u"aud"_s, u"com.other.app"_s}})).status, 401);
    QCOMPARE(attempt(appleToken(key, {{u"iss"_s, u"https://evil.example"_s}})).status, 401);
    QCOMPARE(attempt(appleToken(key, {{u"exp"_s, m_server->clock().nowSecs() - 120}})).status, 401);
    QCOMPARE(attempt(appleToken(key), u"someone-else"_s).status, 401);
    const JwsSigner stranger = JwsSigner::generate(JwsSigner::Algorithm::RS256, u"rsa-1"_s);
    QCOMPARE(attempt(appleToken(stranger)).status, 401);
    // alg: none, with and without a signature part.
    const QList<QByteArray> parts = appleToken(key).split('.');
    const QByteArray none =
        QByteArray(R"({"alg":"none","kid":"rsa-1"})")
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    const HttpReply algNone = attempt(none + '.' + parts[1] + '.');
    QCOMPARE(algNone.status, 401);
    QVERIFY(algNone.json().value(u"error"_s).toString().contains(u"unsupported algorithm"_s));
    QCOMPARE(attempt(none + '.' + parts[1] + '.' + parts[2]).status, 401);
    QCOMPARE(attempt("not-a-jwt").status, 401);
}

QTEST_GUILESS_MAIN(TestWalletOAuth)
#include "tst_walletoauth.moc"
