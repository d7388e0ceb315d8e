// SPDX-License-Identifier: GPL-3.0-or-later
// WebAuthn ceremonies against published data: every registration and authentication
// example of the W3C Web Authentication Level 3 specification, section 16 (provenance
// in webauthnvectors.h). Each example must register with the attestation format named
// (the statement is not checked: policy "none"), give back the printed credential id,
// and then authenticate with the key it registered; ES384, ES512 and Ed448 credentials
// are refused as unsupported; a changed byte of a published assertion is refused.
#include "identity/webauthn.h"
#include "webauthnvectors.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace WebAuthnVectors;
using WebAuthn::Algorithm;

namespace {

struct Case
{
    const Vector *vector;
    const char *fmt;
    Algorithm alg;
    bool crossOrigin; // clientDataJSON says crossOrigin: true
};

const Case kSupported[] = {
    {&kNoneEs256, "none", Algorithm::ES256, false},
    {&kPackedSelfEs256, "packed", Algorithm::ES256, false},
    {&kNoneEs256Crossorigin, "none", Algorithm::ES256, true},
    {&kNoneEs256Toporigin, "none", Algorithm::ES256, true},
    {&kNoneEs256LongCredentialId, "none", Algorithm::ES256, false},
    {&kPackedEs256, "packed", Algorithm::ES256, false},
    {&kPackedRs256, "packed", Algorithm::RS256, false},
    {&kPackedEddsa, "packed", Algorithm::EdDSA, false},
    {&kTpmEs256, "tpm", Algorithm::ES256, false},
    {&kAndroidKeyEs256, "android-key", Algorithm::ES256, false},
    {&kAppleEs256, "apple", Algorithm::ES256, false},
    {&kFidoU2fEs256, "fido-u2f", Algorithm::ES256, false},
};

QByteArray hex(const char *text)
{
    return QByteArray::fromHex(QByteArray(text));
}

WebAuthn::RelyingParty specRp(bool allowCrossOrigin)
{
    WebAuthn::RelyingParty rp{u"example.org"_s, u"Example"_s, {u"https://example.org"_s}};
    rp.allowCrossOrigin = allowCrossOrigin;
    return rp;
}

Result<WebAuthn::RegisteredCredential> registerVector(const Vector &v, bool allowCrossOrigin)
{
    return WebAuthn::verifyRegistration(specRp(allowCrossOrigin), hex(v.regChallenge), false,
                                        {hex(v.regClientDataJson), hex(v.attestationObject)});
}

WebAuthn::AssertionResponse assertionOf(const Vector &v, const QByteArray &credentialId)
{
    return {
        credentialId, hex(v.authClientDataJson), hex(v.authenticatorData), hex(v.signature), {}};
}

WebAuthn::StoredCredential storedOf(const WebAuthn::RegisteredCredential &registered)
{
    return {registered.credentialId, registered.publicKeyCose,  registered.alg,
            registered.signCount,    registered.backupEligible, {}};
}

void addSupportedRows()
{
    QTest::addColumn<int>("index");
    for (int i = 0; i < int(std::size(kSupported)); ++i)
        QTest::newRow(kSupported[i].vector->anchor) << i;
}

} // namespace

class TestWebAuthn : public QObject
{
    Q_OBJECT

private slots:
    void registersPublishedExamples_data() { addSupportedRows(); }
    void registersPublishedExamples()
    {
        QFETCH(int, index);
        const Case &c = kSupported[index];
        const auto registered = registerVector(*c.vector, c.crossOrigin);
        QVERIFY2(registered.ok(),
                 qPrintable(registered.error() + u" / "_s +
                            (registered.ok() ? QString() : registered.refusal().detail)));
        QCOMPARE(registered->credentialId, hex(c.vector->credentialId));
        QCOMPARE(registered->fmt, QString::fromLatin1(c.fmt));
        QCOMPARE(registered->alg, c.alg);
        QCOMPARE(registered->aaguid.size(), 16);
        QCOMPARE(registered->signCount, 0u);
        // The stored key is the COSE_Key exactly as it sits in the attestation object.
        QVERIFY(hex(c.vector->attestationObject).contains(registered->publicKeyCose));
    }

    void authenticatesPublishedExamples_data() { addSupportedRows(); }
    void authenticatesPublishedExamples()
    {
        QFETCH(int, index);
        const Case &c = kSupported[index];
        const auto registered = registerVector(*c.vector, c.crossOrigin);
        QVERIFY(registered.ok());
        const auto outcome = WebAuthn::verifyAssertion(
            specRp(c.crossOrigin), hex(c.vector->authChallenge), false, false,
            storedOf(*registered), assertionOf(*c.vector, registered->credentialId));
        QVERIFY2(outcome.ok(), qPrintable(outcome.error() + u" / "_s +
                                          (outcome.ok() ? QString() : outcome.refusal().detail)));
        const auto flags = quint8(hex(c.vector->authenticatorData).at(32));
        QCOMPARE(outcome->userVerified, (flags & 0x04) != 0);
        QCOMPARE(outcome->backedUp, (flags & 0x10) != 0);
        QCOMPARE(outcome->signCount, 0u);
    }

    void refusesEveryChangedByteOfPublishedAssertion_data() { addSupportedRows(); }
    void refusesEveryChangedByteOfPublishedAssertion()
    {
        QFETCH(int, index);
        const Case &c = kSupported[index];
        const auto registered = registerVector(*c.vector, c.crossOrigin);
        QVERIFY(registered.ok());
        const auto stored = storedOf(*registered);
        const auto good = assertionOf(*c.vector, registered->credentialId);
        const auto check = [&](const WebAuthn::AssertionResponse &changed) {
            return WebAuthn::verifyAssertion(specRp(c.crossOrigin), hex(c.vector->authChallenge),
                                             false, false, stored, changed);
        };
        // Each changed input must reach the signature check and fail there: one bit of
        // the signature, the sign count (1 would pass the counter rule), and a space
        // after the client data JSON (still valid JSON with the same fields).
        for (int part = 0; part < 3; ++part) {
            auto changed = good;
            if (part == 0) {
                const qsizetype at = changed.signature.size() / 2;
                changed.signature[at] = char(changed.signature[at] ^ 0x01);
            } else if (part == 1) {
                changed.authenticatorData[36] = char(changed.authenticatorData[36] ^ 0x01);
            } else {
                changed.clientDataJson.append(' ');
            }
            const auto refused = check(changed);
            QVERIFY2(!refused.ok(), qPrintable(u"part %1"_s.arg(part)));
            QCOMPARE(refused.refusal().kind, Refusal::Kind::BadCredentials);
            QCOMPARE(refused.refusal().detail, u"signature"_s);
        }
    }

    void refusesPublishedUnsupportedAlgorithms_data()
    {
        QTest::addColumn<int>("which");
        QTest::newRow("ES384") << 0;
        QTest::newRow("ES512") << 1;
        QTest::newRow("Ed448") << 2;
    }
    void refusesPublishedUnsupportedAlgorithms()
    {
        QFETCH(int, which);
        const Vector *vectors[] = {&kPackedEs384, &kPackedEs512, &kPackedEd448};
        const auto registered = registerVector(*vectors[which], false);
        QVERIFY(!registered.ok());
        QCOMPARE(registered.refusal().kind, Refusal::Kind::InvalidInput);
        QVERIFY2(registered.refusal().message.contains(u"not supported"_s),
                 qPrintable(registered.refusal().message));
    }

    void crossOriginExampleNeedsPermission()
    {
        const auto refused = registerVector(kNoneEs256Crossorigin, false);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.refusal().detail, u"clientData.crossOrigin: true"_s);
        QVERIFY(registerVector(kNoneEs256Crossorigin, true).ok());
    }

    void publishedExampleWithoutUvFailsWhenUvRequired()
    {
        // none-ES256 registers with flags 0x59 (UP, BE, BS, AT): no user verification.
        const auto refused = WebAuthn::verifyRegistration(
            specRp(false), hex(kNoneEs256.regChallenge), true,
            {hex(kNoneEs256.regClientDataJson), hex(kNoneEs256.attestationObject)});
        QVERIFY(!refused.ok());
        QCOMPARE(refused.refusal().kind, Refusal::Kind::Forbidden);
        QCOMPARE(refused.refusal().detail, u"authData.flags: UV not set"_s);
    }

    void publishedExampleAnswersOnlyItsChallenge()
    {
        // The authentication challenge is not the registration challenge.
        const auto refused = WebAuthn::verifyRegistration(
            specRp(false), hex(kNoneEs256.authChallenge), false,
            {hex(kNoneEs256.regClientDataJson), hex(kNoneEs256.attestationObject)});
        QVERIFY(!refused.ok());
        QCOMPARE(refused.refusal().detail, u"clientData.challenge"_s);
        const auto wrongSite = WebAuthn::verifyRegistration(
            WebAuthn::RelyingParty{u"example.com"_s, {}, {u"https://example.org"_s}},
            hex(kNoneEs256.regChallenge), false,
            {hex(kNoneEs256.regClientDataJson), hex(kNoneEs256.attestationObject)});
        QVERIFY(!wrongSite.ok());
        QVERIFY(wrongSite.refusal().detail.startsWith(u"authData.rpIdHash"_s));
    }

    void creationOptionsJson()
    {
        const auto rp =
            WebAuthn::relyingPartyFor(u"https://id.example.org/gatehouse"_s, u"Gatehouse"_s);
        WebAuthn::CreationOptionsInput input;
        input.challenge = "\x00\xff\xfe challenge"_ba;
        input.user = {"\xfb\xff handle"_ba, u"ada@example.org"_s, u"Ada"_s};
        input.residentKey = WebAuthn::ResidentKey::Required;
        input.userVerification = WebAuthn::UserVerification::Required;
        input.excludeCredentials = {{"\x01\x02\x03"_ba, {u"usb"_s, u"nfc"_s}}, {"\x04"_ba, {}}};
        const QJsonObject o = WebAuthn::creationOptions(rp, input);
        const QByteArray json = QJsonDocument(o).toJson(QJsonDocument::Compact);
        QCOMPARE(json,
                 R"({"attestation":"none","authenticatorSelection":{"requireResidentKey":true,)"
                 R"("residentKey":"required","userVerification":"required"},"challenge":)"
                 R"("AP_-IGNoYWxsZW5nZQ","excludeCredentials":[{"id":"AQID","transports":)"
                 R"(["usb","nfc"],"type":"public-key"},{"id":"BA","type":"public-key"}],)"
                 R"("pubKeyCredParams":[{"alg":-7,"type":"public-key"},{"alg":-8,"type":)"
                 R"("public-key"},{"alg":-257,"type":"public-key"}],"rp":{"id":"id.example.org",)"
                 R"("name":"Gatehouse"},"timeout":300000,"user":{"displayName":"Ada","id":)"
                 R"("-_8gaGFuZGxl","name":"ada@example.org"}})"_ba);
    }

    void requestOptionsJson()
    {
        const WebAuthn::RelyingParty rp{u"example.org"_s, {}, {}};
        WebAuthn::RequestOptionsInput input;
        input.challenge = "\x00\x01"_ba;
        input.timeoutMs = 60000;
        QCOMPARE(QJsonDocument(WebAuthn::requestOptions(rp, input)).toJson(QJsonDocument::Compact),
                 R"({"allowCredentials":[],"challenge":"AAE","rpId":"example.org",)"
                 R"("timeout":60000,"userVerification":"preferred"})"_ba);
    }

    void relyingPartyFromPublicUrl_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("id");
        QTest::addColumn<QStringList>("origins");
        QTest::newRow("path dropped") << u"https://id.example.org/base/"_s << u"id.example.org"_s
                                      << QStringList{u"https://id.example.org"_s};
        QTest::newRow("port kept") << u"https://Id.Example.org:8443"_s << u"id.example.org"_s
                                   << QStringList{u"https://id.example.org:8443"_s};
        QTest::newRow("default port dropped") << u"https://example.org:443/"_s << u"example.org"_s
                                              << QStringList{u"https://example.org"_s};
        QTest::newRow("localhost") << u"http://localhost:8080"_s << u"localhost"_s
                                   << QStringList{u"http://localhost:8080"_s};
        QTest::newRow("no host") << u"not a url"_s << QString() << QStringList();
    }
    void relyingPartyFromPublicUrl()
    {
        QFETCH(QString, url);
        QFETCH(QString, id);
        QFETCH(QStringList, origins);
        const auto rp = WebAuthn::relyingPartyFor(url, u"Gatehouse"_s);
        QCOMPARE(rp.id, id);
        QCOMPARE(rp.origins, origins);
        const auto extra = WebAuthn::relyingPartyFor(
            u"https://example.org"_s, {}, {u"https://app.example.org"_s, u"https://example.org"_s});
        QCOMPARE(extra.origins,
                 (QStringList{u"https://example.org"_s, u"https://app.example.org"_s}));
    }

    void freshRandomValues()
    {
        const QByteArray a = WebAuthn::newChallenge();
        QCOMPARE(a.size(), 32);
        QVERIFY(a != WebAuthn::newChallenge());
        QCOMPARE(WebAuthn::newUserHandle().size(), 32);
        QVERIFY(WebAuthn::newUserHandle() != WebAuthn::newUserHandle());
    }
};

QTEST_GUILESS_MAIN(TestWebAuthn)
#include "tst_webauthn.moc"
