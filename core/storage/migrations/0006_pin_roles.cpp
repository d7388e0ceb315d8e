// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/migrations.h"

#include <QCryptographicHash>

using namespace Qt::StringLiterals;

namespace {

// Ambrosia's permission catalog after its migrations V2 and V5 (name, description).
struct SeedPermission
{
    const char16_t *name;
    const char16_t *description;
};
const SeedPermission kCatalog[] = {
    {u"users_read", u"List and view users"},
    {u"users_create", u"Create users"},
    {u"users_update", u"Update users"},
    {u"users_delete", u"Delete users"},
    {u"roles_read", u"List and view roles"},
    {u"roles_create", u"Create roles"},
    {u"roles_update", u"Update roles"},
    {u"roles_delete", u"Delete roles"},
    {u"permissions_read", u"List and view permissions"},
    {u"products_read", u"List and view dishes/products"},
    {u"products_create", u"Create dishes/products"},
    {u"products_update", u"Update dishes/products"},
    {u"products_delete", u"Delete dishes/products"},
    {u"ingredients_read", u"List and view ingredients"},
    {u"ingredients_create", u"Create ingredients"},
    {u"ingredients_update", u"Update ingredients"},
    {u"ingredients_delete", u"Delete ingredients"},
    {u"suppliers_read", u"List and view suppliers"},
    {u"suppliers_create", u"Create suppliers"},
    {u"suppliers_update", u"Update suppliers"},
    {u"suppliers_delete", u"Delete suppliers"},
    {u"orders_read", u"List and view orders"},
    {u"orders_create", u"Create orders"},
    {u"orders_update", u"Update orders"},
    {u"orders_export", u"Export orders data"},
    {u"tickets_read", u"List and view tickets"},
    {u"tickets_create", u"Create tickets"},
    {u"tickets_update", u"Update tickets"},
    {u"payments_read", u"List and view payments"},
    {u"payments_create", u"Create payments"},
    {u"tables_read", u"List and view tables"},
    {u"tables_update", u"Update tables (status, links)"},
    {u"spaces_read", u"List and view spaces"},
    {u"spaces_create", u"Create spaces"},
    {u"spaces_update", u"Update spaces"},
    {u"spaces_delete", u"Delete spaces"},
    {u"shifts_read", u"List and view shifts"},
    {u"shifts_create", u"Create shifts"},
    {u"shifts_update", u"Update shifts"},
    {u"reports_read", u"View reports"},
    {u"reports_export", u"Export reports"},
    {u"settings_read", u"View settings/config"},
    {u"settings_update", u"Update settings/config"},
    {u"printer_update", u"Update ticket printer configuration"},
    {u"wallet_read", u"Access wallet/UI for payments"},
    {u"payments_update", u"Update payments"},
    {u"payments_delete", u"Delete payments"},
    {u"shifts_delete", u"Delete shifts"},
    {u"dish_read", u"List and View dishes"},
    {u"dish_create", u"Create dishes"},
    {u"dish_update", u"Update dishes"},
    {u"dish_delete", u"Delete dishes"},
    {u"categories_read", u"List and view categories"},
    {u"categories_create", u"Create categories"},
    {u"categories_update", u"Update categories"},
    {u"categories_delete", u"Delete categories"},
    {u"tables_create", u"Create tables"},
    {u"tables_delete", u"Delete tables"},
};

// Stable ids, 32 hex digits like the origin's: every database gets the same ones.
QString seedId(const QString &kind, const QString &name)
{
    return QString::fromLatin1(
        QCryptographicHash::hash((kind + u':' + name).toUtf8(), QCryptographicHash::Md5).toHex());
}

QString quoted(QString text)
{
    return u'\'' + text.replace(u'\'', u"''"_s) + u'\'';
}

// The roles an Ambrosia till starts with (its client's role templates), plus "user": the
// role `gatehouse user set-pin` gives when no --role is named, so PIN users made before
// roles existed keep logging in. Names not in the catalog (the templates' orders_delete)
// are left out, as the origin's replaceRolePermissions drops them.
struct SeedRole
{
    const char16_t *name;
    QStringList permissions; // empty: every permission (the admin role)
};

QList<SeedRole> seedRoles()
{
    const QStringList seller = {u"products_read"_s,   u"categories_read"_s, u"orders_create"_s,
                                u"orders_read"_s,     u"payments_create"_s, u"payments_read"_s,
                                u"payments_update"_s, u"tickets_read"_s,    u"tickets_create"_s,
                                u"shifts_read"_s,     u"shifts_create"_s,   u"shifts_update"_s};
    QStringList cashier = seller;
    cashier << u"orders_update"_s;
    QStringList manager = {u"products_create"_s,   u"products_update"_s, u"categories_create"_s,
                           u"categories_update"_s, u"tickets_update"_s,  u"users_read"_s,
                           u"settings_update"_s,   u"wallet_read"_s};
    manager << cashier;
    return {{u"admin", {}},
            {u"manager", manager},
            {u"cashier", cashier},
            {u"seller", seller},
            {u"user", seller}};
}

} // namespace

QStringList pinPermissionCatalog()
{
    QStringList out;
    for (const SeedPermission &p : kCatalog)
        out << QString::fromUtf16(p.name);
    return out;
}

// PIN roles (seed 002, Ambrosia's roles and permissions): a login answers the role's
// permission list, and the admin manages roles from the console and the CLI. The
// permission catalog is fixed (Ambrosia manages it by migrations too); a user's role is
// the users.role name, matched case-insensitively.
QStringList migration0006PinRoles()
{
    QStringList out = {
        u"CREATE TABLE pin_permissions ("
        u"  id TEXT PRIMARY KEY,"
        u"  name TEXT NOT NULL UNIQUE,"
        u"  description TEXT NOT NULL,"
        u"  enabled INTEGER NOT NULL DEFAULT 1)"_s,
        u"CREATE TABLE pin_roles ("
        u"  id TEXT PRIMARY KEY,"
        u"  name TEXT NOT NULL UNIQUE,"
        u"  created_at BIGINT NOT NULL)"_s,
        u"CREATE TABLE pin_role_permissions ("
        u"  role_id TEXT NOT NULL REFERENCES pin_roles (id) ON DELETE CASCADE,"
        u"  permission_id TEXT NOT NULL REFERENCES pin_permissions (id),"
        u"  PRIMARY KEY (role_id, permission_id))"_s,
        // Counting a role's holders (removing a role in use is refused).
        u"CREATE INDEX users_role_lower ON users (lower(role))"_s,
    };
    for (const SeedPermission &p : kCatalog) {
        const QString name = QString::fromUtf16(p.name);
        out << u"INSERT INTO pin_permissions (id, name, description, enabled) "
               u"VALUES (%1, %2, %3, 1)"_s.arg(quoted(seedId(u"pin-permission"_s, name)),
                                               quoted(name),
                                               quoted(QString::fromUtf16(p.description)));
    }
    for (const SeedRole &role : seedRoles()) {
        const QString name = QString::fromUtf16(role.name);
        const QString id = quoted(seedId(u"pin-role"_s, name));
        out << u"INSERT INTO pin_roles (id, name, created_at) VALUES (%1, %2, 0)"_s.arg(
            id, quoted(name));
        QStringList names;
        for (const QString &p : role.permissions)
            names << quoted(p);
        out << u"INSERT INTO pin_role_permissions (role_id, permission_id) "
               u"SELECT %1, id FROM pin_permissions%2"_s.arg(
                   id,
                   names.isEmpty() ? QString() : u" WHERE name IN ("_s + names.join(u',') + u')');
    }
    return out;
}
