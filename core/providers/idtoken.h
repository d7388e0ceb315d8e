// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArrayView>
#include <QJsonObject>
#include <QString>

class RemoteJsonCache;

// OpenID Connect ID tokens and Sign in with Apple identity tokens: the signature is
// checked against the issuer's JWKS (RS256 or ES256 only), then iss, aud (and azp
// when there are several audiences), exp, iat and a non-empty sub. Throws
// Refusal: Unauthorized for a bad token, ProviderUnreachable when the key set
// cannot be fetched.
namespace IdToken {
constexpr qint64 kClockSkewSecs = 60;

struct Expected
{
    QString jwksUrl;
    QString issuer;   // must equal the token's iss exactly
    QString audience; // our client id
    QString who;      // "Apple", "google"… for messages
};

[[nodiscard]] QJsonObject verify(QByteArrayView token, const Expected &expected, qint64 nowSecs,
                                 RemoteJsonCache &cache);
} // namespace IdToken
