// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

struct User;

// What the provider says about a person (docs/oidc.md), per granted scope, in the ID
// token and at userinfo alike: openid gives sub only; profile adds name and
// preferred_username; email adds email and email_verified. sub is users.id for every
// kind of identity. A claim the user has no value for is left out.
namespace Claims {

QJsonObject forScope(const User &user, const QStringList &scopes);

// The ID token's own claims (OIDC Core 2), for one client and one sign-in.
struct IdToken
{
    QString issuer;   // settings.publicUrl
    QString clientId; // aud and azp
    QString nonce;    // empty: left out
    QString sessionId;
    QString amr;           // space-separated; empty: left out
    qint64 authTimeMs = 0; // when the person signed in
    qint64 nowMs = 0;
    qint64 lifetimeSecs = 600;
};
// iss, sub, aud, azp, exp, iat, auth_time, nonce, amr (an array), sid, and forScope().
QJsonObject idToken(const User &user, const QStringList &scopes, const IdToken &token);

} // namespace Claims
