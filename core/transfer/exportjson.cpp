// SPDX-License-Identifier: GPL-3.0-or-later
#include "transfer/exportjson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace Transfer {

namespace {

QJsonObject userJson(const User &u, bool sensitive)
{
    QJsonObject o{{u"id"_s, u.id},
                  {u"username"_s, u.username},
                  {u"email"_s, u.email},
                  {u"display_name"_s, u.displayName},
                  {u"role"_s, u.role},
                  {u"is_admin"_s, u.isAdmin},
                  {u"email_verified"_s, u.emailVerified},
                  {u"disabled"_s, u.disabled},
                  {u"referrer_id"_s, u.referrerId},
                  {u"created_at"_s, u.createdAt}};
    if (u.tier >= 0) // only a tier imported from an origin is stored
        o.insert(u"tier"_s, u.tier);
    if (sensitive) {
        o.insert(u"password_hash"_s, u.passwordHash);
        o.insert(u"pin_hash"_s, u.pinHash);
    }
    QJsonArray identities;
    for (const Identity &i : u.identities)
        identities.append(QJsonObject{{u"kind"_s, i.kind},
                                      {u"subject"_s, i.subject},
                                      {u"display"_s, i.display},
                                      {u"created_at"_s, i.createdAt}});
    o.insert(u"identities"_s, identities);
    QJsonArray wallets;
    for (const Wallet &w : u.wallets) {
        QJsonObject wallet{{u"id"_s, w.id},
                           {u"network"_s, w.network},
                           {u"address"_s, w.address},
                           {u"wallet_type"_s, w.walletType},
                           {u"created_at"_s, w.createdAt}};
        if (sensitive)
            wallet.insert(u"sealed_key"_s, w.sealedKey);
        wallets.append(wallet);
    }
    o.insert(u"wallets"_s, wallets);
    return o;
}

} // namespace

QByteArray toJson(const Document &doc)
{
    QJsonArray namespaces;
    for (const Namespace &n : doc.namespaces)
        namespaces.append(QJsonObject{{u"name"_s, n.name},
                                      {u"disabled"_s, n.disabled},
                                      {u"created_by"_s, n.createdBy},
                                      {u"created_at"_s, n.createdAt}});
    QJsonArray roles;
    for (const PinRole &r : doc.pinRoles)
        roles.append(QJsonObject{{u"name"_s, r.name},
                                 {u"permissions"_s, QJsonArray::fromStringList(r.permissions)},
                                 {u"created_at"_s, r.createdAt}});
    QJsonArray users;
    for (const User &u : doc.users)
        users.append(userJson(u, doc.sensitive));
    QJsonArray bindings;
    for (const TelegramBinding &b : doc.telegramBindings)
        bindings.append(QJsonObject{{u"telegram_user_id"_s, b.telegramUserId},
                                    {u"namespace"_s, b.ns},
                                    {u"username"_s, b.username},
                                    {u"first_name"_s, b.firstName},
                                    {u"last_name"_s, b.lastName},
                                    {u"bound_at"_s, b.boundAt}});
    const QJsonObject root{{u"format"_s, QString::fromUtf16(kFormatName)},
                           {u"version"_s, kFormatVersion},
                           {u"schema_version"_s, doc.schemaVersion},
                           {u"exported_at"_s, doc.exportedAt},
                           {u"sensitive"_s, doc.sensitive},
                           {u"namespaces"_s, namespaces},
                           {u"pin_roles"_s, roles},
                           {u"users"_s, users},
                           {u"telegram_bindings"_s, bindings}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

} // namespace Transfer
