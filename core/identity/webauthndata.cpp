// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/webauthndata.h"

#include "crypto/base64url.h"
#include "crypto/cbor.h"
#include "crypto/digest.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtEndian>

using namespace Qt::StringLiterals;

namespace WebAuthn::Data {
namespace {

constexpr qsizetype kFixedLength = 37; // rpIdHash (32), flags (1), signCount (4)
constexpr qsizetype kAaguidLength = 16;

Refusal malformed(const QString &detail)
{
    return Refusal(Refusal::Kind::InvalidInput, u"the passkey response is malformed"_s, detail);
}

Refusal mismatch(const QString &message, const QString &detail)
{
    return Refusal(Refusal::Kind::TokenInvalid, message, detail);
}

// Reads the attested credential data at `pos` and moves `pos` past it.
Result<Done> readAttestedCredential(QByteArrayView raw, qsizetype &pos, AuthenticatorData &out)
{
    if (raw.size() - pos < kAaguidLength + 2)
        return malformed(u"authData: attested credential data is truncated"_s);
    out.aaguid = raw.sliced(pos, kAaguidLength).toByteArray();
    pos += kAaguidLength;
    const qsizetype idLength = qFromBigEndian<quint16>(raw.data() + pos);
    pos += 2;
    if (idLength == 0 || idLength > kMaxCredentialId)
        return malformed(u"authData.credentialId: %1 bytes (1 to 1023 allowed)"_s.arg(idLength));
    if (raw.size() - pos < idLength)
        return malformed(u"authData.credentialId: truncated"_s);
    out.credentialId = raw.sliced(pos, idLength).toByteArray();
    pos += idLength;
    qsizetype keyLength = 0;
    const auto key = CborItem::parse(raw.sliced(pos), &keyLength);
    if (!key)
        return malformed(u"authData.credentialPublicKey: "_s + key.refusal().detail);
    if (!key->isMap())
        return malformed(u"authData.credentialPublicKey: not a CBOR map"_s);
    out.publicKeyCose = raw.sliced(pos, keyLength).toByteArray();
    pos += keyLength;
    return Done{};
}

} // namespace

Result<AuthenticatorData> parseAuthenticatorData(QByteArrayView raw)
{
    if (raw.size() < kFixedLength)
        return malformed(u"authData: %1 bytes, at least 37 expected"_s.arg(raw.size()));
    AuthenticatorData out;
    out.rpIdHash = raw.first(32).toByteArray();
    out.flags = quint8(raw[32]);
    out.signCount = qFromBigEndian<quint32>(raw.data() + 33);
    qsizetype pos = kFixedLength;
    if (out.has(kAttestedCredential)) {
        const auto read = readAttestedCredential(raw, pos, out);
        if (!read)
            return read.refusal();
    }
    if (out.has(kExtensions)) {
        // Extensions are not used; they only have to be one well-formed CBOR map.
        qsizetype length = 0;
        const auto extensions = CborItem::parse(raw.sliced(pos), &length);
        if (!extensions || !extensions->isMap())
            return malformed(u"authData.extensions: not one CBOR map"_s);
        pos += length;
    }
    if (pos != raw.size())
        return malformed(u"authData: %1 unexpected bytes at the end"_s.arg(raw.size() - pos));
    return out;
}

Result<Done> checkClientData(QByteArrayView json, QStringView type,
                             const QByteArray &expectedChallenge, const RelyingParty &rp)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(json.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return malformed(u"clientDataJSON: not a JSON object"_s);
    const QJsonObject data = doc.object();
    const QString gotType = data.value(u"type"_s).toString();
    if (gotType != type)
        return mismatch(u"this passkey response is for a different step; start again"_s,
                        u"clientData.type: expected %1, got \"%2\""_s.arg(type, gotType.left(40)));
    const QJsonValue challenge = data.value(u"challenge"_s);
    if (expectedChallenge.isEmpty() || !challenge.isString() ||
        !Digest::equal(Base64Url::encode(expectedChallenge), challenge.toString().toUtf8()))
        return mismatch(u"this passkey response does not answer the current challenge; "
                        u"start again"_s,
                        u"clientData.challenge"_s);
    const QJsonValue origin = data.value(u"origin"_s);
    if (!origin.isString() || !rp.origins.contains(origin.toString()))
        return mismatch(u"this passkey response comes from a site that is not allowed"_s,
                        u"clientData.origin: \"%1\""_s.arg(origin.toString().left(200)));
    const QJsonValue crossOrigin = data.value(u"crossOrigin"_s);
    if (!crossOrigin.isUndefined() && !crossOrigin.isBool())
        return malformed(u"clientData.crossOrigin: not a boolean"_s);
    if (crossOrigin.toBool() && !rp.allowCrossOrigin)
        return mismatch(u"passkeys cannot be used from inside another site's frame"_s,
                        u"clientData.crossOrigin: true"_s);
    return Done{};
}

Result<Done> checkAuthenticatorData(const AuthenticatorData &data, const RelyingParty &rp,
                                    bool userVerificationRequired)
{
    if (!Digest::equal(data.rpIdHash, Digest::sha256(rp.id.toUtf8())))
        return mismatch(u"this passkey belongs to a different site"_s,
                        u"authData.rpIdHash: not SHA-256 of \"%1\""_s.arg(rp.id));
    if (!data.has(kUserPresent))
        return Refusal(Refusal::Kind::Forbidden,
                       u"the authenticator did not confirm that a person was present"_s,
                       u"authData.flags: UP not set"_s);
    if (userVerificationRequired && !data.has(kUserVerified))
        return Refusal(Refusal::Kind::Forbidden,
                       u"the authenticator did not verify you (PIN, fingerprint or face), "
                       u"which is required here"_s,
                       u"authData.flags: UV not set"_s);
    if (data.has(kBackedUp) && !data.has(kBackupEligible))
        return malformed(u"authData.flags: BS set without BE"_s);
    return Done{};
}

} // namespace WebAuthn::Data
