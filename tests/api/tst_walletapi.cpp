// SPDX-License-Identifier: GPL-3.0-or-later
// The wallet surface (seed 001) over HTTP, part one: sessions, logout and bind,
// email/phone codes, embedded wallets, and Telegram Login Widget data. Wallet
// challenges: tst_walletchallenges.cpp; OAuth and Apple: tst_walletoauth.cpp.
#include "crypto/base58.h"
#include "crypto/digest.h"
#include "crypto/ed25519.h"
#include "crypto/ethaddress.h"
#include "crypto/secp256k1.h"
#include "services.h"
#include "testserver.h"
#include "walletapitesting.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;

class TestWalletApi : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { m_server = std::make_unique<TestServer>(); }
    void cleanup() { m_server.reset(); }

    void sessionNeedsLogin();
    void emailLoginCreatesUserWithEmbeddedWallets();
    void embeddedKeysAreSealed();
    void logoutEndsSession();
    void secureCookieBehindTls();
    void sendVerificationCooldown();
    void codeAttemptsAndExpiry();
    void phoneLogin();
    void telegramLogin();
    void bindLinksAndRefusesOthers();

private:
    HttpClient client() { return m_server->client(); }
    WalletTesting::Session emailLogin(const QString &email);
    std::unique_ptr<TestServer> m_server;
};

using namespace WalletTesting;

WalletTesting::Session TestWalletApi::emailLogin(const QString &email)
{
    HttpClient c = client();
    const HttpReply sent = c.postJson("/send_verification", {{u"email"_s, email}});
    if (sent.status != 200)
        return {};
    const QString code = latestCode(m_server->services(), email.toLower());
    return login(c, u"Email"_s, {{u"email"_s, email}, {u"code"_s, code}});
}

void TestWalletApi::sessionNeedsLogin()
{
    HttpClient c = client();
    QCOMPARE(c.get("/session").status, 401);
    QCOMPARE(c.get("/session").json(), error(u"Not authenticated"_s));
    QCOMPARE(c.get("/session", {cookieHeader("forged-token")}).status, 401);
    QCOMPARE(c.postJson("/bind", {{u"type"_s, u"Email"_s}, {u"data"_s, QJsonObject{}}}).status,
             401);
    QCOMPARE(c.postJson("/login", {{u"type"_s, u"Nope"_s}, {u"data"_s, QJsonObject{}}}).status,
             400);
    QCOMPARE(c.postJson("/login", {{u"type"_s, u"Email"_s}}).status, 400); // no data
}

void TestWalletApi::emailLoginCreatesUserWithEmbeddedWallets()
{
    const Session s = emailLogin(u"Alice@Example.com"_s);
    QCOMPARE(s.reply.status, 200);
    const QJsonObject user = s.reply.json();
    QVERIFY(QUuid::fromString(user.value(u"id"_s).toString()).isNull() == false);
    QCOMPARE(user.value(u"social_links"_s).toArray(),
             (QJsonArray{QJsonObject{{u"Email"_s, u"alice@example.com"_s}}}));
    const QJsonArray wallets = user.value(u"wallets"_s).toArray();
    QCOMPARE(wallets.size(), 2);
    const QJsonObject sol = wallets[0].toObject();
    const QJsonObject eth = wallets[1].toObject();
    QCOMPARE(sol.value(u"network"_s).toString(), u"Solana"_s);
    QCOMPARE(sol.value(u"wallet_type"_s).toString(), u"Embedded"_s);
    QCOMPARE(Base58::decode(sol.value(u"address"_s).toString().toLatin1()).value_or("").size(), 32);
    QCOMPARE(eth.value(u"network"_s).toString(), u"Ethereum"_s);
    const QString ethAddress = eth.value(u"address"_s).toString();
    QCOMPARE(EthAddress::checksummed(ethAddress.toLower()), ethAddress);
    QVERIFY(!s.reply.body.contains("secret") && !s.reply.body.contains("private"));

    // The cookie: HttpOnly, SameSite=Lax, not Secure over plain HTTP.
    const QByteArray setCookie = s.reply.header("set-cookie");
    QVERIFY(setCookie.startsWith("wallet_session="));
    QVERIFY(setCookie.contains("HttpOnly"));
    QVERIFY(setCookie.contains("SameSite=Lax"));
    QVERIFY(!setCookie.contains("Secure"));

    // GET /session answers the same object; a second login is the same user.
    HttpClient c = client();
    QCOMPARE(c.get("/session", {cookieHeader(s.token)}).json(), user);
    m_server->clock().advanceSecs(61);
    const Session again = emailLogin(u"alice@example.com"_s);
    QCOMPARE(again.reply.json(), user);
}

void TestWalletApi::embeddedKeysAreSealed()
{
    const Session s = emailLogin(u"keys@example.com"_s);
    QCOMPARE(s.reply.status, 200);
    const QJsonArray wallets = s.reply.json().value(u"wallets"_s).toArray();
    WalletDirectory &directory = m_server->services().walletAuth.directory();
    const QJsonObject sol = wallets[0].toObject();
    const QJsonObject eth = wallets[1].toObject();
    const auto solSecret = directory.embeddedSecret(sol.value(u"id"_s).toString());
    const auto ethSecret = directory.embeddedSecret(eth.value(u"id"_s).toString());
    QVERIFY(solSecret && ethSecret);
    QCOMPARE(QString::fromLatin1(Base58::encode(Ed25519::fromSeed(*solSecret).publicKey)),
             sol.value(u"address"_s).toString());
    QCOMPARE(EthAddress::fromPublicKey(Secp256k1::fromSecret(*ethSecret).publicKey),
             eth.value(u"address"_s).toString());
    // What is stored is the sealed form only, and it is bound to its row.
    Sql q(*m_server->services().db, u"SELECT sealed_key FROM wallets WHERE id = :id"_s);
    q.bind(u":id"_s, eth.value(u"id"_s).toString()).exec();
    QVERIFY(q.next());
    const QByteArray sealed =
        QByteArray::fromBase64(q.value(u"sealed_key"_s).toString().toLatin1());
    QVERIFY(!sealed.contains(*ethSecret));
    QVERIFY(!q.value(u"sealed_key"_s).toString().contains(QString::fromLatin1(ethSecret->toHex())));
    QVERIFY(!directory.embeddedSecret(u"no-such-wallet"_s));
}

void TestWalletApi::logoutEndsSession()
{
    const Session s = emailLogin(u"bob@example.com"_s);
    HttpClient c = client();
    QCOMPARE(c.get("/session", {cookieHeader(s.token)}).status, 200);
    const HttpReply out = c.request("POST", "/logout", {}, {cookieHeader(s.token)});
    QCOMPARE(out.status, 200);
    QCOMPARE(out.body, QByteArray("\"Logged out successfully\""));
    QVERIFY(out.header("set-cookie").contains("Max-Age=0"));
    QCOMPARE(c.get("/session", {cookieHeader(s.token)}).status, 401);
    QCOMPARE(c.request("POST", "/logout").status, 200); // idempotent
}

void TestWalletApi::secureCookieBehindTls()
{
    HttpClient c = client();
    QCOMPARE(c.postJson("/send_verification", {{u"email"_s, u"tls@example.com"_s}}).status, 200);
    const QString code = latestCode(m_server->services(), u"tls@example.com"_s);
    const HttpReply reply = c.postJson(
        "/login",
        {{u"type"_s, u"Email"_s},
         {u"data"_s, QJsonObject{{u"email"_s, u"tls@example.com"_s}, {u"code"_s, code}}}},
        {{"X-Forwarded-Proto", "https"}});
    QCOMPARE(reply.status, 200);
    QVERIFY(reply.header("set-cookie").contains("; Secure"));
}

void TestWalletApi::sendVerificationCooldown()
{
    HttpClient c = client();
    const QJsonObject body{{u"email"_s, u"carol@example.com"_s}};
    const HttpReply first = c.postJson("/send_verification", body);
    QCOMPARE(first.status, 200);
    QCOMPARE(first.body, QByteArray("\"Verification code sent\""));
    const HttpReply again = c.postJson("/send_verification", body);
    QCOMPARE(again.status, 400);
    QCOMPARE(again.json(), error(u"rate limited"_s));
    m_server->clock().advanceSecs(61);
    QCOMPARE(c.postJson("/send_verification", body).status, 200);
    // The code goes out through the Outbox, and only its keyed hash is stored.
    const QString code = latestCode(m_server->services(), u"carol@example.com"_s);
    QCOMPARE(code.size(), 6);
    Sql q(*m_server->services().db, u"SELECT code_hash FROM wallet_codes"_s);
    q.exec();
    while (q.next())
        QVERIFY(!q.value(u"code_hash"_s).toString().contains(code));
    QCOMPARE(c.postJson("/send_verification", {{u"email"_s, u"not-an-email"_s}}).status, 400);
    QCOMPARE(c.postJson("/send_verification", QJsonObject{}).status, 400);
}

void TestWalletApi::codeAttemptsAndExpiry()
{
    HttpClient c = client();
    const QString email = u"dave@example.com"_s;
    QCOMPARE(c.postJson("/send_verification", {{u"email"_s, email}}).status, 200);
    const QString code = latestCode(m_server->services(), email);
    const QString wrong = code == u"000000" ? u"111111"_s : u"000000"_s;
    for (int i = 0; i < 5; ++i) {
        const Session s = login(c, u"Email"_s, {{u"email"_s, email}, {u"code"_s, wrong}});
        QCOMPARE(s.reply.status, 400);
    }
    const Session late = login(c, u"Email"_s, {{u"email"_s, email}, {u"code"_s, code}});
    QCOMPARE(late.reply.status, 400); // five wrong tries killed the code
    QCOMPARE(late.reply.json(), error(u"Too many attempts; request a new code"_s));

    m_server->clock().advanceSecs(61);
    QCOMPARE(c.postJson("/send_verification", {{u"email"_s, email}}).status, 200);
    const QString fresh = latestCode(m_server->services(), email);
    m_server->clock().advanceSecs(10 * 60 + 1);
    const Session expired = login(c, u"Email"_s, {{u"email"_s, email}, {u"code"_s, fresh}});
    QCOMPARE(expired.reply.json(), error(u"Verification code expired"_s));
    // A used code does not work twice.
    m_server->clock().advanceSecs(61);
    QCOMPARE(c.postJson("/send_verification", {{u"email"_s, email}}).status, 200);
    const QString once = latestCode(m_server->services(), email);
    QCOMPARE(login(c, u"Email"_s, {{u"email"_s, email}, {u"code"_s, once}}).reply.status, 200);
    QCOMPARE(login(c, u"Email"_s, {{u"email"_s, email}, {u"code"_s, once}}).reply.status, 400);
}

void TestWalletApi::phoneLogin()
{
    HttpClient c = client();
    QCOMPARE(c.postJson("/send_verification", {{u"phone"_s, u"8612312341234"_s}}).status, 400);
    QCOMPARE(c.postJson("/send_verification", {{u"phone"_s, u"+8612312341234"_s}}).status, 200);
    const auto sms = m_server->services().outbox.list(1).value(0);
    QCOMPARE(sms.channel, u"sms"_s);
    QCOMPARE(sms.recipient, u"+8612312341234"_s);
    const QString code = latestCode(m_server->services(), u"+8612312341234"_s);
    const Session s = login(c, u"Phone"_s, {{u"phone"_s, u"+8612312341234"_s}, {u"code"_s, code}});
    QCOMPARE(s.reply.status, 200);
    QCOMPARE(s.reply.json().value(u"social_links"_s).toArray(),
             (QJsonArray{QJsonObject{{u"Phone"_s, u"+8612312341234"_s}}}));
}

void TestWalletApi::telegramLogin()
{
    HttpClient c = client();
    const qint64 now = m_server->clock().nowSecs();
    const QJsonObject data = telegramWidget(4242, now - 60, TestServer::kBotToken);
    const Session s = login(c, u"Telegram"_s, data);
    QCOMPARE(s.reply.status, 200);
    QCOMPARE(s.reply.json().value(u"social_links"_s).toArray(),
             (QJsonArray{QJsonObject{{u"Telegram"_s, u"ann"_s}}}));

    QJsonObject tampered = data;
    tampered.insert(u"id"_s, 4243);
    QCOMPARE(login(c, u"Telegram"_s, tampered).reply.status, 401);
    QJsonObject badHash = data;
    badHash.insert(u"hash"_s, QString(64, u'0'));
    QCOMPARE(login(c, u"Telegram"_s, badHash).reply.status, 401);
    const QJsonObject stale = telegramWidget(4242, now - 25 * 3600, TestServer::kBotToken);
    QCOMPARE(login(c, u"Telegram"_s, stale).reply.status, 401);
    const QJsonObject otherBot = telegramWidget(4242, now - 60, "999:other-bot");
    QCOMPARE(login(c, u"Telegram"_s, otherBot).reply.status, 401);
}

void TestWalletApi::bindLinksAndRefusesOthers()
{
    const Session alice = emailLogin(u"erin@example.com"_s);
    const Session bob = emailLogin(u"frank@example.com"_s);
    QCOMPARE(alice.reply.status, 200);
    HttpClient c = client();
    // Bind a Phantom wallet to Erin.
    const Ed25519::KeyPair key = Ed25519::generate();
    const QString address = QString::fromLatin1(Base58::encode(key.publicKey));
    const QString message = challenge(c, "phantom", address).value(u"challenge"_s).toString();
    const QJsonObject proof{{u"wallet_address"_s, address},
                            {u"challenge"_s, message},
                            {u"signature"_s, QString::fromLatin1(Base58::encode(
                                                 Ed25519::sign(key.seed, message.toUtf8())))}};
    const HttpReply bound = c.postJson("/bind", {{u"type"_s, u"Phantom"_s}, {u"data"_s, proof}},
                                       {cookieHeader(alice.token)});
    QCOMPARE(bound.status, 200);
    QCOMPARE(bound.json().value(u"id"_s), alice.reply.json().value(u"id"_s));
    QCOMPARE(bound.json().value(u"wallets"_s).toArray().size(), 3);
    // Logging in with that wallet now reaches Erin.
    const QString m2 = challenge(c, "phantom", address).value(u"challenge"_s).toString();
    const Session viaWallet =
        login(c, u"Phantom"_s,
              {{u"wallet_address"_s, address},
               {u"challenge"_s, m2},
               {u"signature"_s,
                QString::fromLatin1(Base58::encode(Ed25519::sign(key.seed, m2.toUtf8())))}});
    QCOMPARE(viaWallet.reply.json().value(u"id"_s), alice.reply.json().value(u"id"_s));

    // Frank's email cannot be bound to Erin: 409.
    m_server->clock().advanceSecs(61);
    QCOMPARE(c.postJson("/send_verification", {{u"email"_s, u"frank@example.com"_s}}).status, 200);
    const QString code = latestCode(m_server->services(), u"frank@example.com"_s);
    const HttpReply conflict = c.postJson(
        "/bind",
        {{u"type"_s, u"Email"_s},
         {u"data"_s, QJsonObject{{u"email"_s, u"frank@example.com"_s}, {u"code"_s, code}}}},
        {cookieHeader(alice.token)});
    QCOMPARE(conflict.status, 409);
    QCOMPARE(c.get("/session", {cookieHeader(bob.token)}).json(), bob.reply.json());
    // A Telegram account binds and shows up in social_links.
    const HttpReply tg = c.postJson(
        "/bind",
        {{u"type"_s, u"Telegram"_s},
         {u"data"_s, telegramWidget(777, m_server->clock().nowSecs(), TestServer::kBotToken)}},
        {cookieHeader(alice.token)});
    QCOMPARE(tg.status, 200);
    QCOMPARE(tg.json().value(u"social_links"_s).toArray().size(), 2);
}

QTEST_GUILESS_MAIN(TestWalletApi)
#include "tst_walletapi.moc"
