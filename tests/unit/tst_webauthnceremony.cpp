// SPDX-License-Identifier: GPL-3.0-or-later
// Both ceremonies driven by a software authenticator (tests/support/fakes/
// fakeauthenticator.h) holding keys made here with OpenSSL: ES256, EdDSA and RS256 round
// trips, then one broken part at a time, each refused with the check named in `detail`.
#include "crypto/digest.h"
#include "crypto/jwkkey.h"
#include "fakeauthenticator.h"
#include "identity/webauthn.h"

#include <QTest>

using namespace Qt::StringLiterals;
using WebAuthn::Algorithm;

namespace {

const QString kRpId = u"login.example.net"_s;
const QString kOrigin = u"https://login.example.net"_s;
const WebAuthn::RelyingParty kRp{kRpId, u"Example"_s, {kOrigin}};
const QByteArray kChallenge = QByteArray(32, 'c');

using F = FakeAuthenticator;

Result<WebAuthn::RegisteredCredential> registerWith(const WebAuthn::RegistrationResponse &response,
                                                    bool uvRequired = false,
                                                    const WebAuthn::RelyingParty &rp = kRp)
{
    return WebAuthn::verifyRegistration(rp, kChallenge, uvRequired, response);
}

Result<WebAuthn::AssertionOutcome> assertWith(const F &authenticator,
                                              const WebAuthn::AssertionResponse &response,
                                              quint32 storedCount = 0, bool uvRequired = false)
{
    return WebAuthn::verifyAssertion(kRp, kChallenge, uvRequired, false,
                                     authenticator.stored(storedCount), response);
}

// The refusal's detail, or "accepted".
template <typename T> QString outcome(const Result<T> &result)
{
    return result.ok() ? u"accepted"_s : result.refusal().detail;
}

WebAuthn::RegistrationResponse withAuthData(const QByteArray &authData)
{
    return {F::clientDataJson(u"webauthn.create"_s, kChallenge, kOrigin),
            F::attestationObject(authData)};
}

// An assertion over `authData` and `clientData`, signed correctly.
WebAuthn::AssertionResponse signedAssertion(const F &a, const QByteArray &authData,
                                            const QByteArray &clientData)
{
    WebAuthn::AssertionResponse r = a.get(kRpId, kOrigin, kChallenge);
    r.authenticatorData = authData;
    r.clientDataJson = clientData;
    r.signature = a.sign(authData + Digest::sha256(clientData));
    return r;
}

} // namespace

class TestWebAuthnCeremony : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip_data()
    {
        QTest::addColumn<int>("cose");
        QTest::newRow("ES256") << int(Algorithm::ES256);
        QTest::newRow("EdDSA") << int(Algorithm::EdDSA);
        QTest::newRow("RS256") << int(Algorithm::RS256);
    }
    void roundTrip()
    {
        QFETCH(int, cose);
        const Algorithm alg = *WebAuthn::algorithmFromCose(cose);
        F a(alg);
        a.flags = F::kUp | F::kUv | F::kBe;
        const auto registered = registerWith(a.create(kRpId, kOrigin, kChallenge), true);
        QVERIFY2(registered.ok(), qPrintable(outcome(registered)));
        QCOMPARE(registered->credentialId, a.credentialId);
        QCOMPARE(registered->publicKeyCose, a.publicKeyCose());
        QCOMPARE(registered->alg, alg);
        QCOMPARE(registered->fmt, u"none"_s);
        QVERIFY(registered->userVerified && registered->backupEligible && !registered->backedUp);
        a.signCount = 7;
        a.flags |= F::kBs;
        const auto asserted = WebAuthn::verifyAssertion(kRp, kChallenge, true, true, a.stored(6),
                                                        a.get(kRpId, kOrigin, kChallenge));
        QVERIFY2(asserted.ok(), qPrintable(outcome(asserted)));
        QCOMPARE(asserted->signCount, 7u);
        QVERIFY(asserted->userVerified && asserted->backupEligible && asserted->backedUp);
    }

    void registrationRefusals()
    {
        F a;
        const auto create = [&] { return a.create(kRpId, kOrigin, kChallenge); };
        auto r = create();
        r.clientDataJson = F::clientDataJson(u"webauthn.create"_s, "other"_ba, kOrigin);
        QCOMPARE(outcome(registerWith(r)), u"clientData.challenge"_s);
        r.clientDataJson = F::clientDataJson(u"webauthn.create"_s, kChallenge,
                                             u"https://login.example.net.evil.test"_s);
        QCOMPARE(outcome(registerWith(r)),
                 u"clientData.origin: \"https://login.example.net.evil.test\""_s);
        r.clientDataJson = F::clientDataJson(u"webauthn.get"_s, kChallenge, kOrigin);
        QCOMPARE(outcome(registerWith(r)),
                 u"clientData.type: expected webauthn.create, got \"webauthn.get\""_s);
        r.clientDataJson = "{\"type\":"_ba;
        QCOMPARE(outcome(registerWith(r)), u"clientDataJSON: not a JSON object"_s);
        r.clientDataJson = F::clientDataJson(u"webauthn.create"_s, kChallenge, kOrigin, true);
        QCOMPARE(outcome(registerWith(r)), u"clientData.crossOrigin: true"_s);
        WebAuthn::RelyingParty framed = kRp;
        framed.allowCrossOrigin = true;
        QCOMPARE(outcome(registerWith(r, false, framed)), u"accepted"_s);
        r = a.create(u"example.net"_s, kOrigin, kChallenge); // a parent domain's RP ID
        QCOMPARE(outcome(registerWith(r)),
                 u"authData.rpIdHash: not SHA-256 of \"login.example.net\""_s);
        QCOMPARE(outcome(registerWith(create())), u"accepted"_s);
    }

    void registrationFlagRefusals()
    {
        F a;
        a.flags = F::kUv;
        QCOMPARE(outcome(registerWith(a.create(kRpId, kOrigin, kChallenge))),
                 u"authData.flags: UP not set"_s);
        a.flags = F::kUp;
        QCOMPARE(outcome(registerWith(a.create(kRpId, kOrigin, kChallenge), true)),
                 u"authData.flags: UV not set"_s);
        const auto withoutUv = registerWith(a.create(kRpId, kOrigin, kChallenge), false);
        QVERIFY(withoutUv.ok() && !withoutUv->userVerified);
        a.flags = F::kUp | F::kBs;
        QCOMPARE(outcome(registerWith(a.create(kRpId, kOrigin, kChallenge))),
                 u"authData.flags: BS set without BE"_s);
        a.flags = F::kUp;
        QCOMPARE(outcome(registerWith(withAuthData(a.authenticatorData(kRpId, false)))),
                 u"authData.flags: AT not set, so there is no credential"_s);
    }

    void registrationStructureRefusals()
    {
        F a;
        const QByteArray authData = a.authenticatorData(kRpId, true);
        auto r = a.create(kRpId, kOrigin, kChallenge);
        r.attestationObject += "garbage"_ba;
        QCOMPARE(outcome(registerWith(r)),
                 u"attestationObject: 7 bytes after the end of the item"_s);
        QCOMPARE(outcome(registerWith(withAuthData(authData + "x"_ba))),
                 u"authData: 1 unexpected bytes at the end"_s);
        // Every truncation of a good attestation object is refused, none crashes.
        const QByteArray whole = F::attestationObject(authData);
        for (qsizetype n = 0; n < whole.size(); ++n) {
            r.attestationObject = whole.first(n);
            QVERIFY2(!registerWith(r).ok(), qPrintable(QString::number(n)));
        }
        r.attestationObject =
            TestCbor::map({{TestCbor::text(u"fmt"_s), TestCbor::text(u"none"_s)},
                           {TestCbor::text(u"attStmt"_s),
                            TestCbor::map({{TestCbor::text(u"alg"_s), TestCbor::integer(-7)}})},
                           {TestCbor::text(u"authData"_s), TestCbor::bytes(authData)}});
        QCOMPARE(outcome(registerWith(r)),
                 u"attestationObject.attStmt: must be empty for fmt \"none\""_s);
        r.attestationObject = F::attestationObject(authData, u"packed");
        QCOMPARE(registerWith(r)->fmt, u"packed"_s); // any format; the statement unread
        r.attestationObject = F::attestationObject(authData, u"no ne");
        QCOMPARE(outcome(registerWith(r)),
                 u"attestationObject.fmt: missing or not a short printable name"_s);
    }

    void credentialIdLimit()
    {
        F a;
        a.credentialId = QByteArray(1023, 'i');
        QCOMPARE(outcome(registerWith(a.create(kRpId, kOrigin, kChallenge))), u"accepted"_s);
        a.credentialId = QByteArray(1024, 'i');
        QCOMPARE(outcome(registerWith(a.create(kRpId, kOrigin, kChallenge))),
                 u"authData.credentialId: 1024 bytes (1 to 1023 allowed)"_s);
    }

    void unsupportedOrMislabelledKeys()
    {
        F ec;
        QByteArray authData = ec.authenticatorData(kRpId, true);
        authData.replace(ec.publicKeyCose(), ec.publicKeyCose(-36)); // ES512 label, P-256 key
        QCOMPARE(outcome(registerWith(withAuthData(authData))),
                 u"credentialPublicKey: alg -36 with kty 2"_s);
        F ed(Algorithm::EdDSA);
        authData = ed.authenticatorData(kRpId, true);
        authData.replace(ed.publicKeyCose(), ed.publicKeyCose(-7)); // ES256 label, OKP key
        QCOMPARE(outcome(registerWith(withAuthData(authData))),
                 u"credentialPublicKey: alg -7 with kty 1"_s);
    }

    void extensionsAreSkipped()
    {
        F a;
        a.flags = F::kUp | F::kEd;
        const QByteArray extensions =
            TestCbor::map({{TestCbor::text(u"credProtect"_s), TestCbor::integer(2)}});
        const QByteArray authData = a.authenticatorData(kRpId, true);
        QCOMPARE(outcome(registerWith(withAuthData(authData + extensions))), u"accepted"_s);
        QCOMPARE(outcome(registerWith(withAuthData(authData))),
                 u"authData.extensions: not one CBOR map"_s);
        QCOMPARE(outcome(registerWith(withAuthData(authData + TestCbor::integer(2)))),
                 u"authData.extensions: not one CBOR map"_s);
    }

    void assertionRefusals()
    {
        F a;
        const auto get = [&] { return a.get(kRpId, kOrigin, kChallenge); };
        QCOMPARE(outcome(assertWith(a, get())), u"accepted"_s);
        auto r = get();
        r.signature[10] = char(r.signature[10] ^ 0x20);
        QCOMPARE(outcome(assertWith(a, r)), u"signature"_s);
        r = get(); // ES256 as JWS writes it (r || s), not DER
        r.signature = JwkKey::derToRaw(r.signature);
        QCOMPARE(r.signature.size(), 64);
        QCOMPARE(outcome(assertWith(a, r)), u"signature"_s);
        F other;
        other.credentialId = a.credentialId;
        other.userHandle = a.userHandle;
        QCOMPARE(outcome(assertWith(a, other.get(kRpId, kOrigin, kChallenge))), u"signature"_s);
        r = get();
        r.credentialId = "another"_ba;
        QCOMPARE(outcome(assertWith(a, r)), u"credential id"_s);
        r = get();
        r.userHandle = "someone else"_ba;
        QCOMPARE(outcome(assertWith(a, r)), u"userHandle"_s);
        r.userHandle.clear();
        QCOMPARE(outcome(assertWith(a, r)), u"accepted"_s); // a non-discoverable credential
        QCOMPARE(outcome(WebAuthn::verifyAssertion(kRp, kChallenge, false, true, a.stored(), r)),
                 u"userHandle"_s);
        QCOMPARE(
            outcome(WebAuthn::verifyAssertion(kRp, "stale"_ba, false, false, a.stored(), get())),
            u"clientData.challenge"_s);
        r = get();
        r.clientDataJson = F::clientDataJson(u"webauthn.create"_s, kChallenge, kOrigin);
        QCOMPARE(outcome(assertWith(a, r)),
                 u"clientData.type: expected webauthn.get, got \"webauthn.create\""_s);
        r.clientDataJson =
            F::clientDataJson(u"webauthn.get"_s, kChallenge, u"http://login.example.net"_s);
        QCOMPARE(outcome(assertWith(a, r)), u"clientData.origin: \"http://login.example.net\""_s);
        QCOMPARE(outcome(assertWith(a, a.get(u"example.net"_s, kOrigin, kChallenge))),
                 u"authData.rpIdHash: not SHA-256 of \"login.example.net\""_s);
    }

    void assertionFlagRefusals()
    {
        F a;
        a.flags = F::kUv;
        QCOMPARE(outcome(assertWith(a, a.get(kRpId, kOrigin, kChallenge))),
                 u"authData.flags: UP not set"_s);
        a.flags = F::kUp;
        QCOMPARE(outcome(assertWith(a, a.get(kRpId, kOrigin, kChallenge), 0, true)),
                 u"authData.flags: UV not set"_s);
        // BE is fixed at registration: stored false, now true.
        const auto stored = a.stored();
        a.flags = F::kUp | F::kBe;
        QCOMPARE(outcome(WebAuthn::verifyAssertion(kRp, kChallenge, false, false, stored,
                                                   a.get(kRpId, kOrigin, kChallenge))),
                 u"authData.flags: BE differs from registration"_s);
        const QByteArray authData = a.authenticatorData(kRpId, false) + "x"_ba;
        QCOMPARE(
            outcome(assertWith(
                a, signedAssertion(a, authData, a.get(kRpId, kOrigin, kChallenge).clientDataJson),
                0)),
            u"authData: 1 unexpected bytes at the end"_s);
    }

    void signCountRule_data()
    {
        QTest::addColumn<quint32>("stored");
        QTest::addColumn<quint32>("received");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("no counter on either side") << 0u << 0u << true;
        QTest::newRow("first use of a counter") << 0u << 1u << true;
        QTest::newRow("forward") << 41u << 42u << true;
        QTest::newRow("forward by a lot") << 1u << 0xffffffffu << true;
        QTest::newRow("repeated: a clone") << 42u << 42u << false;
        QTest::newRow("backwards: a clone") << 42u << 7u << false;
        QTest::newRow("back to zero: a clone") << 42u << 0u << false;
    }
    void signCountRule()
    {
        QFETCH(quint32, stored);
        QFETCH(quint32, received);
        QFETCH(bool, accepted);
        F a;
        a.signCount = received;
        const auto result = assertWith(a, a.get(kRpId, kOrigin, kChallenge), stored);
        QCOMPARE(result.ok(), accepted);
        if (accepted)
            QCOMPARE(result->signCount, received);
        else
            QCOMPARE(result.refusal().kind, Refusal::Kind::Forbidden);
    }

    void storedCredentialMustAgreeWithItself()
    {
        F a;
        auto stored = a.stored();
        stored.alg = Algorithm::RS256;
        const auto result = WebAuthn::verifyAssertion(kRp, kChallenge, false, false, stored,
                                                      a.get(kRpId, kOrigin, kChallenge));
        QVERIFY(!result.ok());
        QCOMPARE(result.refusal().kind, Refusal::Kind::Internal);
    }
};

QTEST_GUILESS_MAIN(TestWebAuthnCeremony)
#include "tst_webauthnceremony.moc"
