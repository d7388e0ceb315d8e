// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/webauthn.h"

#include "crypto/cbor.h"
#include "crypto/cosekey.h"
#include "crypto/digest.h"
#include "identity/webauthndata.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace WebAuthn {
namespace {

using Data::AuthenticatorData;

Refusal malformed(const QString &detail)
{
    return Refusal(Refusal::Kind::InvalidInput, u"the passkey response is malformed"_s, detail);
}

struct AttestationObject
{
    QString fmt;
    QByteArray authData;
};

// fmt, attStmt and authData (§6.5). The statement itself is not verified: the policy is
// attestation "none", so any format is accepted and only its name is kept.
Result<AttestationObject> readAttestationObject(QByteArrayView raw)
{
    const auto parsed = CborItem::parse(raw);
    if (!parsed)
        return malformed(u"attestationObject: "_s + parsed.refusal().detail);
    if (!parsed->isMap())
        return malformed(u"attestationObject: not a CBOR map"_s);
    const auto fmt = parsed->value(u"fmt");
    const auto attStmt = parsed->value(u"attStmt");
    const auto authData = parsed->value(u"authData");
    const std::optional<QString> fmtText = fmt ? fmt->text() : std::nullopt;
    if (!fmtText || fmtText->isEmpty() || fmtText->size() > 32 ||
        std::any_of(fmtText->cbegin(), fmtText->cend(),
                    [](QChar c) { return c.unicode() < 0x21 || c.unicode() > 0x7e; }))
        return malformed(u"attestationObject.fmt: missing or not a short printable name"_s);
    if (!attStmt || !attStmt->isMap())
        return malformed(u"attestationObject.attStmt: missing or not a map"_s);
    if (*fmtText == u"none" && attStmt->size() != 0)
        return malformed(u"attestationObject.attStmt: must be empty for fmt \"none\""_s);
    const std::optional<QByteArray> authDataBytes = authData ? authData->bytes() : std::nullopt;
    if (!authDataBytes)
        return malformed(u"attestationObject.authData: missing or not a byte string"_s);
    return AttestationObject{*fmtText, *authDataBytes};
}

} // namespace

const QList<Algorithm> &supportedAlgorithms()
{
    static const QList<Algorithm> all{Algorithm::ES256, Algorithm::EdDSA, Algorithm::RS256};
    return all;
}

std::optional<Algorithm> algorithmFromCose(qint64 cose)
{
    for (const Algorithm alg : supportedAlgorithms()) {
        if (qint64(alg) == cose)
            return alg;
    }
    return std::nullopt;
}

Result<RegisteredCredential> verifyRegistration(const RelyingParty &rp,
                                                const QByteArray &expectedChallenge,
                                                bool userVerificationRequired,
                                                const RegistrationResponse &response)
{
    const auto client =
        Data::checkClientData(response.clientDataJson, u"webauthn.create", expectedChallenge, rp);
    if (!client)
        return client.refusal();
    const auto attestation = readAttestationObject(response.attestationObject);
    if (!attestation)
        return attestation.refusal();
    const auto data = Data::parseAuthenticatorData(attestation->authData);
    if (!data)
        return data.refusal();
    const auto flags = Data::checkAuthenticatorData(*data, rp, userVerificationRequired);
    if (!flags)
        return flags.refusal();
    if (!data->has(Data::kAttestedCredential))
        return malformed(u"authData.flags: AT not set, so there is no credential"_s);
    const auto cose = CoseKey::algorithm(data->publicKeyCose);
    if (!cose)
        return cose.refusal();
    const std::optional<Algorithm> alg = algorithmFromCose(*cose);
    if (!alg) // CoseKey accepts only what we offer; this guards the two lists drifting
        return Refusal(Refusal::Kind::InvalidInput, u"this kind of passkey is not supported"_s,
                       u"credentialPublicKey: alg %1"_s.arg(*cose));
    RegisteredCredential out;
    out.credentialId = data->credentialId;
    out.publicKeyCose = data->publicKeyCose;
    out.alg = *alg;
    out.signCount = data->signCount;
    out.aaguid = data->aaguid;
    out.backupEligible = data->has(Data::kBackupEligible);
    out.backedUp = data->has(Data::kBackedUp);
    out.userVerified = data->has(Data::kUserVerified);
    out.fmt = attestation->fmt;
    return out;
}

Result<AssertionOutcome> verifyAssertion(const RelyingParty &rp,
                                         const QByteArray &expectedChallenge,
                                         bool userVerificationRequired, bool userHandleRequired,
                                         const StoredCredential &credential,
                                         const AssertionResponse &response)
{
    if (response.credentialId.isEmpty() ||
        !Digest::equal(response.credentialId, credential.credentialId))
        return Refusal(Refusal::Kind::BadCredentials, u"this passkey is not the one expected"_s,
                       u"credential id"_s);
    if ((userHandleRequired && response.userHandle.isEmpty()) ||
        (!response.userHandle.isEmpty() &&
         !Digest::equal(response.userHandle, credential.userHandle)))
        return Refusal(Refusal::Kind::BadCredentials,
                       u"this passkey does not belong to this account"_s, u"userHandle"_s);
    const auto client =
        Data::checkClientData(response.clientDataJson, u"webauthn.get", expectedChallenge, rp);
    if (!client)
        return client.refusal();
    const auto data = Data::parseAuthenticatorData(response.authenticatorData);
    if (!data)
        return data.refusal();
    const auto flags = Data::checkAuthenticatorData(*data, rp, userVerificationRequired);
    if (!flags)
        return flags.refusal();
    // BE is fixed when the credential is created (§6.1.3); a change means another credential.
    if (data->has(Data::kBackupEligible) != credential.backupEligible)
        return malformed(u"authData.flags: BE differs from registration"_s);
    const auto storedAlg = CoseKey::algorithm(credential.publicKeyCose);
    if (!storedAlg || *storedAlg != qint64(credential.alg))
        return Refusal(Refusal::Kind::Internal, u"the stored passkey is damaged"_s,
                       u"stored credential: public key and algorithm disagree"_s);
    const QByteArray signedData =
        response.authenticatorData + Digest::sha256(response.clientDataJson);
    const auto verified = CoseKey::verify(credential.publicKeyCose, signedData, response.signature);
    if (!verified)
        return verified.refusal();
    // §7.2 step 21: a counter that does not move forward, when either side has ever used
    // one, means two authenticators may hold this key (a clone). Counters of 0 on both
    // sides mean the authenticator keeps none (most synced passkeys).
    if ((data->signCount != 0 || credential.signCount != 0) &&
        data->signCount <= credential.signCount)
        return Refusal(
            Refusal::Kind::Forbidden,
            u"this passkey's signature counter went backwards, so the "
            u"authenticator may have been copied; use another passkey"_s,
            u"authData.signCount: %1, stored %2"_s.arg(data->signCount).arg(credential.signCount));
    AssertionOutcome out;
    out.signCount = data->signCount;
    out.userVerified = data->has(Data::kUserVerified);
    out.backupEligible = data->has(Data::kBackupEligible);
    out.backedUp = data->has(Data::kBackedUp);
    return out;
}

} // namespace WebAuthn
