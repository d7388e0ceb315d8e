// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/pinroles.h"

#include "clock.h"
#include "identity/audit.h"
#include "storage/database.h"

#include <QRegularExpression>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace {

QList<PinPermission> permissionsOf(const Database &db, const QString &roleId)
{
    Sql q(db, u"SELECT p.id, p.name, p.description, p.enabled FROM pin_role_permissions rp "
              u"JOIN pin_permissions p ON p.id = rp.permission_id WHERE rp.role_id = :role "
              u"ORDER BY p.name"_s);
    q.bind(u":role"_s, roleId).exec();
    QList<PinPermission> out;
    while (q.next())
        out.append({q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                    q.value(3).toInt() != 0});
    return out;
}

qint64 holdersOf(const Database &db, const QString &name)
{
    Sql q(db, u"SELECT COUNT(*) FROM users WHERE lower(role) = :name"_s);
    q.bind(u":name"_s, name).exec().next();
    return q.value(0).toLongLong();
}

QStringList namesOf(const QList<PinPermission> &permissions)
{
    QStringList out;
    for (const PinPermission &p : permissions)
        out << p.name;
    return out;
}

} // namespace

PinRoles::PinRoles(const Database &db, const Clock &clock, AuditLog &audit)
    : m_db(db), m_clock(clock), m_audit(audit)
{}

bool PinRoles::isValidName(QStringView name)
{
    static const QRegularExpression re(u"^[A-Za-z0-9_.-]{1,32}$"_s);
    return re.match(name).hasMatch();
}

QList<PinPermission> PinRoles::catalog() const
{
    Sql q(m_db, u"SELECT id, name, description, enabled FROM pin_permissions ORDER BY name"_s);
    q.exec();
    QList<PinPermission> out;
    while (q.next())
        out.append({q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                    q.value(3).toInt() != 0});
    return out;
}

QList<PinRole> PinRoles::list() const
{
    QList<PinRole> out;
    {
        Sql q(m_db, u"SELECT id, name, created_at FROM pin_roles ORDER BY name"_s);
        q.exec();
        while (q.next())
            out.append(
                {q.value(0).toString(), q.value(1).toString(), {}, q.value(2).toLongLong(), 0});
    }
    for (PinRole &role : out) {
        role.permissions = permissionsOf(m_db, role.id);
        role.holders = holdersOf(m_db, role.name);
    }
    return out;
}

std::optional<PinRole> PinRoles::byName(const QString &name) const
{
    PinRole role;
    {
        Sql q(m_db, u"SELECT id, name, created_at FROM pin_roles WHERE name = :name"_s);
        if (!q.bind(u":name"_s, name.trimmed().toLower()).exec().next())
            return std::nullopt;
        role = {q.value(0).toString(), q.value(1).toString(), {}, q.value(2).toLongLong(), 0};
    }
    role.permissions = permissionsOf(m_db, role.id);
    role.holders = holdersOf(m_db, role.name);
    return role;
}

Result<QStringList> PinRoles::permissionIds(const QStringList &names) const
{
    const QList<PinPermission> known = catalog();
    QStringList ids;
    QStringList unknown;
    for (const QString &raw : names) {
        const QString name = raw.trimmed().toLower();
        if (name.isEmpty())
            continue;
        const auto it = std::find_if(known.begin(), known.end(),
                                     [&](const PinPermission &p) { return p.name == name; });
        if (it == known.end())
            unknown << name;
        else if (!ids.contains(it->id))
            ids << it->id;
    }
    if (!unknown.isEmpty())
        return Result<QStringList>::failure(
            Refusal::Kind::InvalidInput,
            u"unknown permission %1 (see `gatehouse role permissions`)"_s.arg(
                unknown.join(u", "_s)));
    return ids;
}

void PinRoles::replacePermissions(const QString &roleId, const QStringList &permissionIds) const
{
    Sql(m_db, u"DELETE FROM pin_role_permissions WHERE role_id = :role"_s)
        .bind(u":role"_s, roleId)
        .exec();
    for (const QString &id : permissionIds)
        Sql(m_db, u"INSERT INTO pin_role_permissions (role_id, permission_id) "
                  u"VALUES (:role, :permission)"_s)
            .bind(u":role"_s, roleId)
            .bind(u":permission"_s, id)
            .exec();
}

void PinRoles::record(const QString &actor, const QString &action, const QString &name,
                      const QString &surface, const QString &detail) const
{
    m_audit.record({0, 0, actor, action, u"role:"_s + name, surface, u"local"_s, u"ok"_s, detail});
}

Result<PinRole> PinRoles::add(const QString &rawName, const QStringList &permissions,
                              const QString &actor, const QString &surface)
{
    using R = Result<PinRole>;
    const QString name = rawName.trimmed().toLower();
    if (!isValidName(name))
        return R::failure(Refusal::Kind::InvalidInput,
                          u"a role name is 1 to 32 of the characters a-z 0-9 _ . -"_s);
    const auto ids = permissionIds(permissions);
    if (!ids)
        return R::failure(ids.refusal());
    bool created = false;
    m_db.write([&] {
        Sql exists(m_db, u"SELECT 1 FROM pin_roles WHERE name = :name"_s);
        if (exists.bind(u":name"_s, name).exec().next())
            return;
        const QString id = QUuid::createUuid().toString(QUuid::Id128);
        Sql(m_db, u"INSERT INTO pin_roles (id, name, created_at) VALUES (:id, :name, :now)"_s)
            .bind(u":id"_s, id)
            .bind(u":name"_s, name)
            .bind(u":now"_s, m_clock.nowMs())
            .exec();
        replacePermissions(id, *ids);
        created = true;
    });
    if (!created)
        return R::failure(Refusal::Kind::Conflict, u"a role named %1 exists"_s.arg(name));
    const auto role = byName(name);
    record(actor, u"role.add"_s, name, surface, namesOf(role->permissions).join(u' '));
    return *role;
}

Result<PinRole> PinRoles::setPermissions(const QString &rawName, const QStringList &permissions,
                                         const QString &actor, const QString &surface)
{
    using R = Result<PinRole>;
    const auto role = byName(rawName);
    if (!role)
        return R::failure(Refusal::Kind::NotFound, u"no role named %1"_s.arg(rawName.trimmed()));
    const auto ids = permissionIds(permissions);
    if (!ids)
        return R::failure(ids.refusal());
    m_db.write([&] { replacePermissions(role->id, *ids); });
    const auto changed = byName(role->name);
    record(actor, u"role.set-perms"_s, role->name, surface,
           namesOf(changed->permissions).join(u' '));
    return *changed;
}

Result<Done> PinRoles::remove(const QString &rawName, const QString &actor, const QString &surface)
{
    using R = Result<Done>;
    const auto role = byName(rawName);
    if (!role)
        return R::failure(Refusal::Kind::NotFound, u"no role named %1"_s.arg(rawName.trimmed()));
    if (role->holders > 0)
        return R::failure(Refusal::Kind::Conflict,
                          u"%1 user(s) have the role %2; give them another role "
                          u"first (gatehouse user set-pin NAME --role ROLE)"_s.arg(role->holders)
                              .arg(role->name));
    m_db.write([&] {
        Sql(m_db, u"DELETE FROM pin_role_permissions WHERE role_id = :id"_s)
            .bind(u":id"_s, role->id)
            .exec();
        Sql(m_db, u"DELETE FROM pin_roles WHERE id = :id"_s).bind(u":id"_s, role->id).exec();
    });
    record(actor, u"role.remove"_s, role->name, surface, QString());
    return Done{};
}
