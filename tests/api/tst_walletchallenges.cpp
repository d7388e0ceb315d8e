// SPDX-License-Identifier: GPL-3.0-or-later
// The wallet surface (seed 001) over HTTP, part two: GET /challenge and the wallet
// logins, Phantom/OKX (ed25519 over a Solana sign-in message, base58 or base64
// signatures) and MetaMask/Rabby/Coinbase (EIP-191 personal_sign over an EIP-4361
// message, checked by public-key recovery): success, forgeries, replay and expiry.
#include "crypto/base58.h"
#include "crypto/digest.h"
#include "crypto/ed25519.h"
#include "crypto/ethaddress.h"
#include "crypto/secp256k1.h"
#include "services.h"
#include "testserver.h"
#include "walletapitesting.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;

using namespace WalletTesting;

class TestWalletChallenges : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { m_server = std::make_unique<TestServer>(); }
    void cleanup() { m_server.reset(); }

    void phantomLogin();
    void phantomForgeries();
    void challengeExpires();
    void metamaskLogin();
    void evmForgeries();
    void challengeValidation();

private:
    HttpClient client() { return m_server->client(); }
    std::unique_ptr<TestServer> m_server;
};

void TestWalletChallenges::phantomLogin()
{
    HttpClient c = client();
    const Ed25519::KeyPair key = Ed25519::generate();
    const QString address = QString::fromLatin1(Base58::encode(key.publicKey));
    const QJsonObject ch = challenge(c, "phantom", address);
    QCOMPARE(ch.value(u"nonce"_s).toString().size(), 32);
    const QString message = ch.value(u"challenge"_s).toString();
    QVERIFY(message.contains(u" wants you to sign in with your Solana account:\n"_s + address));
    QVERIFY(message.contains(u"Nonce: "_s + ch.value(u"nonce"_s).toString()));
    QCOMPARE(qint64(ch.value(u"expires_at"_s).toDouble()), m_server->clock().nowSecs() + 300);
    const QByteArray sig = Ed25519::sign(key.seed, message.toUtf8());
    const Session s = login(c, u"Phantom"_s,
                            {{u"wallet_address"_s, address},
                             {u"challenge"_s, message},
                             {u"signature"_s, QString::fromLatin1(Base58::encode(sig))}});
    QCOMPARE(s.reply.status, 200);
    const QJsonArray wallets = s.reply.json().value(u"wallets"_s).toArray();
    QCOMPARE(wallets.size(), 3);
    QCOMPARE(wallets[2].toObject().value(u"address"_s).toString(), address);
    QCOMPARE(wallets[2].toObject().value(u"wallet_type"_s).toString(), u"Phantom"_s);
    QCOMPARE(wallets[2].toObject().value(u"network"_s).toString(), u"Solana"_s);

    // Replay: the nonce is single-use.
    const Session replay = login(c, u"Phantom"_s,
                                 {{u"wallet_address"_s, address},
                                  {u"challenge"_s, message},
                                  {u"signature"_s, QString::fromLatin1(Base58::encode(sig))}});
    QCOMPARE(replay.reply.status, 401);
    QCOMPARE(replay.reply.json(), error(u"Challenge already used"_s));

    // OKX with a base64 signature reaches the same user.
    const QJsonObject ch2 = challenge(c, "okx", address);
    const QString message2 = ch2.value(u"challenge"_s).toString();
    const Session okx =
        login(c, u"Okx"_s,
              {{u"wallet_address"_s, address},
               {u"challenge"_s, message2},
               {u"signature"_s,
                QString::fromLatin1(Ed25519::sign(key.seed, message2.toUtf8()).toBase64())}});
    QCOMPARE(okx.reply.status, 200);
    QCOMPARE(okx.reply.json().value(u"id"_s), s.reply.json().value(u"id"_s));
}

void TestWalletChallenges::phantomForgeries()
{
    HttpClient c = client();
    const Ed25519::KeyPair key = Ed25519::generate();
    const Ed25519::KeyPair attacker = Ed25519::generate();
    const QString address = QString::fromLatin1(Base58::encode(key.publicKey));
    const QString message = challenge(c, "phantom", address).value(u"challenge"_s).toString();
    auto attempt = [&](const QString &addr, const QString &msg, const QByteArray &sig) {
        return login(c, u"Phantom"_s,
                     {{u"wallet_address"_s, addr},
                      {u"challenge"_s, msg},
                      {u"signature"_s, QString::fromLatin1(Base58::encode(sig))}})
            .reply;
    };
    QCOMPARE(attempt(address, message, Ed25519::sign(attacker.seed, message.toUtf8())).status, 401);
    const QString other = QString::fromLatin1(Base58::encode(attacker.publicKey));
    QCOMPARE(attempt(other, message, Ed25519::sign(attacker.seed, message.toUtf8())).status, 401);
    QString edited = message;
    edited.replace(u"Version: 1"_s, u"Version: 2"_s);
    QCOMPARE(attempt(address, edited, Ed25519::sign(key.seed, edited.toUtf8())).status, 401);
    QCOMPARE(attempt(u"0OIl"_s, message, {}).status, 400);
    // The refusals did not burn the nonce: the owner can still sign in.
    QCOMPARE(attempt(address, message, Ed25519::sign(key.seed, message.toUtf8())).status, 200);
}

void TestWalletChallenges::challengeExpires()
{
    HttpClient c = client();
    const Ed25519::KeyPair key = Ed25519::generate();
    const QString address = QString::fromLatin1(Base58::encode(key.publicKey));
    const QString message = challenge(c, "phantom", address).value(u"challenge"_s).toString();
    m_server->clock().advanceSecs(5 * 60 + 1);
    const Session s =
        login(c, u"Phantom"_s,
              {{u"wallet_address"_s, address},
               {u"challenge"_s, message},
               {u"signature"_s,
                QString::fromLatin1(Base58::encode(Ed25519::sign(key.seed, message.toUtf8())))}});
    QCOMPARE(s.reply.status, 401);
    QCOMPARE(s.reply.json(), error(u"Challenge expired"_s));
}

void TestWalletChallenges::metamaskLogin()
{
    HttpClient c = client();
    const Secp256k1::KeyPair key = Secp256k1::generate();
    const QString address = EthAddress::fromPublicKey(key.publicKey);
    const QJsonObject ch = challenge(c, "metamask", address.toLower());
    const QString message = ch.value(u"challenge"_s).toString();
    QVERIFY(message.contains(u" wants you to sign in with your Ethereum account:\n"_s + address +
                             u"\n"_s)); // EIP-55 form in the message
    QVERIFY(message.contains(u"\nChain ID: 1\n"_s));
    QVERIFY(message.contains(u"\nVersion: 1\n"_s));
    const QByteArray sig = EthAddress::signPersonal(key.secret, message.toUtf8());
    const Session s = login(c, u"Metamask"_s,
                            {{u"wallet_address"_s, address.toLower()},
                             {u"challenge"_s, message},
                             {u"signature"_s, u"0x"_s + QString::fromLatin1(sig.toHex())}});
    QCOMPARE(s.reply.status, 200);
    const QJsonObject wallet = s.reply.json().value(u"wallets"_s).toArray()[2].toObject();
    QCOMPARE(wallet.value(u"address"_s).toString(), address);
    QCOMPARE(wallet.value(u"wallet_type"_s).toString(), u"Metamask"_s);
    QCOMPARE(wallet.value(u"network"_s).toString(), u"Ethereum"_s);

    // Rabby and Coinbase use the same proof; v = 0/1 is accepted too.
    for (const char *method : {"rabby", "coinbase"}) {
        const QString m = challenge(c, method, address).value(u"challenge"_s).toString();
        QByteArray raw = EthAddress::signPersonal(key.secret, m.toUtf8());
        raw[64] = char(raw[64] - 27);
        const QString type =
            QString::fromLatin1(method).left(1).toUpper() + QString::fromLatin1(method).mid(1);
        const Session again = login(c, type,
                                    {{u"wallet_address"_s, address},
                                     {u"challenge"_s, m},
                                     {u"signature"_s, QString::fromLatin1(raw.toHex())}});
        QCOMPARE(again.reply.status, 200);
        QCOMPARE(again.reply.json().value(u"id"_s), s.reply.json().value(u"id"_s));
    }
}

void TestWalletChallenges::evmForgeries()
{
    HttpClient c = client();
    const Secp256k1::KeyPair key = Secp256k1::generate();
    const Secp256k1::KeyPair attacker = Secp256k1::generate();
    const QString address = EthAddress::fromPublicKey(key.publicKey);
    const QString message = challenge(c, "metamask", address).value(u"challenge"_s).toString();
    auto attempt = [&](const QString &msg, const QByteArray &sig) {
        return login(c, u"Metamask"_s,
                     {{u"wallet_address"_s, address},
                      {u"challenge"_s, msg},
                      {u"signature"_s, QString::fromLatin1(sig.toHex())}})
            .reply;
    };
    QCOMPARE(attempt(message, EthAddress::signPersonal(attacker.secret, message.toUtf8())).status,
             401);
    QCOMPARE(
        attempt(message, Secp256k1::signRecoverable(key.secret, Digest::sha256(message.toUtf8())))
            .status,
        401); // a raw hash signature is not personal_sign
    QCOMPARE(attempt(message, QByteArray(10, 'x')).status, 400);
    // A Solana login cannot use an EVM challenge.
    const Session cross = login(c, u"Phantom"_s,
                                {{u"wallet_address"_s, u"11111111111111111111111111111111"_s},
                                 {u"challenge"_s, message},
                                 {u"signature"_s, u"x"_s}});
    QCOMPARE(cross.reply.status, 401);
    const HttpReply ok = attempt(message, EthAddress::signPersonal(key.secret, message.toUtf8()));
    QCOMPARE(ok.status, 200);
    QCOMPARE(attempt(message, EthAddress::signPersonal(key.secret, message.toUtf8())).status, 401);
}

void TestWalletChallenges::challengeValidation()
{
    HttpClient c = client();
    QCOMPARE(
        c.get("/challenge?method=phantom&id=0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed").status,
        400);
    QCOMPARE(c.get("/challenge?method=metamask&id=11111111111111111111111111111111").status, 400);
    QCOMPARE(
        c.get("/challenge?method=metamask&id=0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD").status,
        400); // wrong EIP-55 checksum
    QCOMPARE(c.get("/challenge?method=trezor&id=0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed").status,
             400);
    QCOMPARE(c.get("/challenge?method=phantom").status, 400);
    QCOMPARE(c.get("/challenge").json(), error(u"Invalid params"_s));
}

QTEST_GUILESS_MAIN(TestWalletChallenges)
#include "tst_walletchallenges.moc"
