// SPDX-License-Identifier: GPL-3.0-or-later
// RS256/ES256 against published vectors, not only against our own signer: RFC 7515
// Appendix A.2 and A.3 and the RFC 7520 (JOSE cookbook) section 4 examples. Each valid
// vector must verify, each one-bit change must be refused as a bad signature, and the
// deterministic algorithms (RSASSA-PKCS1-v1_5, HMAC) must reproduce the published
// signature exactly from the published private key.
#include "crypto/base64url.h"
#include "crypto/digest.h"
#include "crypto/jws.h"
#include "jwsvectors.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace JwsVectors;

namespace {

QString s(const char *latin1)
{
    return QString::fromLatin1(latin1);
}

QByteArray join(const QByteArray &header, const QByteArray &payload, const QByteArray &signature)
{
    return header + '.' + payload + '.' + signature;
}

QJsonObject a2Key()
{
    return {{u"kty"_s, u"RSA"_s}, {u"n"_s, s(kA2N)},   {u"e"_s, s(kA2E)},
            {u"d"_s, s(kA2D)},    {u"p"_s, s(kA2P)},   {u"q"_s, s(kA2Q)},
            {u"dp"_s, s(kA2Dp)},  {u"dq"_s, s(kA2Dq)}, {u"qi"_s, s(kA2Qi)}};
}

QJsonObject a3Key()
{
    return {{u"kty"_s, u"EC"_s},
            {u"crv"_s, u"P-256"_s},
            {u"x"_s, s(kA3X)},
            {u"y"_s, s(kA3Y)},
            {u"d"_s, s(kA3D)}};
}

QJsonObject rfc7520RsaKey()
{
    return {{u"kty"_s, u"RSA"_s}, {u"kid"_s, s(k41Kid)}, {u"use"_s, u"sig"_s}, {u"n"_s, s(k41N)},
            {u"e"_s, s(k41E)},    {u"d"_s, s(k41D)},     {u"p"_s, s(k41P)},    {u"q"_s, s(k41Q)},
            {u"dp"_s, s(k41Dp)},  {u"dq"_s, s(k41Dq)},   {u"qi"_s, s(k41Qi)}};
}

// What a JWKS publishes: the key without its private fields.
QJsonObject jwksOf(QJsonObject jwk)
{
    for (const QString &secret : {u"d"_s, u"p"_s, u"q"_s, u"dp"_s, u"dq"_s, u"qi"_s})
        jwk.remove(secret);
    return {{u"keys"_s, QJsonArray{jwk}}};
}

// The token with one bit of its decoded signature flipped, spelled canonically, so a
// refusal can only come from the signature check.
QByteArray flipSignatureBit(const QByteArray &token, int bit)
{
    const qsizetype dot = token.lastIndexOf('.');
    QByteArray signature = *Base64Url::decode(token.sliced(dot + 1));
    signature[bit / 8] = char(signature[bit / 8] ^ (1 << (bit % 8)));
    return token.first(dot + 1) + Base64Url::encode(signature);
}

void expectBadSignature(const QByteArray &token, const QJsonObject &jwks)
{
    const auto result = Jws::verifyBytes(token, jwks);
    QVERIFY2(!result, token.constData());
    QCOMPARE(result.error(), u"bad signature"_s);
}

} // namespace

class TestJwsVectors : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rfc7515A2Verifies();
    void rfc7515A2SignsExactly();
    void rfc7515A3Verifies();
    void rfc7515A3OursVerifies();
    void oneBitFlips_data();
    void oneBitFlips();
    void rfc7520Section41();
    void rfc7520Section43();
    void rfc7520Section44();
};

void TestJwsVectors::rfc7515A2Verifies()
{
    const QByteArray token = join(kA2Header, kRfc7515Payload, kA2Signature);
    const auto verified = Jws::verify(token, jwksOf(a2Key()));
    QVERIFY2(verified, qPrintable(verified.error()));
    QCOMPARE(verified->header, QJsonObject({{u"alg"_s, u"RS256"_s}}));
    QCOMPARE(verified->payload.value(u"iss"_s).toString(), u"joe"_s);
    QCOMPARE(verified->payload.value(u"exp"_s).toInteger(), 1300819380);
    QCOMPARE(verified->payload.value(u"http://example.com/is_root"_s).toBool(), true);
}

void TestJwsVectors::rfc7515A2SignsExactly()
{
    const auto signer = JwsSigner::fromPrivateJwk(a2Key());
    QVERIFY(signer);
    QCOMPARE(signer->algorithm(), JwsSigner::Algorithm::RS256);
    const QByteArray input = QByteArray(kA2Header) + '.' + kRfc7515Payload;
    QCOMPARE(Base64Url::encode(signer->signInput(input)), QByteArray(kA2Signature));
    // The public half we would publish is the published one.
    const QJsonObject jwk = signer->publicJwk();
    QCOMPARE(jwk.value(u"n"_s).toString(), s(kA2N));
    QCOMPARE(jwk.value(u"e"_s).toString(), s(kA2E));
}

void TestJwsVectors::rfc7515A3Verifies()
{
    const QByteArray token = join(kA3Header, kRfc7515Payload, kA3Signature);
    const auto verified = Jws::verify(token, jwksOf(a3Key()));
    QVERIFY2(verified, qPrintable(verified.error()));
    QCOMPARE(verified->header, QJsonObject({{u"alg"_s, u"ES256"_s}}));
    QCOMPARE(verified->payload.value(u"iss"_s).toString(), u"joe"_s);
    // The A.2 RSA key does not check it (no EC key in that set).
    QVERIFY(!Jws::verify(token, jwksOf(a2Key())));
}

void TestJwsVectors::rfc7515A3OursVerifies()
{
    // ECDSA is randomised, so our signature differs from the RFC's; it must still verify
    // with the RFC's public key, which is what the private key we loaded belongs to.
    const auto signer = JwsSigner::fromPrivateJwk(a3Key());
    QVERIFY(signer);
    QCOMPARE(signer->algorithm(), JwsSigner::Algorithm::ES256);
    QCOMPARE(signer->publicJwk().value(u"x"_s).toString(), s(kA3X));
    QCOMPARE(signer->publicJwk().value(u"y"_s).toString(), s(kA3Y));
    const QByteArray input = QByteArray(kA3Header) + '.' + kRfc7515Payload;
    const QByteArray signature = signer->signInput(input);
    QCOMPARE(signature.size(), 64);
    const QByteArray ours = input + '.' + Base64Url::encode(signature);
    const auto verified = Jws::verify(ours, jwksOf(a3Key()));
    QVERIFY2(verified, qPrintable(verified.error()));
    expectBadSignature(flipSignatureBit(ours, 0), jwksOf(a3Key()));
}

void TestJwsVectors::oneBitFlips_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<QJsonObject>("jwks");
    QTest::addColumn<int>("bits");
    QTest::newRow("RFC 7515 A.2") << join(kA2Header, kRfc7515Payload, kA2Signature)
                                  << jwksOf(a2Key()) << 256 * 8;
    QTest::newRow("RFC 7515 A.3") << join(kA3Header, kRfc7515Payload, kA3Signature)
                                  << jwksOf(a3Key()) << 64 * 8;
    QTest::newRow("RFC 7520 4.1") << join(k41Header, k7520PayloadB64, k41Signature)
                                  << jwksOf(rfc7520RsaKey()) << 256 * 8;
}

void TestJwsVectors::oneBitFlips()
{
    QFETCH(QByteArray, token);
    QFETCH(QJsonObject, jwks);
    QFETCH(int, bits);
    const auto valid = Jws::verifyBytes(token, jwks);
    QVERIFY2(valid, qPrintable(valid.error())); // so each refusal below is the flip's
    // The first and last bit, and bits across the middle (ES256: in r and in s).
    for (const int bit : {0, 7, 8, bits / 2 - 1, bits / 2, bits / 2 + 9, bits - 8, bits - 1})
        expectBadSignature(flipSignatureBit(token, bit), jwks);
    // And the signed input changed: the payload's first character.
    const qsizetype first = token.indexOf('.');
    QByteArray changed = token;
    changed[first + 1] = changed[first + 1] == 'e' ? 'f' : 'e';
    expectBadSignature(changed, jwks);
}

void TestJwsVectors::rfc7520Section41()
{
    const QByteArray token = join(k41Header, k7520PayloadB64, k41Signature);
    const QJsonObject jwks = jwksOf(rfc7520RsaKey());
    const auto verified = Jws::verifyBytes(token, jwks);
    QVERIFY2(verified, qPrintable(verified.error()));
    QCOMPARE(*verified, QByteArray(k7520Payload));
    // verify() reads tokens whose payload is a JSON object; this one is text.
    QCOMPARE(Jws::verify(token, jwks).error(), u"malformed token"_s);

    const auto signer = JwsSigner::fromPrivateJwk(rfc7520RsaKey());
    QVERIFY(signer);
    QCOMPARE(signer->kid(), s(k41Kid));
    const QByteArray input = QByteArray(k41Header) + '.' + k7520PayloadB64;
    QCOMPARE(Base64Url::encode(signer->signInput(input)), QByteArray(k41Signature));
    QCOMPARE(Base64Url::encode(k7520Payload), QByteArray(k7520PayloadB64));
}

void TestJwsVectors::rfc7520Section43()
{
    const QByteArray token = join(k43Header, k7520PayloadB64, k43Signature);
    const QJsonObject jwk{{u"kty"_s, u"EC"_s},    {u"kid"_s, s(k43Kid)}, {u"use"_s, u"sig"_s},
                          {u"crv"_s, u"P-521"_s}, {u"x"_s, s(k43X)},     {u"y"_s, s(k43Y)}};
    const QJsonObject jwks{{u"keys"_s, QJsonArray{jwk}}};
    // Jws accepts RS256 and ES256 only (jws.h): ES512 is refused by name, before any key.
    QCOMPARE(Jws::verifyBytes(token, jwks).error(), u"unsupported algorithm \"ES512\""_s);
    QCOMPARE(Jws::verify(token, jwks).error(), u"unsupported algorithm \"ES512\""_s);
    QJsonObject privateJwk = jwk; // nor can we sign with it
    privateJwk.insert(u"d"_s, s(k43D));
    QVERIFY(!JwsSigner::fromPrivateJwk(privateJwk));
    QSKIP("ES512 (P-521) is not supported: Jws verifies RS256 and ES256 only, so the "
          "RFC 7520 4.3 signature cannot be checked; its refusal is checked above");
}

void TestJwsVectors::rfc7520Section44()
{
    const QByteArray input = QByteArray(k44Header) + '.' + k7520PayloadB64;
    const auto key = Base64Url::decode(k44K);
    QVERIFY(key);
    QCOMPARE(key->size(), 32);
    // Our HMAC-SHA256 (what Jwt signs with) reproduces the published MAC...
    QCOMPARE(Base64Url::encode(Digest::hmacSha256(*key, input)), QByteArray(k44Signature));
    // ...and one bit of the input changes it.
    QByteArray changed = input;
    changed[input.size() - 1] = char(changed[input.size() - 1] ^ 1);
    QVERIFY(Base64Url::encode(Digest::hmacSha256(*key, changed)) != QByteArray(k44Signature));
    // Jws verifies third-party tokens with public keys only: HS256 there would let anyone
    // holding a published key forge tokens (algorithm confusion), so it is refused.
    const QByteArray token = input + '.' + k44Signature;
    const QJsonObject jwks{
        {u"keys"_s,
         QJsonArray{QJsonObject{{u"kty"_s, u"oct"_s}, {u"kid"_s, s(k44Kid)}, {u"k"_s, s(k44K)}}}}};
    QCOMPARE(Jws::verifyBytes(token, jwks).error(), u"unsupported algorithm \"HS256\""_s);
}

QTEST_GUILESS_MAIN(TestJwsVectors)
#include "tst_jwsvectors.moc"
