// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "identity/webauthn.h"

// The pieces both ceremonies read: client data (§5.8.1) and authenticator data (§6.1).
// Private to core/identity/webauthn*.cpp.
namespace WebAuthn::Data {

constexpr quint8 kUserPresent = 0x01;
constexpr quint8 kUserVerified = 0x04;
constexpr quint8 kBackupEligible = 0x08;
constexpr quint8 kBackedUp = 0x10;
constexpr quint8 kAttestedCredential = 0x40;
constexpr quint8 kExtensions = 0x80;
constexpr qsizetype kMaxCredentialId = 1023;

struct AuthenticatorData
{
    QByteArray rpIdHash;
    quint8 flags = 0;
    quint32 signCount = 0;
    // Attested credential data, only with kAttestedCredential:
    QByteArray aaguid;
    QByteArray credentialId;
    QByteArray publicKeyCose; // the bytes of the COSE_Key item, exactly
    bool has(quint8 flag) const { return (flags & flag) != 0; }
};

// Splits authenticator data: 37 fixed bytes, then the attested credential data when AT
// is set (credential id at most 1023 bytes, one CBOR COSE_Key), then one CBOR map of
// extensions when ED is set, then nothing.
[[nodiscard]] Result<AuthenticatorData> parseAuthenticatorData(QByteArrayView raw);

// clientDataJSON: a JSON object with this `type`, the expected challenge (compared in
// constant time), an origin from rp.origins, and crossOrigin false unless rp allows it.
[[nodiscard]] Result<Done> checkClientData(QByteArrayView json, QStringView type,
                                           const QByteArray &expectedChallenge,
                                           const RelyingParty &rp);

// rpIdHash is SHA-256 of rp.id, UP set, UV set when required, BS only with BE.
[[nodiscard]] Result<Done> checkAuthenticatorData(const AuthenticatorData &data,
                                                  const RelyingParty &rp,
                                                  bool userVerificationRequired);

} // namespace WebAuthn::Data
