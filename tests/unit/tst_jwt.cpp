// SPDX-License-Identifier: GPL-3.0-or-later
// JWS/JWT: RFC 7515 Appendix A.1 proves our HMAC + base64url; then the Jwt class's
// refusals, each with a token that is otherwise correctly signed, so that only the
// rule under test stands between it and acceptance.
#include "crypto/digest.h"
#include "crypto/jwt.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

constexpr auto kB64Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
constexpr qint64 kNow = 1'790'000'000;
const QByteArray kMaster = QByteArray("0123456789abcdef0123456789abcdef");
const QString kPurpose = u"login"_s;

QByteArray b64(const QByteArray &raw)
{
    return raw.toBase64(kB64Url);
}

QByteArray json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

// The key Jwt derives for a purpose (documented in jwt.h/jwt.cpp). Forged tokens below
// are signed with it, so a refusal can only come from the header or claim checks.
QByteArray derivedKey(const QByteArray &master, const QString &purpose)
{
    return Digest::hmacSha256(master, "gatehouse-jwt:" + purpose.toUtf8());
}

QByteArray forge(const QByteArray &rawHeader, const QByteArray &rawPayload,
                 const QByteArray &key = derivedKey(kMaster, kPurpose))
{
    const QByteArray input = b64(rawHeader) + '.' + b64(rawPayload);
    return input + '.' + b64(Digest::hmacSha256(key, input));
}

QJsonObject claims(qint64 exp = kNow + 300)
{
    return {{u"sub"_s, u"user-1"_s}, {u"iat"_s, kNow}, {u"exp"_s, exp}};
}

} // namespace

class TestJwt : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rfc7515AppendixA1();
    void roundTrip();
    void forgedHs256IsAccepted();
    void refusedHeaders_data();
    void refusedHeaders();
    void tamperedPayload();
    void tamperedSignature_data();
    void tamperedSignature();
    void expiry_data();
    void expiry();
    void futureTimes_data();
    void futureTimes();
    void malformed_data();
    void malformed();
    void purposeSeparation();
    void differentMasterKey();
    void verifiedAgain();
};

void TestJwt::rfc7515AppendixA1()
{
    // RFC 7515, Appendix A.1: the JWS Signing Input, the JWK "k" and the signature.
    const QByteArray signingInput = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
                                    "."
                                    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leG"
                                    "FtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
    const QByteArray k =
        "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";
    const QByteArray signature = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    const auto key = QByteArray::fromBase64Encoding(k, QByteArray::Base64UrlEncoding |
                                                           QByteArray::AbortOnBase64DecodingErrors);
    QVERIFY(key);
    QCOMPARE(key.decoded.size(), 64);
    QCOMPARE(b64(Digest::hmacSha256(*key, signingInput)), signature);

    // Our decoder reads the published payload (CRLFs and all).
    const QJsonObject payload = Jwt::unverifiedPayload(signingInput + '.' + signature);
    QCOMPARE(payload.value(u"iss").toString(), u"joe"_s);
    QCOMPARE(qint64(payload.value(u"exp").toDouble()), qint64(1300819380));
    QCOMPARE(payload.value(u"http://example.com/is_root").toBool(), true);
}

void TestJwt::roundTrip()
{
    const Jwt jwt(kMaster, kPurpose);
    const QByteArray token = jwt.sign(claims());
    QCOMPARE(token.count('.'), 2);
    const QJsonObject header =
        QJsonDocument::fromJson(
            QByteArray::fromBase64(token.left(token.indexOf('.')), QByteArray::Base64UrlEncoding))
            .object();
    QCOMPARE(header.value(u"alg").toString(), u"HS256"_s);

    const auto verified = jwt.verify(token, kNow);
    QVERIFY2(verified, qPrintable(verified.error()));
    QCOMPARE(*verified, claims());
    QCOMPARE(Jwt::unverifiedPayload(token), claims());
}

void TestJwt::forgedHs256IsAccepted()
{
    // Sanity check of forge(): with a proper header the hand-made token verifies.
    const Jwt jwt(kMaster, kPurpose);
    const auto verified = jwt.verify(forge(R"({"alg":"HS256","typ":"JWT"})", json(claims())), kNow);
    QVERIFY2(verified, qPrintable(verified.error()));
}

void TestJwt::refusedHeaders_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::newRow("alg none") << QByteArray(R"({"alg":"none","typ":"JWT"})");
    QTest::newRow("alg None") << QByteArray(R"({"alg":"None","typ":"JWT"})");
    QTest::newRow("alg hs256 lower case") << QByteArray(R"({"alg":"hs256","typ":"JWT"})");
    QTest::newRow("alg HS512") << QByteArray(R"({"alg":"HS512","typ":"JWT"})");
    QTest::newRow("alg RS256") << QByteArray(R"({"alg":"RS256","typ":"JWT"})");
    QTest::newRow("alg ES256") << QByteArray(R"({"alg":"ES256","typ":"JWT"})");
    QTest::newRow("alg not a string") << QByteArray(R"({"alg":256,"typ":"JWT"})");
    QTest::newRow("missing alg") << QByteArray(R"({"typ":"JWT"})");
    QTest::newRow("crit") << QByteArray(R"({"alg":"HS256","typ":"JWT","crit":["exp"],"exp":1})");
    QTest::newRow("header not an object") << QByteArray(R"(["HS256"])");
    QTest::newRow("header not JSON") << QByteArray("HS256");
}

void TestJwt::refusedHeaders()
{
    QFETCH(QByteArray, header);
    const Jwt jwt(kMaster, kPurpose);
    const auto verified = jwt.verify(forge(header, json(claims())), kNow);
    QVERIFY(!verified);
    QVERIFY2(verified.error().contains(u"algorithm"), qPrintable(verified.error()));

    // alg:none with the empty signature of RFC 7519 section 6.1, too.
    const QByteArray unsecured = b64(header) + '.' + b64(json(claims())) + '.';
    QVERIFY(!jwt.verify(unsecured, kNow));
}

void TestJwt::tamperedPayload()
{
    const Jwt jwt(kMaster, kPurpose);
    const QByteArray token = jwt.sign(claims());
    const QList<QByteArray> parts = token.split('.');
    QJsonObject evil = claims();
    evil.insert(u"sub"_s, u"admin"_s);
    const QByteArray tampered = parts[0] + '.' + b64(json(evil)) + '.' + parts[2];
    const auto verified = jwt.verify(tampered, kNow);
    QVERIFY(!verified);
    QVERIFY2(verified.error().contains(u"signature"), qPrintable(verified.error()));
}

void TestJwt::tamperedSignature_data()
{
    QTest::addColumn<int>("kind");
    QTest::newRow("first character changed") << 0;
    QTest::newRow("signature truncated") << 1;
    QTest::newRow("signature empty") << 2;
    QTest::newRow("signature with padding") << 3;
    QTest::newRow("non-canonical last character") << 4;
    QTest::newRow("signature of another token") << 5;
}

void TestJwt::tamperedSignature()
{
    QFETCH(int, kind);
    const Jwt jwt(kMaster, kPurpose);
    const QByteArray token = jwt.sign(claims());
    const qsizetype dot = token.lastIndexOf('.');
    const QByteArray input = token.left(dot);
    QByteArray sig = token.mid(dot + 1);
    QCOMPARE(sig.size(), 43); // 32 bytes, unpadded
    switch (kind) {
    case 0:
        sig[0] = sig[0] == 'A' ? 'B' : 'A';
        break;
    case 1:
        sig.chop(1);
        break;
    case 2:
        sig.clear();
        break;
    case 3:
        sig += '=';
        break;
    case 4: {
        // 43 characters carry 258 bits; the last character's low two bits are unused.
        // Setting them gives a different string that decodes to the same 32 bytes: a
        // second valid-looking spelling of one token, which must be refused.
        static const QByteArray alphabet =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        const int index = int(alphabet.indexOf(sig.back()));
        QCOMPARE(index % 4, 0);
        sig.back() = alphabet.at(index + 1);
        QCOMPARE(QByteArray::fromBase64(sig, QByteArray::Base64UrlEncoding),
                 QByteArray::fromBase64(token.mid(dot + 1), QByteArray::Base64UrlEncoding));
        break;
    }
    case 5: {
        const QByteArray other = jwt.sign(claims(kNow + 301));
        sig = other.mid(other.lastIndexOf('.') + 1);
        break;
    }
    }
    QVERIFY(!jwt.verify(input + '.' + sig, kNow));
}

void TestJwt::expiry_data()
{
    QTest::addColumn<QJsonValue>("exp");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("one second left") << QJsonValue(kNow + 1) << true;
    QTest::newRow("exp == now") << QJsonValue(kNow) << false;
    QTest::newRow("expired a second ago") << QJsonValue(kNow - 1) << false;
    QTest::newRow("expired long ago") << QJsonValue(qint64(1)) << false;
    QTest::newRow("missing exp") << QJsonValue(QJsonValue::Undefined) << false;
    QTest::newRow("exp null") << QJsonValue(QJsonValue::Null) << false;
    QTest::newRow("exp as string") << QJsonValue(QString::number(kNow + 300)) << false;
}

void TestJwt::expiry()
{
    QFETCH(QJsonValue, exp);
    QFETCH(bool, accepted);
    QJsonObject c{{u"sub"_s, u"user-1"_s}, {u"iat"_s, kNow - 10}};
    if (!exp.isUndefined())
        c.insert(u"exp"_s, exp);
    const Jwt jwt(kMaster, kPurpose);
    const auto verified = jwt.verify(jwt.sign(c), kNow);
    QVERIFY2(bool(verified) == accepted, qPrintable(verified.error()));
}

void TestJwt::futureTimes_data()
{
    QTest::addColumn<QString>("claim");
    QTest::addColumn<qint64>("offset");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("iat now") << u"iat"_s << qint64(0) << true;
    QTest::newRow("iat within skew") << u"iat"_s << qint64(60) << true;
    QTest::newRow("iat just past skew") << u"iat"_s << qint64(61) << false;
    QTest::newRow("iat an hour ahead") << u"iat"_s << qint64(3600) << false;
    QTest::newRow("iat a year ahead") << u"iat"_s << qint64(365) * 86400 << false;
    QTest::newRow("nbf now") << u"nbf"_s << qint64(0) << true;
    QTest::newRow("nbf an hour ahead") << u"nbf"_s << qint64(3600) << false;
}

void TestJwt::futureTimes()
{
    QFETCH(QString, claim);
    QFETCH(qint64, offset);
    QFETCH(bool, accepted);
    QJsonObject c{{u"sub"_s, u"user-1"_s}, {u"exp"_s, kNow + 10 * 365 * 86400LL}};
    c.insert(claim, kNow + offset);
    const Jwt jwt(kMaster, kPurpose);
    const auto verified = jwt.verify(jwt.sign(c), kNow);
    QVERIFY2(bool(verified) == accepted, qPrintable(verified.error()));
}

void TestJwt::malformed_data()
{
    const Jwt jwt(kMaster, kPurpose);
    const QByteArray good = jwt.sign(claims());
    const QList<QByteArray> p = good.split('.');
    const QByteArray goodSigOverBadPayload = [&] {
        const QByteArray input = p[0] + ".!!notbase64!!";
        return input + '.' + b64(Digest::hmacSha256(derivedKey(kMaster, kPurpose), input));
    }();
    const QByteArray payloadNotJson = forge(R"({"alg":"HS256","typ":"JWT"})", "not json");
    const QByteArray payloadArray = forge(R"({"alg":"HS256","typ":"JWT"})", "[1,2,3]");

    QTest::addColumn<QByteArray>("token");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("one segment") << p[0];
    QTest::newRow("two segments") << p[0] + '.' + p[1];
    QTest::newRow("four segments") << good + '.' + p[2];
    QTest::newRow("only dots") << QByteArray("..");
    QTest::newRow("empty header") << '.' + p[1] + '.' + p[2];
    QTest::newRow("empty payload") << p[0] + ".." + p[2];
    QTest::newRow("bad base64 header") << "e*J." + p[1] + '.' + p[2];
    QTest::newRow("standard base64 alphabet") << p[0] + '.' + p[1] + ".+/+/" + p[2].mid(4);
    QTest::newRow("bad base64 payload, good signature") << goodSigOverBadPayload;
    QTest::newRow("payload not JSON") << payloadNotJson;
    QTest::newRow("payload an array") << payloadArray;
    QTest::newRow("whitespace around") << ' ' + good + ' ';
}

void TestJwt::malformed()
{
    QFETCH(QByteArray, token);
    const Jwt jwt(kMaster, kPurpose);
    QVERIFY(!jwt.verify(token, kNow));
}

void TestJwt::purposeSeparation()
{
    const QByteArray token = Jwt(kMaster, u"namespace-access"_s).sign(claims());
    QVERIFY(Jwt(kMaster, u"namespace-access"_s).verify(token, kNow));
    const auto other = Jwt(kMaster, u"password-reset"_s).verify(token, kNow);
    QVERIFY(!other);
    QVERIFY2(other.error().contains(u"signature"), qPrintable(other.error()));
    QVERIFY(!Jwt(kMaster, u"namespace-access "_s).verify(token, kNow));
    QVERIFY(!Jwt(kMaster, QString()).verify(token, kNow));
}

void TestJwt::differentMasterKey()
{
    const QByteArray token = Jwt(kMaster, kPurpose).sign(claims());
    QByteArray otherKey = kMaster;
    otherKey[31] = 'X';
    QVERIFY(!Jwt(otherKey, kPurpose).verify(token, kNow));
    QVERIFY(!Jwt(QByteArray(), kPurpose).verify(token, kNow));
}

QTEST_GUILESS_MAIN(TestJwt)
#include "tst_jwt.moc"

// A token verified once is found again by its MAC (jwt.cpp's per-thread cache): the
// answers must be exactly those of a first verification.
void TestJwt::verifiedAgain()
{
    const Jwt jwt(kMaster, kPurpose);
    const QByteArray token = jwt.sign(claims(kNow + 300));
    QVERIFY(jwt.verify(token, kNow));
    const auto again = jwt.verify(token, kNow + 10);
    QVERIFY(again);
    QCOMPARE(again->value(u"sub"_s).toString(), u"user-1"_s);
    // The times are checked on every use, not when first verified.
    const auto later = jwt.verify(token, kNow + 300);
    QVERIFY(!later);
    QCOMPARE(later.refusal().kind, Refusal::Kind::TokenExpired);
    QJsonObject ahead = claims();
    ahead.insert(u"iat"_s, kNow + 100);
    const QByteArray early = jwt.sign(ahead);
    QVERIFY(jwt.verify(early, kNow + 50));
    QVERIFY(!jwt.verify(early, kNow + 20)); // iat now past the skew
    // Another key never meets the first key's entries, for any purpose.
    QVERIFY(!Jwt(QByteArray(32, 'x'), kPurpose).verify(token, kNow));
    QVERIFY(!Jwt(kMaster, u"reset"_s).verify(token, kNow));
    // A known token with its signature or its signed part changed is refused.
    QByteArray badSignature = token;
    badSignature.back() = badSignature.back() == 'A' ? 'Q' : 'A';
    QVERIFY(!jwt.verify(badSignature, kNow));
    const qsizetype dot = token.indexOf('.');
    QByteArray otherHeader = token;
    otherHeader[dot - 1] = otherHeader[dot - 1] == 'J' ? 'K' : 'J';
    QVERIFY(!jwt.verify(otherHeader, kNow));
    QVERIFY(jwt.verify(token, kNow)); // and the token itself still verifies
}
