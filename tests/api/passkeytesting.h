// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The account surface's passkey routes driven as a browser would: FakeAuthenticator
// (tests/support/fakes, a software authenticator over OpenSSL keys) answers the options
// the server hands out, and its answers travel as the L3 JSON a page posts.
#include "accounttesting.h"
#include "crypto/base64url.h"
#include "fakeauthenticator.h"

namespace PasskeyTesting {

inline const QString kRpId = u"id.example.test"_s;
inline const QString kOrigin = u"https://id.example.test"_s;

inline QString b64(const QByteArray &raw)
{
    return QString::fromLatin1(Base64Url::encode(raw));
}

inline QByteArray unb64(const QJsonValue &v)
{
    return Base64Url::decode(v.toString().toLatin1()).value_or(QByteArray());
}

inline QJsonObject registrationJson(const QByteArray &credentialId,
                                    const WebAuthn::RegistrationResponse &r)
{
    return {
        {u"id"_s, b64(credentialId)},
        {u"rawId"_s, b64(credentialId)},
        {u"type"_s, u"public-key"_s},
        {u"clientExtensionResults"_s, QJsonObject()},
        {u"response"_s, QJsonObject{{u"clientDataJSON"_s, b64(r.clientDataJson)},
                                    {u"attestationObject"_s, b64(r.attestationObject)},
                                    {u"transports"_s, QJsonArray{u"internal"_s, u"hybrid"_s}}}}};
}

inline QJsonObject assertionJson(const WebAuthn::AssertionResponse &r)
{
    return {{u"id"_s, b64(r.credentialId)},
            {u"rawId"_s, b64(r.credentialId)},
            {u"type"_s, u"public-key"_s},
            {u"clientExtensionResults"_s, QJsonObject()},
            {u"response"_s, QJsonObject{{u"clientDataJSON"_s, b64(r.clientDataJson)},
                                        {u"authenticatorData"_s, b64(r.authenticatorData)},
                                        {u"signature"_s, b64(r.signature)},
                                        {u"userHandle"_s, b64(r.userHandle)}}}};
}

// Fetches creation options for `jwt`, lets `authenticator` answer them (taking the
// user handle they name) and posts the answer: the reply of /me/passkeys/register.
inline HttpReply registerPasskey(TestServer &server, const QByteArray &jwt,
                                 FakeAuthenticator &authenticator, const QString &origin = kOrigin,
                                 const QString &label = {})
{
    HttpClient http = server.client();
    const HttpReply options = http.request("POST", "/api/auth/me/passkeys/register/options", "{}",
                                           AccountTesting::bearer(jwt));
    if (options.status != 200)
        return options;
    const QJsonObject o = options.json();
    authenticator.userHandle = unb64(o.value(u"user"_s).toObject().value(u"id"_s));
    const auto response =
        authenticator.create(o.value(u"rp"_s).toObject().value(u"id"_s).toString(), origin,
                             unb64(o.value(u"challenge"_s)));
    QJsonObject body{{u"response"_s, registrationJson(authenticator.credentialId, response)}};
    if (!label.isEmpty())
        body.insert(u"label"_s, label);
    return http.postJson("/api/auth/me/passkeys/register", body, AccountTesting::bearer(jwt));
}

struct Begun
{
    QString ceremony;
    QByteArray challenge;
    QJsonObject options;
};

inline Begun loginOptions(TestServer &server)
{
    const QJsonObject answer = server.client().postJson("/api/auth/passkey/options", {}).json();
    const QJsonObject options = answer.value(u"options"_s).toObject();
    return {answer.value(u"ceremony"_s).toString(), unb64(options.value(u"challenge"_s)), options};
}

// The body a page posts to /api/auth/passkey/login for `begun`.
inline QJsonObject loginBody(const Begun &begun, const WebAuthn::AssertionResponse &response)
{
    return {{u"ceremony"_s, begun.ceremony}, {u"response"_s, assertionJson(response)}};
}

inline HttpReply passkeyLogin(TestServer &server, const FakeAuthenticator &authenticator,
                              const QString &origin = kOrigin, const QString &rpId = kRpId)
{
    const Begun begun = loginOptions(server);
    return server.client().postJson(
        "/api/auth/passkey/login",
        loginBody(begun, authenticator.get(rpId, origin, begun.challenge)));
}

} // namespace PasskeyTesting
