// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/migrations.h"

#include "storage/database.h"
#include "storage/storageerror.h"

#include <QDateTime>
#include <QSqlQuery>

namespace {

const Migration kMigrations[] = {
    {1, "foundation", migration0001Foundation},
    {2, "accounts", migration0002Accounts},
    {3, "pin and device", migration0003PinAndDevice},
    {4, "wallet", migration0004Wallet},
    {5, "console", migration0005Console},
    {6, "pin roles", migration0006PinRoles},
};

QString dialectSql(const Database &db, QString statement)
{
    const bool sqlite = db.dialect() == Dialect::Sqlite;
    statement.replace(u"{{serial}}"_qs, sqlite ? u"INTEGER PRIMARY KEY AUTOINCREMENT"_qs
                                               : u"BIGSERIAL PRIMARY KEY"_qs);
    statement.replace(u"{{blob}}"_qs, sqlite ? u"BLOB"_qs : u"BYTEA"_qs);
    return statement;
}

} // namespace

int schemaVersion(const Database &db)
{
    QSqlQuery query(db.connection());
    if (!query.exec(QStringLiteral("SELECT MAX(version) FROM schema_migrations")) || !query.next())
        return 0;
    return query.value(0).toInt();
}

Result<Done> applyMigrations(const Database &db)
{
    try {
        db.write([&] {
            if (db.dialect() == Dialect::Postgres) // one migrator at a time across instances
                Sql(db, QStringLiteral("SELECT pg_advisory_xact_lock(7212001)")).exec();
            Sql(db, QStringLiteral("CREATE TABLE IF NOT EXISTS schema_migrations ("
                                   "version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                                   "applied_at BIGINT NOT NULL)"))
                .exec();
            int have = 0;
            { // Finish this SELECT first: SQLite refuses DROP while a statement is active.
                Sql current(
                    db, QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
                current.exec().next();
                have = current.value(0).toInt();
            }
            for (const Migration &step : kMigrations) {
                if (step.version <= have)
                    continue;
                for (const QString &statement : step.statements())
                    Sql(db, dialectSql(db, statement)).exec();
                Sql(db, QStringLiteral("INSERT INTO schema_migrations (version, name, applied_at) "
                                       "VALUES (:v, :n, :t)"))
                    .bind(u":v"_qs, step.version)
                    .bind(u":n"_qs, QString::fromUtf8(step.name))
                    .bind(u":t"_qs, QDateTime::currentMSecsSinceEpoch())
                    .exec();
            }
        });
        return Done{};
    } catch (const StorageError &error) {
        return Result<Done>::failure(QStringLiteral("database migration failed: %1")
                                         .arg(QString::fromStdString(error.what())));
    }
}
