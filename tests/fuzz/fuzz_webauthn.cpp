// SPDX-License-Identifier: GPL-3.0-or-later
// WebAuthn: the CBOR reader, COSE keys and both ceremonies. Byte 0 chooses the mode:
// - cbor: the rest to CborItem::parse with and without `consumed` (they agree: a prefix
//   item parses alone, the whole input parses iff the item is all of it) and to
//   CoseKey::algorithm (only -7, -8, -257, only for one well-formed CBOR item).
// - registration: [challenge length][challenge][2-byte clientData length][clientData]
//   [attestationObject] for RP "example.org". Accepted: credential id 1..1023 bytes, a
//   16-byte AAGUID, a COSE key that is in the attestation object and whose algorithm
//   CoseKey reads back, the same answer twice.
// - assertion: [2-byte clientData length][clientData][2-byte authData length][authData]
//   [signature] against a credential registered from a W3C example (ES256, RS256 or
//   EdDSA, chosen by byte 0). Without the private key, an accepted assertion must be
//   exactly the published clientDataJSON and authenticatorData.
// The seeds (corpus/webauthn) are the W3C Level 3 §16 examples in these layouts.
#include "../unit/webauthnvectors.h"
#include "crypto/cbor.h"
#include "crypto/cosekey.h"
#include "fuzzsupport.h"
#include "identity/webauthn.h"

#include <QtEndian>

using namespace Qt::StringLiterals;

namespace {

const WebAuthnVectors::Vector *const kCredentials[] = {
    &WebAuthnVectors::kNoneEs256, &WebAuthnVectors::kPackedRs256, &WebAuthnVectors::kPackedEddsa};

QByteArray hex(const char *text)
{
    return QByteArray::fromHex(QByteArray(text));
}

WebAuthn::RelyingParty rp(bool allowCrossOrigin)
{
    WebAuthn::RelyingParty out{u"example.org"_s, u"Example"_s, {u"https://example.org"_s}};
    out.allowCrossOrigin = allowCrossOrigin;
    return out;
}

struct Credentials
{
    WebAuthn::StoredCredential stored[3];
    Credentials()
    {
        for (int i = 0; i < 3; ++i) {
            const auto *v = kCredentials[i];
            const auto r = WebAuthn::verifyRegistration(
                rp(false), hex(v->regChallenge), false,
                {hex(v->regClientDataJson), hex(v->attestationObject)});
            FUZZ_CHECK(r.ok());
            stored[i] = {r->credentialId, r->publicKeyCose, r->alg, 0, r->backupEligible, {}};
        }
    }
};

// Takes a length-prefixed piece off the front of `rest`; false when it does not fit.
bool take(QByteArrayView &rest, int prefixBytes, QByteArray &out)
{
    if (rest.size() < prefixBytes)
        return false;
    const qsizetype n = prefixBytes == 1 ? quint8(rest[0]) : qFromBigEndian<quint16>(rest.data());
    if (rest.size() - prefixBytes < n)
        return false;
    out = rest.sliced(prefixBytes, n).toByteArray();
    rest = rest.sliced(prefixBytes + n);
    return true;
}

void fuzzCbor(QByteArrayView rest)
{
    qsizetype consumed = -1;
    const auto prefix = CborItem::parse(rest, &consumed);
    const auto whole = CborItem::parse(rest);
    if (prefix.ok()) {
        FUZZ_CHECK(consumed >= 1 && consumed <= rest.size());
        FUZZ_CHECK(CborItem::parse(rest.first(consumed)).ok());
        FUZZ_CHECK(whole.ok() == (consumed == rest.size()));
    } else {
        FUZZ_CHECK(!whole.ok());
    }
    const auto alg = CoseKey::algorithm(rest);
    if (alg.ok()) {
        FUZZ_CHECK(*alg == -7 || *alg == -8 || *alg == -257);
        FUZZ_CHECK(whole.ok() && whole->isMap());
    }
}

void fuzzRegistration(QByteArrayView rest, quint8 options)
{
    QByteArray challenge, clientData;
    if (!take(rest, 1, challenge) || !take(rest, 2, clientData))
        return;
    const WebAuthn::RegistrationResponse response{clientData, rest.toByteArray()};
    const bool uvRequired = options & 0x10;
    const auto r =
        WebAuthn::verifyRegistration(rp(options & 0x20), challenge, uvRequired, response);
    const auto again =
        WebAuthn::verifyRegistration(rp(options & 0x20), challenge, uvRequired, response);
    FUZZ_CHECK(r.ok() == again.ok());
    if (!r.ok()) {
        FUZZ_CHECK(!r.refusal().message.isEmpty() && !r.refusal().detail.isEmpty());
        return;
    }
    FUZZ_CHECK(!challenge.isEmpty());
    FUZZ_CHECK(r->credentialId.size() >= 1 && r->credentialId.size() <= 1023);
    FUZZ_CHECK(r->aaguid.size() == 16 && !r->fmt.isEmpty());
    FUZZ_CHECK(!uvRequired || r->userVerified);
    FUZZ_CHECK(response.attestationObject.contains(r->publicKeyCose));
    const auto alg = CoseKey::algorithm(r->publicKeyCose);
    FUZZ_CHECK(alg.ok() && *alg == qint64(r->alg));
    FUZZ_CHECK(again->credentialId == r->credentialId && again->signCount == r->signCount);
}

void fuzzAssertion(QByteArrayView rest, quint8 options)
{
    static const Credentials credentials;
    const int which = (options >> 4) % 3;
    const auto *v = kCredentials[which];
    WebAuthn::AssertionResponse response;
    if (!take(rest, 2, response.clientDataJson) || !take(rest, 2, response.authenticatorData))
        return;
    response.signature = rest.toByteArray();
    response.credentialId = credentials.stored[which].credentialId;
    const auto r = WebAuthn::verifyAssertion(rp(false), hex(v->authChallenge), false, false,
                                             credentials.stored[which], response);
    if (!r.ok()) {
        FUZZ_CHECK(!r.refusal().message.isEmpty() && !r.refusal().detail.isEmpty());
        return;
    }
    FUZZ_CHECK(response.clientDataJson == hex(v->authClientDataJson));
    FUZZ_CHECK(response.authenticatorData == hex(v->authenticatorData));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 16384)
        return 0;
    const QByteArrayView rest(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    switch (data[0] % 3) {
    case 0:
        fuzzCbor(rest);
        break;
    case 1:
        fuzzRegistration(rest, data[0]);
        break;
    default:
        fuzzAssertion(rest, data[0]);
        break;
    }
    return 0;
}
