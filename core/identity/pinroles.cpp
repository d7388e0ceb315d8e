// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/pinroles.h"

#include "clock.h"
#include "identity/audit.h"
#include "storage/database.h"
#include "storage/table.h"

#include <QRegularExpression>
#include <QUuid>
#include <atomic>

using namespace Qt::StringLiterals;

namespace {

const Table<PinPermission> kPermissions{u"pin_permissions"_s,
                                        {
                                            {u"id"_s, &PinPermission::id},
                                            {u"name"_s, &PinPermission::name},
                                            {u"description"_s, &PinPermission::description},
                                            {u"enabled"_s, &PinPermission::enabled},
                                        }};

// The columns of pin_roles the role struct holds (its permissions and holders are
// other tables').
const Table<PinRole> kRoles{u"pin_roles"_s,
                            {
                                {u"id"_s, &PinRole::id},
                                {u"name"_s, &PinRole::name},
                                {u"created_at"_s, &PinRole::createdAt},
                            }};

QList<PinPermission> permissionsOf(const Database &db, const QString &roleId)
{
    Sql q(db, kPermissions.select(u"WHERE id IN (SELECT permission_id FROM pin_role_permissions "
                                  u"WHERE role_id = :role) ORDER BY name"_s));
    q.bind(u":role"_s, roleId).exec();
    QList<PinPermission> out;
    while (q.next())
        out.append(kPermissions.read(q));
    return out;
}

qint64 holdersOf(const Database &db, const QString &name)
{
    Sql q(db, u"SELECT COUNT(*) AS n FROM users WHERE lower(role) = :name"_s);
    q.bind(u":name"_s, name).exec().next();
    return q.value(u"n"_s).toLongLong();
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
    : m_db(db), m_clock(clock), m_audit(audit), m_recent(clock, {})
{}

bool PinRoles::isValidName(QStringView name)
{
    static const QRegularExpression re(u"^[A-Za-z0-9_.-]{1,32}$"_s);
    return re.match(name).hasMatch();
}

QList<PinPermission> PinRoles::catalog() const
{
    Sql q(m_db, kPermissions.select(u"ORDER BY name"_s));
    q.exec();
    QList<PinPermission> out;
    while (q.next())
        out.append(kPermissions.read(q));
    return out;
}

QList<PinRole> PinRoles::list() const
{
    QList<PinRole> out;
    {
        Sql q(m_db, kRoles.select(u"ORDER BY name"_s));
        q.exec();
        while (q.next())
            out.append(kRoles.read(q));
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
        Sql q(m_db, kRoles.select(u"WHERE name = :name"_s));
        if (!q.bind(u":name"_s, name.trimmed().toLower()).exec().next())
            return std::nullopt;
        role = kRoles.read(q);
    }
    role.permissions = permissionsOf(m_db, role.id);
    role.holders = holdersOf(m_db, role.name);
    static std::atomic<quint64> reads{0};
    role.readId = ++reads;
    return role;
}

std::optional<PinRole> PinRoles::current(const QString &name) const
{
    if (Database::inWrite())
        return byName(name);
    return m_recent.get(name.toLower(), [&] { return byName(name); });
}

// Roles are few: any change forgets them all, now and once committed.
void PinRoles::forgetWhenWritten() const
{
    m_recent.clear();
    Database::whenWritten([this] { m_recent.clear(); });
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

void PinRoles::record(AuditEvent event) const
{
    event.ip = u"local"_s;
    event.result = u"ok"_s;
    m_audit.record(std::move(event));
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
        Sql insert(m_db, kRoles.insert());
        kRoles.bind(insert, {.id = id, .name = name, .createdAt = m_clock.nowMs()});
        insert.exec();
        replacePermissions(id, *ids);
        created = true;
    });
    forgetWhenWritten();
    if (!created)
        return R::failure(Refusal::Kind::Conflict, u"a role named %1 exists"_s.arg(name));
    const auto role = byName(name);
    record({.actor = actor,
            .action = u"role.add"_s,
            .subject = u"role:"_s + name,
            .surface = surface,
            .detail = namesOf(role->permissions).join(u' ')});
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
    forgetWhenWritten();
    const auto changed = byName(role->name);
    record({.actor = actor,
            .action = u"role.set-perms"_s,
            .subject = u"role:"_s + role->name,
            .surface = surface,
            .detail = namesOf(changed->permissions).join(u' ')});
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
    forgetWhenWritten();
    record({.actor = actor,
            .action = u"role.remove"_s,
            .subject = u"role:"_s + role->name,
            .surface = surface});
    return Done{};
}
