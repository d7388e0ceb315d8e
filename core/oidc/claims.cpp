// SPDX-License-Identifier: GPL-3.0-or-later
#include "oidc/claims.h"

#include "identity/users.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace Claims {

QJsonObject forScope(const User &user, const QStringList &scopes)
{
    QJsonObject claims{{u"sub"_s, user.id}};
    if (scopes.contains(u"profile"_s)) {
        const QString name = user.displayName.isEmpty() ? user.username : user.displayName;
        if (!name.isEmpty())
            claims.insert(u"name"_s, name);
        if (!user.username.isEmpty())
            claims.insert(u"preferred_username"_s, user.username);
    }
    if (scopes.contains(u"email"_s) && !user.email.isEmpty()) {
        claims.insert(u"email"_s, user.email);
        claims.insert(u"email_verified"_s, user.emailVerified);
    }
    return claims;
}

QJsonObject idToken(const User &user, const QStringList &scopes, const IdToken &token)
{
    QJsonObject claims = forScope(user, scopes);
    const qint64 now = token.nowMs / 1000;
    claims.insert(u"iss"_s, token.issuer);
    claims.insert(u"aud"_s, token.clientId);
    claims.insert(u"azp"_s, token.clientId);
    claims.insert(u"iat"_s, now);
    claims.insert(u"exp"_s, now + token.lifetimeSecs);
    claims.insert(u"auth_time"_s, token.authTimeMs / 1000);
    if (!token.nonce.isEmpty())
        claims.insert(u"nonce"_s, token.nonce);
    if (!token.amr.isEmpty())
        claims.insert(u"amr"_s,
                      QJsonArray::fromStringList(token.amr.split(u' ', Qt::SkipEmptyParts)));
    if (!token.sessionId.isEmpty())
        claims.insert(u"sid"_s, token.sessionId);
    return claims;
}

} // namespace Claims
