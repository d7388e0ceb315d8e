// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "identity/freshcache.h"
#include "result.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

class AuditLog;
struct AuditEvent;
class Clock;
class Database;

// One entry of the fixed permission catalog (Ambrosia's `permissions` table).
struct PinPermission
{
    QString id;
    QString name;
    QString description;
    bool enabled = true;
};

struct PinRole
{
    QString id;
    QString name;
    QList<PinPermission> permissions = {}; // by name
    qint64 createdAt = 0;
    qint64 holders = 0; // users whose role this is
    // Unique to each read of the role from the database (byName(), current() when it
    // reads): two roles with the same nonzero readId hold the same permissions, so what is
    // derived from them (GET /users/me's permission list) can be kept by it. Never reused,
    // unlike an address; 0: not from byName().
    quint64 readId = 0;
};

// The PIN surface's roles: what a login answers as `perms`, managed by the admin from
// the console and `gatehouse role …`. A user's role is the users.role name, compared
// case-insensitively; role names are stored in lower case.
class PinRoles
{
public:
    PinRoles(const Database &db, const Clock &clock, AuditLog &audit);

    static bool isValidName(QStringView name); // 1-32 of a-z 0-9 _ . - (any case)

    QList<PinPermission> catalog() const;
    QList<PinRole> list() const;
    std::optional<PinRole> byName(const QString &name) const;
    // byName() for token checks (GET /users/me): kept in this process for at most 500 ms
    // and forgotten by every change made here (freshcache.h). `holders` may be stale.
    std::optional<PinRole> current(const QString &name) const;

    // `permissions` are catalog names; an unknown one refuses the whole change.
    Result<PinRole> add(const QString &name, const QStringList &permissions, const QString &actor,
                        const QString &surface);
    Result<PinRole> setPermissions(const QString &name, const QStringList &permissions,
                                   const QString &actor, const QString &surface);
    // Refused while a user still has the role: they would be locked out of the till.
    Result<Done> remove(const QString &name, const QString &actor, const QString &surface);

private:
    Result<QStringList> permissionIds(const QStringList &names) const;
    void replacePermissions(const QString &roleId, const QStringList &permissionIds) const;
    void record(AuditEvent event) const; // address "local", result "ok"
    void forgetWhenWritten() const;

    const Database &m_db;
    const Clock &m_clock;
    AuditLog &m_audit;
    mutable FreshCache<PinRole> m_recent; // lower-case name -> role
};
