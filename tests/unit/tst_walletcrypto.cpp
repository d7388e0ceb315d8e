// SPDX-License-Identifier: GPL-3.0-or-later
// Known answers for the wallet surface's crypto: RFC 8032 Ed25519, Keccak-256,
// EIP-55, secp256k1 addresses, EIP-191 personal_sign (web3.js docs and ethers.js),
// Base58, AES-256-GCM sealing, RS256/ES256 JWS checks, and the SIWE message layout.
#include "crypto/aead.h"
#include "crypto/base58.h"
#include "crypto/ed25519.h"
#include "crypto/ethaddress.h"
#include "crypto/jws.h"
#include "crypto/keccak.h"
#include "crypto/secp256k1.h"
#include "identity/walletchallenges.h"
#include "identity/walletsignin.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
QByteArray hex(const char *text)
{
    return QByteArray::fromHex(QByteArray(text));
}
constexpr auto kB64Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
} // namespace

class TestWalletCrypto : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void ed25519Rfc8032_data();
    void ed25519Rfc8032();
    void ed25519RejectsForgeries();
    void keccak256_data();
    void keccak256();
    void eip55_data();
    void eip55();
    void addressValidation();
    void secp256k1Addresses();
    void personalSignWeb3Docs();
    void personalSignEthers();
    void personalSignForgeries();
    void base58_data();
    void base58();
    void base58RoundTrips();
    void aeadSeal();
    void jwsVerify();
    void jwsRefusals();
    void siweMessage();
    void pkce();
};

// RFC 8032 section 7.1, TEST 1-3: secret key, public key, message, signature.
void TestWalletCrypto::ed25519Rfc8032_data()
{
    QTest::addColumn<QByteArray>("seed");
    QTest::addColumn<QByteArray>("publicKey");
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QByteArray>("signature");
    QTest::newRow("TEST 1")
        << hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
        << hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a") << QByteArray()
        << hex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc"
               "61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    QTest::newRow("TEST 2")
        << hex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb")
        << hex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c") << hex("72")
        << hex("92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e4"
               "58f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
    QTest::newRow("TEST 3")
        << hex("c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7")
        << hex("fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025") << hex("af82")
        << hex("6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290a"
               "e67f760984dc6594a7c15e9716ed28dc027beceea1ec40a");
}

void TestWalletCrypto::ed25519Rfc8032()
{
    QFETCH(QByteArray, seed);
    QFETCH(QByteArray, publicKey);
    QFETCH(QByteArray, message);
    QFETCH(QByteArray, signature);
    QCOMPARE(Ed25519::fromSeed(seed).publicKey.toHex(), publicKey.toHex());
    QCOMPARE(Ed25519::sign(seed, message).toHex(), signature.toHex());
    QVERIFY(Ed25519::verify(publicKey, message, signature));
}

void TestWalletCrypto::ed25519RejectsForgeries()
{
    const Ed25519::KeyPair pair = Ed25519::generate();
    const Ed25519::KeyPair other = Ed25519::generate();
    QCOMPARE(pair.publicKey.size(), 32);
    const QByteArray message = "sign in";
    QByteArray signature = Ed25519::sign(pair.seed, message);
    QVERIFY(Ed25519::verify(pair.publicKey, message, signature));
    QVERIFY(!Ed25519::verify(other.publicKey, message, signature)); // wrong key
    QVERIFY(!Ed25519::verify(pair.publicKey, "sign in!", signature));
    signature[10] = char(signature[10] ^ 1);
    QVERIFY(!Ed25519::verify(pair.publicKey, message, signature));
    QVERIFY(!Ed25519::verify(pair.publicKey, message, signature.left(63)));
    QVERIFY(Ed25519::sign(QByteArray(31, 'x'), message).isEmpty());
}

void TestWalletCrypto::keccak256_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("digest");
    QTest::newRow("empty")
        << QByteArray()
        << QByteArray("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    QTest::newRow("abc") << QByteArray("abc")
                         << QByteArray(
                                "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
    QTest::newRow("fox") << QByteArray("The quick brown fox jumps over the lazy dog")
                         << QByteArray(
                                "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15");
    // Around the 136-byte rate and over several blocks ("abc…z" repeated; digests from
    // Crypto++'s Keccak_256 and cross-checked with @noble/hashes' keccak_256).
    const QList<std::pair<int, const char *>> long_ = {
        {135, "8d237f5df8929398beb5240705b61f6c35b8e03a02fa7d691701f356facafb16"},
        {136, "b98753581a7e73d753e1863f91847255c9a0dc6d4f751cbe191e70ce272a3565"},
        {137, "e7eedf0c2b2ad46aef681626370d6d7e0f0521d8e54d873c6c7895adb3ff7986"},
        {272, "2b0ea46cfb00cf48974dc4c219cd38840fe4ad17c810042b2124466850180160"},
        {1000, "15568cea6efcbb97df8b010291fca66d23b1986e4c8d782acd5f4d8ed60112e0"}};
    for (const auto &[length, digest] : long_) {
        QByteArray input;
        for (int i = 0; i < length; ++i)
            input += char('a' + i % 26);
        QTest::addRow("%d bytes", length) << input << QByteArray(digest);
    }
}

void TestWalletCrypto::keccak256()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, digest);
    QCOMPARE(Keccak::keccak256(input).toHex(), digest);
}

// The test cases listed in EIP-55 itself.
void TestWalletCrypto::eip55_data()
{
    QTest::addColumn<QString>("address");
    for (const char *a : {"0x52908400098527886E0F7030069857D2E4169EE7",
                          "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
                          "0xde709f2102306220921060314715629080e2fb77",
                          "0x27b1fdb04752bbc536007a920d24acb045561c26",
                          "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
                          "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
                          "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
                          "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"})
        QTest::newRow(a) << QString::fromLatin1(a);
}

void TestWalletCrypto::eip55()
{
    QFETCH(QString, address);
    QCOMPARE(EthAddress::checksummed(u"0x"_s + address.mid(2).toLower()), address);
    QCOMPARE(EthAddress::checksummed(u"0x"_s + address.mid(2).toUpper()), address);
    QVERIFY(EthAddress::isValid(address));
}

void TestWalletCrypto::addressValidation()
{
    QVERIFY(EthAddress::isValid(u"0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"_s));
    QVERIFY(EthAddress::isValid(u"0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED"_s));
    QVERIFY(!EthAddress::isValid(u"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"_s)); // bad checksum
    QVERIFY(!EthAddress::isValid(u"0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea"_s));
    QVERIFY(!EthAddress::isValid(u"5aaeb6053f3e94c9b9a09f33669435e7ef1beaed00"_s));
    QVERIFY(!EthAddress::isValid(u"0xgaaeb6053f3e94c9b9a09f33669435e7ef1beaed"_s));
    QVERIFY(WalletSignIn::isSolanaAddress(u"11111111111111111111111111111111"_s));
    QVERIFY(!WalletSignIn::isSolanaAddress(u"0OIl1111111111111111111111111111"_s));
    QVERIFY(!WalletSignIn::isSolanaAddress(u"2NEpo7TZRRrLZSi2U"_s));
}

void TestWalletCrypto::secp256k1Addresses()
{
    QByteArray one(32, 0);
    one[31] = 1;
    QCOMPARE(EthAddress::fromPublicKey(Secp256k1::fromSecret(one).publicKey),
             u"0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf"_s);
    const auto docKey = Secp256k1::fromSecret(
        hex("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"));
    QCOMPARE(EthAddress::fromPublicKey(docKey.publicKey),
             u"0x2c7536E3605D9C16a7a3D7b1898e529396a65c23"_s);
    QVERIFY(Secp256k1::fromSecret(QByteArray(32, 0)).publicKey.isEmpty()); // zero is no key
    const auto fresh = Secp256k1::generate();
    QCOMPARE(fresh.publicKey.size(), 65);
    QCOMPARE(fresh.publicKey[0], char(0x04));
}

// web3.js documentation, web3.eth.accounts.sign('Some data', '0x4c0883…362318').
void TestWalletCrypto::personalSignWeb3Docs()
{
    const QByteArray key = hex("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
    const QByteArray expected =
        "b91467e570a6466aa9e9876cbcd013baba02900b8979d43fe208a4a4f339f5fd6007e74cd82e037b800186422"
        "fc2da167c747ef045e5d18a5f5d4300f8e1a0291c";
    QCOMPARE(EthAddress::personalMessageHash("Some data").toHex(),
             QByteArray("1da44b586eb0729ff70a73c326926f6ed5a25f5b056e7f47fbc6e58d86871655"));
    QCOMPARE(EthAddress::signPersonal(key, "Some data").toHex(), expected); // RFC 6979
    const auto signer = EthAddress::recoverPersonal("Some data", QByteArray::fromHex(expected));
    QVERIFY(signer);
    QCOMPARE(*signer, u"0x2c7536E3605D9C16a7a3D7b1898e529396a65c23"_s);
}

// Made once with ethers 6.17.0 (tests/e2e: Wallet(key).signMessage("Hello World")) and
// committed; hashMessage("Hello World") is the value ethers documents.
void TestWalletCrypto::personalSignEthers()
{
    QCOMPARE(EthAddress::personalMessageHash("Hello World").toHex(),
             QByteArray("a1de988600a42c4b4ab089b619297c17d53cffae5d5120d82d8a92d0bb3b78f2"));
    const auto raw = EthAddress::parseSignatureHex(
        u"0xe6bfbd768a421b9051fe86310f0f1eef9d5df65288b53f54d663f887a5b4bcd632efb64ccc67d724554517"
        u"5953e811bc237fd83ab8722d8be0a66e92ec39da811c"_s);
    QVERIFY(raw);
    QCOMPARE(EthAddress::recoverPersonal("Hello World", *raw).value_or(QString()),
             u"0xFCAd0B19bB29D4674531d6f115237E16AfCE377c"_s);
    const QByteArray key = hex("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    QCOMPARE(EthAddress::signPersonal(key, "Hello World"), *raw);
    // v as 0/1 instead of 27/28 recovers the same signer.
    QByteArray lowV = *raw;
    lowV[64] = char(lowV[64] - 27);
    QCOMPARE(EthAddress::recoverPersonal("Hello World", lowV).value_or(QString()),
             u"0xFCAd0B19bB29D4674531d6f115237E16AfCE377c"_s);
}

void TestWalletCrypto::personalSignForgeries()
{
    const QByteArray key = hex("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    const QString signer = u"0xFCAd0B19bB29D4674531d6f115237E16AfCE377c"_s;
    QByteArray sig = EthAddress::signPersonal(key, "Hello World");
    QVERIFY(EthAddress::recoverPersonal("Hello World!", sig).value_or(QString()) != signer);
    QByteArray flipped = sig;
    flipped[64] = char(flipped[64] == 27 ? 28 : 27);
    QVERIFY(EthAddress::recoverPersonal("Hello World", flipped).value_or(QString()) != signer);
    QByteArray badV = sig;
    badV[64] = 29;
    QVERIFY(!EthAddress::recoverPersonal("Hello World", badV));
    QVERIFY(!EthAddress::recoverPersonal("Hello World", sig.left(64)));
    QVERIFY(!EthAddress::recoverPersonal("Hello World", QByteArray(65, 0)));
    QVERIFY(!EthAddress::parseSignatureHex(u"0x1234"_s));
}

void TestWalletCrypto::base58_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QByteArray>("encoded");
    QTest::newRow("empty") << QByteArray() << QByteArray();
    QTest::newRow("Hello World!") << QByteArray("Hello World!") << QByteArray("2NEpo7TZRRrLZSi2U");
    QTest::newRow("leading zeros") << hex("0000287fb4cd") << QByteArray("11233QC4");
    QTest::newRow("system program")
        << QByteArray(32, 0) << QByteArray("11111111111111111111111111111111");
}

void TestWalletCrypto::base58()
{
    QFETCH(QByteArray, raw);
    QFETCH(QByteArray, encoded);
    QCOMPARE(Base58::encode(raw), encoded);
    QCOMPARE(Base58::decode(encoded).value_or("?"), raw);
}

void TestWalletCrypto::base58RoundTrips()
{
    for (int i = 0; i < 64; ++i) {
        const QByteArray raw = QByteArray(i % 3, 0) + Ed25519::generate().publicKey.left(i % 33);
        QCOMPARE(Base58::decode(Base58::encode(raw)).value_or("?"), raw);
    }
    QVERIFY(!Base58::decode("0OIl"));
}

void TestWalletCrypto::aeadSeal()
{
    const QByteArray key(32, 'k');
    const QByteArray secret = Ed25519::generate().seed;
    const QByteArray sealed = Aead::seal(key, secret, "wallet-1");
    QCOMPARE(sealed.size(), 1 + 12 + 32 + 16);
    QVERIFY(!sealed.contains(secret));
    QCOMPARE(Aead::open(key, sealed, "wallet-1").value_or("?"), secret);
    QVERIFY(Aead::seal(key, secret, "wallet-1") != sealed); // fresh nonce each time
    QVERIFY(!Aead::open(QByteArray(32, 'x'), sealed, "wallet-1"));
    QVERIFY(!Aead::open(key, sealed, "wallet-2"));
    for (int i : {0, 5, 20, int(sealed.size()) - 1}) {
        QByteArray tampered = sealed;
        tampered[i] = char(tampered[i] ^ 0x40);
        QVERIFY(!Aead::open(key, tampered, "wallet-1"));
    }
    QVERIFY(Aead::seal(QByteArray(16, 'k'), secret, {}).isEmpty());
}

void TestWalletCrypto::jwsVerify()
{
    for (auto alg : {JwsSigner::Algorithm::RS256, JwsSigner::Algorithm::ES256}) {
        const JwsSigner signer = JwsSigner::generate(alg, u"k1"_s);
        const QJsonObject jwks{{u"keys"_s, QJsonArray{signer.publicJwk()}}};
        const QByteArray token = signer.sign({{u"sub"_s, u"user-1"_s}});
        QCOMPARE(Jws::keyId(token), u"k1"_s);
        const auto verified = Jws::verify(token, jwks);
        QVERIFY2(verified, qPrintable(verified.error()));
        QCOMPARE(verified->payload.value(u"sub"_s).toString(), u"user-1"_s);
    }
}

void TestWalletCrypto::jwsRefusals()
{
    const JwsSigner rsa = JwsSigner::generate(JwsSigner::Algorithm::RS256, u"k1"_s);
    const JwsSigner ec = JwsSigner::generate(JwsSigner::Algorithm::ES256, u"k1"_s);
    const JwsSigner stranger = JwsSigner::generate(JwsSigner::Algorithm::RS256, u"k1"_s);
    const QJsonObject jwks{{u"keys"_s, QJsonArray{rsa.publicJwk()}}};
    const QByteArray good = rsa.sign({{u"sub"_s, u"a"_s}});
    const QList<QByteArray> parts = good.split('.');

    QVERIFY(!Jws::verify(stranger.sign({{u"sub"_s, u"a"_s}}), jwks)); // wrong key
    QVERIFY(!Jws::verify(ec.sign({{u"sub"_s, u"a"_s}}), jwks));       // ES256, no EC key
    const QByteArray otherPayload = QByteArray(R"({"sub":"b"})").toBase64(kB64Url);
    QVERIFY(!Jws::verify(parts[0] + '.' + otherPayload + '.' + parts[2], jwks)); // tampered
    const QByteArray none = QByteArray(R"({"alg":"none","kid":"k1"})").toBase64(kB64Url);
    QVERIFY(!Jws::verify(none + '.' + parts[1] + '.', jwks)); // alg: none
    QVERIFY(!Jws::verify(none + '.' + parts[1] + '.' + parts[2], jwks));
    const QByteArray hs = QByteArray(R"({"alg":"HS256","kid":"k1"})").toBase64(kB64Url);
    QVERIFY(!Jws::verify(hs + '.' + parts[1] + '.' + parts[2], jwks)); // alg confusion
    QVERIFY(!Jws::verify(rsa.sign({{u"sub"_s, u"a"_s}}, {{u"kid"_s, u"k2"_s}}), jwks));
    QVERIFY(!Jws::verify("a.b", jwks));
    QVERIFY(!Jws::verify(good + ".x", jwks));
    // An EC key listed under the RSA token's kid does not check it.
    const QJsonObject mixed{{u"keys"_s, QJsonArray{ec.publicJwk()}}};
    QVERIFY(!Jws::verify(good, mixed));
}

void TestWalletCrypto::siweMessage()
{
    const QString text = WalletChallenges::buildMessage(
        false, u"https://auth.example.com"_s, u"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"_s,
        u"32891756abcdef01"_s, 1751246079000, 1751246379000);
    QCOMPARE(text, u"auth.example.com wants you to sign in with your Ethereum account:\n"
                   u"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed\n\n"
                   u"Sign in to auth.example.com.\n\n"
                   u"URI: https://auth.example.com\n"
                   u"Version: 1\n"
                   u"Chain ID: 1\n"
                   u"Nonce: 32891756abcdef01\n"
                   u"Issued At: 2025-06-30T01:14:39.000Z\n"
                   u"Expiration Time: 2025-06-30T01:19:39.000Z"_s);
    const QString solana = WalletChallenges::buildMessage(
        true, u"http://127.0.0.1:3006"_s, u"11111111111111111111111111111111"_s, u"n"_s, 0, 1000);
    QVERIFY(
        solana.startsWith(u"127.0.0.1:3006 wants you to sign in with your Solana account:\n"_s));
    QVERIFY(solana.contains(u"\nChain ID: mainnet\n"_s));
}

// RFC 7636 appendix B.
void TestWalletCrypto::pkce()
{
    const QString verifier = u"dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"_s;
    QVERIFY(WalletSignIn::isPkceVerifier(verifier));
    QCOMPARE(WalletSignIn::pkceChallenge(verifier),
             u"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"_s);
    QVERIFY(!WalletSignIn::isPkceVerifier(u"short"_s));
    QVERIFY(!WalletSignIn::isPkceVerifier(verifier + u"+"_s));
}

QTEST_GUILESS_MAIN(TestWalletCrypto)
#include "tst_walletcrypto.moc"
