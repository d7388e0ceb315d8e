// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

// The relying-party side of WebAuthn Level 2 passkeys: the options a browser is handed
// and the checks on what it sends back, for the registration ceremony (§7.1) and the
// authentication ceremony (§7.2). Pure functions over bytes: no storage, no HTTP. The
// caller base64url-decodes the browser's fields, keeps the challenge between the two
// calls, stores the credential, and looks the credential up by its id before
// verifyAssertion(). Every failure is a Refusal whose `detail` names the check that
// failed (e.g. "clientData.origin", "authData.rpIdHash", "signature").
namespace WebAuthn {

// COSE algorithm identifiers we accept for credential keys (IANA COSE registry).
enum class Algorithm : int {
    ES256 = -7,   // ECDSA P-256 with SHA-256
    EdDSA = -8,   // Ed25519
    RS256 = -257, // RSASSA-PKCS1-v1_5 with SHA-256 (RSA >= 2048 bits)
};
// In the order pubKeyCredParams offers them.
const QList<Algorithm> &supportedAlgorithms();
// A stored COSE identifier back to an Algorithm; nullopt for any other value.
std::optional<Algorithm> algorithmFromCose(qint64 cose);

enum class UserVerification { Required, Preferred, Discouraged };
enum class ResidentKey { Discouraged, Preferred, Required };

struct RelyingParty
{
    QString id;                    // RP ID, a registrable domain: "example.org"
    QString name;                  // shown by some authenticators
    QStringList origins;           // exact allowed origins: "https://example.org"
    bool allowCrossOrigin = false; // accept clientData.crossOrigin == true (iframes)
};
// The RP ID and origin of a public URL ("https://id.example.org:8443/base" gives
// id "id.example.org", origin "https://id.example.org:8443"), plus `extraOrigins`.
// An empty `id` when the URL has no host.
RelyingParty relyingPartyFor(const QString &publicUrl, const QString &name,
                             const QStringList &extraOrigins = {});

// 32 random bytes: a fresh challenge per ceremony.
[[nodiscard]] QByteArray newChallenge();
// 32 random bytes: a user handle (user.id) that says nothing about the user.
[[nodiscard]] QByteArray newUserHandle();

struct CredentialDescriptor
{
    QByteArray id;
    QStringList transports; // as the browser reported them at registration; may be empty
};

struct UserEntity
{
    QByteArray handle;   // user.id, at most 64 bytes
    QString name;        // e.g. the e-mail address
    QString displayName; // e.g. the person's name
};

struct CreationOptionsInput
{
    QByteArray challenge;
    UserEntity user;
    ResidentKey residentKey = ResidentKey::Preferred;
    UserVerification userVerification = UserVerification::Preferred;
    QList<CredentialDescriptor> excludeCredentials; // the user's existing credentials
    int timeoutMs = 300000;
};
// PublicKeyCredentialCreationOptionsJSON (WebAuthn L3 §5.1.1, the form
// PublicKeyCredential.parseCreationOptionsFromJSON() takes): byte fields base64url,
// attestation "none", pubKeyCredParams ES256, EdDSA, RS256.
QJsonObject creationOptions(const RelyingParty &rp, const CreationOptionsInput &input);

struct RequestOptionsInput
{
    QByteArray challenge;
    UserVerification userVerification = UserVerification::Preferred;
    QList<CredentialDescriptor> allowCredentials; // empty: discoverable credentials
    int timeoutMs = 300000;
};
// PublicKeyCredentialRequestOptionsJSON (L3 §5.1.2, parseRequestOptionsFromJSON()).
QJsonObject requestOptions(const RelyingParty &rp, const RequestOptionsInput &input);

// What the browser returned from navigator.credentials.create(), base64url-decoded.
struct RegistrationResponse
{
    QByteArray clientDataJson;
    QByteArray attestationObject;
};

struct RegisteredCredential
{
    QByteArray credentialId;  // 16..1023 bytes
    QByteArray publicKeyCose; // the COSE_Key as the authenticator encoded it: store as is
    Algorithm alg = Algorithm::ES256;
    quint32 signCount = 0;
    QByteArray aaguid; // 16 bytes; all zero for most "none" attestations
    bool backupEligible = false;
    bool backedUp = false;
    bool userVerified = false;
    QString fmt;            // attestation statement format, not verified ("none" policy)
    QStringList transports; // empty here; the caller copies getTransports() in
};

// Registration (§7.1): clientData (type "webauthn.create", challenge, origin,
// crossOrigin), attestationObject (fmt, attStmt, authData), authData (rpIdHash, UP, UV
// when required, AT, BS only with BE, credential id, a supported COSE key, extensions
// well-formed, nothing after them). The attestation statement is not verified.
[[nodiscard]] Result<RegisteredCredential> verifyRegistration(const RelyingParty &rp,
                                                              const QByteArray &expectedChallenge,
                                                              bool userVerificationRequired,
                                                              const RegistrationResponse &response);

// What the caller stored at registration.
struct StoredCredential
{
    QByteArray credentialId;
    QByteArray publicKeyCose;
    Algorithm alg = Algorithm::ES256;
    quint32 signCount = 0;
    bool backupEligible = false;
    QByteArray userHandle; // the user.id the credential was created with
};

// What the browser returned from navigator.credentials.get(), base64url-decoded.
struct AssertionResponse
{
    QByteArray credentialId; // rawId
    QByteArray clientDataJson;
    QByteArray authenticatorData;
    QByteArray signature;
    QByteArray userHandle; // may be empty for non-discoverable credentials
};

struct AssertionOutcome
{
    quint32 signCount = 0; // store it as the credential's new sign count
    bool userVerified = false;
    bool backupEligible = false;
    bool backedUp = false; // store it: BS may change over a credential's life
};

// Authentication (§7.2): credential id and user handle match the stored credential
// (a user handle is required when `userHandleRequired`, i.e. for discoverable sign-in
// where the user was not named first), clientData (type "webauthn.get", challenge,
// origin, crossOrigin), authData (rpIdHash, UP, UV when required, BE unchanged, BS only
// with BE), the signature over authenticatorData || SHA-256(clientDataJSON) with the
// stored key, and the sign count: when both the stored and the new count are non-zero
// the new one must be greater, otherwise the authenticator may be a clone and the
// assertion is refused.
[[nodiscard]] Result<AssertionOutcome>
verifyAssertion(const RelyingParty &rp, const QByteArray &expectedChallenge,
                bool userVerificationRequired, bool userHandleRequired,
                const StoredCredential &credential, const AssertionResponse &response);

} // namespace WebAuthn
