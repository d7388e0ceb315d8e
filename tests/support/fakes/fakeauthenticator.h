// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "identity/webauthn.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <memory>
#include <utility>

// Hand-made CBOR (RFC 8949 §3, definite lengths) for tests that build authenticator
// output, including malformed output, byte by byte.
namespace TestCbor {
QByteArray head(int major, quint64 value);
QByteArray integer(qint64 value);
QByteArray bytes(const QByteArray &raw);
QByteArray text(const QString &value);
QByteArray map(const QList<std::pair<QByteArray, QByteArray>> &pairs); // encoded key, value
} // namespace TestCbor

// A software authenticator and the browser around it: it holds one credential key made
// with OpenSSL (P-256, Ed25519 or RSA-2048) and writes clientDataJSON, authenticator
// data, "none" attestation objects and assertion signatures as a browser and a
// CTAP2 authenticator would, so tests can drive both ceremonies and break any part.
class FakeAuthenticator
{
public:
    static constexpr quint8 kUp = 0x01, kUv = 0x04, kBe = 0x08, kBs = 0x10, kAt = 0x40, kEd = 0x80;

    explicit FakeAuthenticator(WebAuthn::Algorithm alg = WebAuthn::Algorithm::ES256);

    WebAuthn::Algorithm alg() const { return m_alg; }
    QByteArray credentialId;                  // 32 random bytes
    QByteArray userHandle;                    // 32 random bytes
    QByteArray aaguid = QByteArray(16, '\0'); // as most "none" attestations send it
    quint32 signCount = 0;                    // put into the next authenticator data
    quint8 flags = kUp | kUv;                 // without AT/ED, which are added as needed

    // The credential public key as a COSE_Key map (alg overridable to test refusals).
    QByteArray publicKeyCose(qint64 coseAlg = 0) const;

    static QByteArray clientDataJson(const QString &type, const QByteArray &challenge,
                                     const QString &origin, bool crossOrigin = false);
    // rpIdHash || flags || signCount, then attested credential data when `attested`.
    QByteArray authenticatorData(const QString &rpId, bool attested) const;
    static QByteArray attestationObject(const QByteArray &authData, QStringView fmt = u"none");
    // A signature over `data` in the credential's WebAuthn form (ES256: DER).
    QByteArray sign(const QByteArray &data) const;

    // navigator.credentials.create() and .get() as a browser at `origin` would answer.
    WebAuthn::RegistrationResponse create(const QString &rpId, const QString &origin,
                                          const QByteArray &challenge) const;
    WebAuthn::AssertionResponse get(const QString &rpId, const QString &origin,
                                    const QByteArray &challenge) const;
    // What the relying party stored after create() (sign count as given).
    WebAuthn::StoredCredential stored(quint32 storedSignCount = 0) const;

private:
    struct Key;
    WebAuthn::Algorithm m_alg;
    std::shared_ptr<Key> m_key;
};
