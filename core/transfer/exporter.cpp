// SPDX-License-Identifier: GPL-3.0-or-later
#include "transfer/exporter.h"

#include "storage/database.h"
#include "storage/migrations.h"

#include <QHash>

using namespace Qt::StringLiterals;

namespace Transfer {

namespace {

QList<Namespace> namespaces(const Database &db)
{
    Sql q(db, u"SELECT name, disabled, created_by, created_at FROM namespaces ORDER BY name"_s);
    q.exec();
    QList<Namespace> out;
    while (q.next())
        out.append({q.value(u"name"_s).toString(), q.value(u"disabled"_s).toInt() != 0,
                    q.value(u"created_by"_s).toString(), q.value(u"created_at"_s).toLongLong()});
    return out;
}

QList<PinRole> pinRoles(const Database &db)
{
    Sql q(db, u"SELECT r.name, r.created_at, p.name AS permission FROM pin_roles r "
              u"LEFT JOIN pin_role_permissions rp ON rp.role_id = r.id "
              u"LEFT JOIN pin_permissions p ON p.id = rp.permission_id "
              u"ORDER BY r.name, p.name"_s);
    q.exec();
    QList<PinRole> out;
    while (q.next()) {
        if (out.isEmpty() || out.last().name != q.value(u"name"_s).toString())
            out.append({q.value(u"name"_s).toString(), {}, q.value(u"created_at"_s).toLongLong()});
        if (!q.value(u"permission"_s).isNull())
            out.last().permissions << q.value(u"permission"_s).toString();
    }
    return out;
}

void addIdentities(const Database &db, QHash<QString, User *> &byId)
{
    Sql q(db, u"SELECT user_id, kind, subject, display, created_at FROM identities "
              u"ORDER BY user_id, created_at, kind, subject"_s);
    q.exec();
    while (q.next())
        if (User *user = byId.value(q.value(u"user_id"_s).toString()))
            user->identities.append(
                {q.value(u"kind"_s).toString(), q.value(u"subject"_s).toString(),
                 q.value(u"display"_s).toString(), q.value(u"created_at"_s).toLongLong()});
}

void addWallets(const Database &db, QHash<QString, User *> &byId, bool sensitive)
{
    Sql q(db, u"SELECT user_id, id, network, address, wallet_type, sealed_key, created_at "
              u"FROM wallets ORDER BY user_id, created_at, network, address"_s);
    q.exec();
    while (q.next())
        if (User *user = byId.value(q.value(u"user_id"_s).toString()))
            user->wallets.append({q.value(u"id"_s).toString(), q.value(u"network"_s).toString(),
                                  q.value(u"address"_s).toString(),
                                  q.value(u"wallet_type"_s).toString(),
                                  sensitive ? q.value(u"sealed_key"_s).toString() : QString(),
                                  q.value(u"created_at"_s).toLongLong()});
}

QList<User> users(const Database &db, bool sensitive)
{
    Sql q(db, u"SELECT id, username, email, display_name, role, is_admin, email_verified, "
              u"disabled, referrer_id, tier, password_hash, pin_hash, created_at FROM users "
              u"ORDER BY created_at, id"_s);
    q.exec();
    QList<User> out;
    while (q.next()) {
        User u;
        u.id = q.value(u"id"_s).toString();
        u.username = q.value(u"username"_s).toString();
        u.email = q.value(u"email"_s).toString();
        u.displayName = q.value(u"display_name"_s).toString();
        u.role = q.value(u"role"_s).toString();
        u.isAdmin = q.value(u"is_admin"_s).toInt() != 0;
        u.emailVerified = q.value(u"email_verified"_s).toInt() != 0;
        u.disabled = q.value(u"disabled"_s).toInt() != 0;
        u.referrerId = q.value(u"referrer_id"_s).toString();
        u.tier = q.value(u"tier"_s).toInt();
        if (sensitive) {
            u.passwordHash = q.value(u"password_hash"_s).toString();
            u.pinHash = q.value(u"pin_hash"_s).toString();
        }
        u.createdAt = q.value(u"created_at"_s).toLongLong();
        out.append(u);
    }
    QHash<QString, User *> byId;
    for (User &u : out)
        byId.insert(u.id, &u);
    addIdentities(db, byId);
    addWallets(db, byId, sensitive);
    return out;
}

QList<TelegramBinding> bindings(const Database &db, const QString &fingerprint)
{
    Sql q(db, u"SELECT telegram_user_id, namespace, username, first_name, last_name, bound_at "
              u"FROM telegram_bindings WHERE secret_fingerprint = :fp "
              u"ORDER BY telegram_user_id"_s);
    q.bind(u":fp"_s, fingerprint).exec();
    QList<TelegramBinding> out;
    while (q.next())
        out.append({q.value(u"telegram_user_id"_s).toString(), q.value(u"namespace"_s).toString(),
                    q.value(u"username"_s).toString(), q.value(u"first_name"_s).toString(),
                    q.value(u"last_name"_s).toString(), q.value(u"bound_at"_s).toLongLong()});
    return out;
}

} // namespace

Document collect(const Database &db, const QString &bindingFingerprint, bool sensitive,
                 qint64 nowMs)
{
    Document doc;
    // One transaction: the parts agree with each other even while the server writes.
    db.write([&] {
        doc.schemaVersion = schemaVersion(db);
        doc.exportedAt = nowMs;
        doc.sensitive = sensitive;
        doc.namespaces = namespaces(db);
        doc.pinRoles = pinRoles(db);
        doc.users = users(db, sensitive);
        doc.telegramBindings = bindings(db, bindingFingerprint);
    });
    return doc;
}

} // namespace Transfer
