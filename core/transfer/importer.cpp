// SPDX-License-Identifier: GPL-3.0-or-later
#include "transfer/importer.h"

#include "storage/database.h"
#include "storage/storageerror.h"
#include "transfer/userimport.h"

#include <QHash>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace Transfer {

namespace {

struct DryRunRollback
{
};

void importNamespaces(const Database &db, const QList<Namespace> &list, Counts &counts)
{
    for (const Namespace &n : list) {
        Sql q(db, u"SELECT disabled FROM namespaces WHERE name = :n"_s);
        q.bind(u":n"_s, n.name).exec();
        if (!q.next()) {
            Sql(db, u"INSERT INTO namespaces (name, disabled, created_at, created_by) "
                    u"VALUES (:n, :d, :at, :by)"_s)
                .bind(u":n"_s, n.name)
                .bind(u":d"_s, n.disabled ? 1 : 0)
                .bind(u":at"_s, n.createdAt)
                .bind(u":by"_s, n.createdBy.isEmpty() ? u"import"_s : n.createdBy)
                .exec();
            ++counts.created;
        } else if ((q.value(u"disabled"_s).toInt() != 0) != n.disabled) {
            Sql(db, u"UPDATE namespaces SET disabled = :d WHERE name = :n"_s)
                .bind(u":d"_s, n.disabled ? 1 : 0)
                .bind(u":n"_s, n.name)
                .exec();
            ++counts.updated;
        } else {
            ++counts.skipped;
        }
    }
}

QHash<QString, QString> permissionCatalog(const Database &db) // name -> id
{
    Sql q(db, u"SELECT name, id FROM pin_permissions"_s);
    q.exec();
    QHash<QString, QString> out;
    while (q.next())
        out.insert(q.value(u"name"_s).toString(), q.value(u"id"_s).toString());
    return out;
}

QStringList rolePermissions(const Database &db, const QString &roleId)
{
    Sql q(db, u"SELECT p.name FROM pin_role_permissions rp JOIN pin_permissions p "
              u"ON p.id = rp.permission_id WHERE rp.role_id = :r"_s);
    q.bind(u":r"_s, roleId).exec();
    QStringList out;
    while (q.next())
        out << q.value(u"name"_s).toString();
    out.sort(); // as the parser sorts: the database's collation may order differently
    return out;
}

void setRolePermissions(const Database &db, const QString &roleId, const QStringList &ids)
{
    Sql(db, u"DELETE FROM pin_role_permissions WHERE role_id = :r"_s).bind(u":r"_s, roleId).exec();
    for (const QString &id : ids)
        Sql(db, u"INSERT INTO pin_role_permissions (role_id, permission_id) VALUES (:r, :p)"_s)
            .bind(u":r"_s, roleId)
            .bind(u":p"_s, id)
            .exec();
}

void importRoles(const Database &db, const QList<PinRole> &list, Counts &counts)
{
    const QHash<QString, QString> catalog = permissionCatalog(db);
    for (qsizetype i = 0; i < list.size(); ++i) {
        const PinRole &role = list[i];
        QStringList ids;
        for (const QString &name : role.permissions) {
            if (!catalog.contains(name))
                throw ImportConflict{
                    u"pin_roles[%1].permissions: unknown permission '%2'"_s.arg(i).arg(name)};
            ids << catalog.value(name);
        }
        Sql q(db, u"SELECT id FROM pin_roles WHERE name = :n"_s);
        q.bind(u":n"_s, role.name).exec();
        if (!q.next()) {
            const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
            Sql(db, u"INSERT INTO pin_roles (id, name, created_at) VALUES (:id, :n, :at)"_s)
                .bind(u":id"_s, id)
                .bind(u":n"_s, role.name)
                .bind(u":at"_s, role.createdAt)
                .exec();
            setRolePermissions(db, id, ids);
            ++counts.created;
            continue;
        }
        const QString id = q.value(u"id"_s).toString();
        if (rolePermissions(db, id) == role.permissions) {
            ++counts.skipped;
            continue;
        }
        setRolePermissions(db, id, ids);
        ++counts.updated;
    }
}

void insertBinding(const Database &db, const TelegramBinding &b, const QString &fingerprint)
{
    Sql(db, u"INSERT INTO telegram_bindings (telegram_user_id, namespace, secret_fingerprint, "
            u"username, first_name, last_name, bound_at) "
            u"VALUES (:id, :ns, :fp, :u, :f, :l, :at)"_s)
        .bind(u":id"_s, b.telegramUserId)
        .bind(u":ns"_s, b.ns)
        .bind(u":fp"_s, fingerprint)
        .bind(u":u"_s, b.username)
        .bind(u":f"_s, b.firstName)
        .bind(u":l"_s, b.lastName)
        .bind(u":at"_s, b.boundAt)
        .exec();
}

void importBindings(const Database &db, const QList<TelegramBinding> &list,
                    const QString &fingerprint, Counts &counts)
{
    for (qsizetype i = 0; i < list.size(); ++i) {
        const TelegramBinding &b = list[i];
        Sql ns(db, u"SELECT 1 FROM namespaces WHERE name = :n"_s);
        if (!ns.bind(u":n"_s, b.ns).exec().next())
            throw ImportConflict{u"telegram_bindings[%1].namespace: no namespace '%2' in the "
                                 u"file or here"_s.arg(i)
                                     .arg(b.ns)};
        Sql q(db, u"SELECT namespace, secret_fingerprint, username, first_name, last_name "
                  u"FROM telegram_bindings WHERE telegram_user_id = :id"_s);
        q.bind(u":id"_s, b.telegramUserId).exec();
        if (!q.next()) {
            insertBinding(db, b, fingerprint);
            ++counts.created;
            continue;
        }
        const QStringList here = {
            q.value(u"namespace"_s).toString(), q.value(u"secret_fingerprint"_s).toString(),
            q.value(u"username"_s).toString(), q.value(u"first_name"_s).toString(),
            q.value(u"last_name"_s).toString()};
        if (here == QStringList{b.ns, fingerprint, b.username, b.firstName, b.lastName}) {
            ++counts.skipped;
            continue;
        }
        Sql(db, u"DELETE FROM telegram_bindings WHERE telegram_user_id = :id"_s)
            .bind(u":id"_s, b.telegramUserId)
            .exec();
        insertBinding(db, b, fingerprint);
        ++counts.updated;
    }
}

} // namespace

Result<ImportReport> apply(const Database &db, const Document &doc,
                           const QString &bindingFingerprint, qint64 nowMs, bool dryRun,
                           const Hooks &hooks)
{
    ImportReport report;
    try {
        db.write([&] {
            importNamespaces(db, doc.namespaces, report.namespaces);
            importRoles(db, doc.pinRoles, report.pinRoles);
            UserImport(db, doc, nowMs).run(report, hooks.progress);
            importBindings(db, doc.telegramBindings, bindingFingerprint, report.telegramBindings);
            if (hooks.inTransaction)
                hooks.inTransaction(report);
            if (dryRun)
                throw DryRunRollback{};
        });
    } catch (const DryRunRollback &) {
        return report;
    } catch (const ImportConflict &conflict) {
        return Result<ImportReport>::failure(Refusal::Kind::InvalidInput, conflict.message);
    } catch (const StorageError &error) {
        return Result<ImportReport>::failure(Refusal::Kind::InvalidInput,
                                             u"the database refused the import: "_s +
                                                 QString::fromUtf8(error.what()));
    }
    return report;
}

} // namespace Transfer
