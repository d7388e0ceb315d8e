// SPDX-License-Identifier: GPL-3.0-or-later
// The options half of WebAuthn: what the browser is handed before a ceremony, in the JSON
// form of WebAuthn L3 §5.1.1/§5.1.2 (byte fields as unpadded base64url), so a page can
// pass it to PublicKeyCredential.parseCreationOptionsFromJSON() or decode it by hand.
#include "identity/webauthn.h"

#include "crypto/base64url.h"
#include "crypto/random.h"

#include <QJsonArray>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace WebAuthn {
namespace {

constexpr int kChallengeBytes = 32;
constexpr int kUserHandleBytes = 32;

QString b64(const QByteArray &raw)
{
    return QString::fromLatin1(Base64Url::encode(raw));
}

QString name(UserVerification uv)
{
    switch (uv) {
    case UserVerification::Required:
        return u"required"_s;
    case UserVerification::Preferred:
        return u"preferred"_s;
    case UserVerification::Discouraged:
        return u"discouraged"_s;
    }
    return u"preferred"_s;
}

QString name(ResidentKey rk)
{
    switch (rk) {
    case ResidentKey::Discouraged:
        return u"discouraged"_s;
    case ResidentKey::Preferred:
        return u"preferred"_s;
    case ResidentKey::Required:
        return u"required"_s;
    }
    return u"preferred"_s;
}

QJsonArray descriptors(const QList<CredentialDescriptor> &credentials)
{
    QJsonArray out;
    for (const CredentialDescriptor &credential : credentials) {
        QJsonObject item{{u"type"_s, u"public-key"_s}, {u"id"_s, b64(credential.id)}};
        if (!credential.transports.isEmpty())
            item.insert(u"transports"_s, QJsonArray::fromStringList(credential.transports));
        out.append(item);
    }
    return out;
}

} // namespace

RelyingParty relyingPartyFor(const QString &publicUrl, const QString &name,
                             const QStringList &extraOrigins)
{
    RelyingParty rp;
    rp.name = name;
    const QUrl url(publicUrl);
    // The ASCII (punycode) host, as browsers serialise origins and compare RP IDs.
    const QString host = url.host(QUrl::FullyEncoded);
    if (!url.isValid() || host.isEmpty())
        return rp;
    rp.id = host;
    QUrl origin;
    origin.setScheme(url.scheme());
    origin.setHost(host);
    const bool defaultPort = (url.scheme() == u"https" && url.port() == 443) ||
                             (url.scheme() == u"http" && url.port() == 80);
    if (url.port() != -1 && !defaultPort)
        origin.setPort(url.port());
    rp.origins.append(origin.toString(QUrl::FullyEncoded));
    for (const QString &extra : extraOrigins) {
        if (!rp.origins.contains(extra))
            rp.origins.append(extra);
    }
    return rp;
}

QByteArray newChallenge()
{
    return Random::bytes(kChallengeBytes);
}

QByteArray newUserHandle()
{
    return Random::bytes(kUserHandleBytes);
}

QJsonObject creationOptions(const RelyingParty &rp, const CreationOptionsInput &input)
{
    QJsonArray params;
    for (const Algorithm alg : supportedAlgorithms())
        params.append(QJsonObject{{u"type"_s, u"public-key"_s}, {u"alg"_s, int(alg)}});
    const QJsonObject selection{
        {u"residentKey"_s, name(input.residentKey)},
        // Level 1 browsers read only this one.
        {u"requireResidentKey"_s, input.residentKey == ResidentKey::Required},
        {u"userVerification"_s, name(input.userVerification)},
    };
    return QJsonObject{
        {u"rp"_s, QJsonObject{{u"id"_s, rp.id}, {u"name"_s, rp.name}}},
        {u"user"_s, QJsonObject{{u"id"_s, b64(input.user.handle)},
                                {u"name"_s, input.user.name},
                                {u"displayName"_s, input.user.displayName}}},
        {u"challenge"_s, b64(input.challenge)},
        {u"pubKeyCredParams"_s, params},
        {u"timeout"_s, input.timeoutMs},
        {u"excludeCredentials"_s, descriptors(input.excludeCredentials)},
        {u"authenticatorSelection"_s, selection},
        {u"attestation"_s, u"none"_s},
    };
}

QJsonObject requestOptions(const RelyingParty &rp, const RequestOptionsInput &input)
{
    return QJsonObject{
        {u"challenge"_s, b64(input.challenge)},
        {u"timeout"_s, input.timeoutMs},
        {u"rpId"_s, rp.id},
        {u"allowCredentials"_s, descriptors(input.allowCredentials)},
        {u"userVerification"_s, name(input.userVerification)},
    };
}

} // namespace WebAuthn
