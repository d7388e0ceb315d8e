// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/migrations.h"

#include "storage/database.h"
#include "storage/storageerror.h"

#include <QDateTime>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace {

const Migration kMigrations[] = {
    {1, "foundation", migration0001Foundation},
    {2, "accounts", migration0002Accounts},
    {3, "pin and device", migration0003PinAndDevice},
    {4, "wallet", migration0004Wallet},
    {5, "console", migration0005Console},
    {6, "pin roles", migration0006PinRoles},
    {7, "limits", migration0007Limits},
    {8, "user tier", migration0008UserTier},
    {9, "factors", migration0009Factors},
    {10, "passkeys", migration0010Passkeys},
    {11, "openid provider", migration0011Oidc},
    {12, "openid signing keys", migration0012OidcKeys},
    {13, "openid consents", migration0013OidcConsents},
    {14, "openid tokens", migration0014OidcTokens},
    {15, "audit repeats", migration0015AuditRepeats},
};

QString dialectSql(const Database &db, QString statement)
{
    const bool sqlite = db.dialect() == Dialect::Sqlite;
    statement.replace(u"{{serial}}"_s,
                      sqlite ? u"INTEGER PRIMARY KEY AUTOINCREMENT"_s : u"BIGSERIAL PRIMARY KEY"_s);
    statement.replace(u"{{blob}}"_s, sqlite ? u"BLOB"_s : u"BYTEA"_s);
    return statement;
}

} // namespace

int latestSchemaVersion()
{
    return std::end(kMigrations)[-1].version;
}

int schemaVersion(const Database &db)
{
    QSqlQuery query(db.connection());
    if (!query.exec(u"SELECT MAX(version) AS version FROM schema_migrations"_s) || !query.next())
        return 0;
    return query.value(u"version"_s).toInt();
}

Result<Done> applyMigrations(const Database &db)
{
    try {
        db.write([&] {
            if (db.dialect() == Dialect::Postgres) // one migrator at a time across instances
                Sql(db, u"SELECT pg_advisory_xact_lock(7212001)"_s).exec();
            Sql(db, u"CREATE TABLE IF NOT EXISTS schema_migrations ("
                    u"version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                    u"applied_at BIGINT NOT NULL)"_s)
                .exec();
            int have = 0;
            { // Finish this SELECT first: SQLite refuses DROP while a statement is active.
                Sql current(db, u"SELECT COALESCE(MAX(version), 0) AS version "
                                u"FROM schema_migrations"_s);
                current.exec().next();
                have = current.value(u"version"_s).toInt();
            }
            for (const Migration &step : kMigrations) {
                if (step.version <= have)
                    continue;
                for (const QString &statement : step.statements())
                    Sql(db, dialectSql(db, statement)).exec();
                Sql(db, u"INSERT INTO schema_migrations (version, name, applied_at) "
                        u"VALUES (:v, :n, :t)"_s)
                    .bind(u":v"_s, step.version)
                    .bind(u":n"_s, QString::fromUtf8(step.name))
                    .bind(u":t"_s, QDateTime::currentMSecsSinceEpoch())
                    .exec();
            }
        });
        return Done{};
    } catch (const StorageError &error) {
        return Result<Done>::failure(
            Refusal::Kind::Internal,
            u"database migration failed: %1"_s.arg(QString::fromStdString(error.what())));
    }
}
