// SPDX-License-Identifier: GPL-3.0-or-later
#include "surfaces/userjson.h"

#include "http/orderedjson.h"

using namespace Qt::StringLiterals;

namespace {

QJsonValue orNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
}

int tierOf(const User &u)
{
    return u.tier >= 0 ? u.tier : (u.isAdmin ? 2 : 0);
}

} // namespace

QJsonObject userJson(const User &u)
{
    return {{u"id"_s, u.id},
            {u"username"_s, orNull(u.username)},
            {u"email"_s, orNull(u.email.isEmpty() ? u.username : u.email)},
            {u"tier"_s, tierOf(u)},
            {u"extra"_s, QJsonObject()},
            {u"name"_s, orNull(u.displayName)},
            {u"role"_s, u.role},
            {u"is_admin"_s, u.isAdmin},
            {u"is_active"_s, !u.disabled},
            {u"is_verified"_s, u.emailVerified},
            {u"referrer_id"_s, orNull(u.referrerId)},
            {u"created_at"_s, u.createdAt},
            {u"updated_at"_s, u.updatedAt}};
}

QByteArray userJsonText(const User &u)
{
    // QJsonObject's order: keys sorted. Integers print as QJsonDocument prints them.
    return orderedJsonText({{u"created_at"_s, QByteArray::number(u.createdAt)},
                            {u"email"_s, jsonTextOrNull(u.email.isEmpty() ? u.username : u.email)},
                            {u"extra"_s, "{}"_ba},
                            {u"id"_s, jsonText(u.id)},
                            {u"is_active"_s, jsonText(!u.disabled)},
                            {u"is_admin"_s, jsonText(u.isAdmin)},
                            {u"is_verified"_s, jsonText(u.emailVerified)},
                            {u"name"_s, jsonTextOrNull(u.displayName)},
                            {u"referrer_id"_s, jsonTextOrNull(u.referrerId)},
                            {u"role"_s, jsonText(u.role)},
                            {u"tier"_s, QByteArray::number(tierOf(u))},
                            {u"updated_at"_s, QByteArray::number(u.updatedAt)},
                            {u"username"_s, jsonTextOrNull(u.username)}});
}

QJsonObject grantJson(const NamespaceAuth::Grant &grant)
{
    QJsonObject user{{u"id"_s, grant.userId}};
    if (!grant.username.isEmpty())
        user.insert(u"username"_s, grant.username);
    if (!grant.firstName.isEmpty())
        user.insert(u"firstName"_s, grant.firstName);
    if (!grant.lastName.isEmpty())
        user.insert(u"lastName"_s, grant.lastName);
    return {{u"token"_s, QString::fromLatin1(grant.token)}, {u"user"_s, user}};
}

QByteArray grantJsonText(const NamespaceAuth::Grant &grant)
{
    OrderedFields user; // sorted: firstName, id, lastName, username
    if (!grant.firstName.isEmpty())
        user.append({u"firstName"_s, jsonText(grant.firstName)});
    user.append({u"id"_s, QByteArray::number(grant.userId)});
    if (!grant.lastName.isEmpty())
        user.append({u"lastName"_s, jsonText(grant.lastName)});
    if (!grant.username.isEmpty())
        user.append({u"username"_s, jsonText(grant.username)});
    // A JWT is base64url and dots: JSON text as it stands, between quotes.
    return orderedJsonText(
        {{u"token"_s, '"' + grant.token + '"'}, {u"user"_s, orderedJsonText(user)}});
}
