// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/meta.h"

#include "storage/database.h"

namespace Meta {

QString get(const Database &db, const QString &key, const QString &fallback)
{
    Sql q(db, QStringLiteral("SELECT value FROM meta WHERE key = :k"));
    q.bind(u":k"_qs, key).exec();
    return q.next() ? q.value(0).toString() : fallback;
}

void set(const Database &db, const QString &key, const QString &value)
{
    // One statement (SQLite ≥ 3.24 and PostgreSQL both know it): two instances setting
    // the same key at once cannot collide on the primary key.
    db.write([&] {
        Sql(db, QStringLiteral("INSERT INTO meta (key, value) VALUES (:k, :v) "
                               "ON CONFLICT (key) DO UPDATE SET value = excluded.value"))
            .bind(u":k"_qs, key)
            .bind(u":v"_qs, value)
            .exec();
    });
}

QString getOrCreate(const Database &db, const QString &key, const std::function<QString()> &make)
{
    QString value = get(db, key);
    if (!value.isEmpty())
        return value;
    // PostgreSQL's READ COMMITTED lets two instances both see no row: the loser's insert
    // does nothing, and the SELECT after it (a new snapshot) reads the winner's value.
    const QString mine = make();
    db.write([&] {
        Sql(db, QStringLiteral("INSERT INTO meta (key, value) VALUES (:k, :v) "
                               "ON CONFLICT (key) DO NOTHING"))
            .bind(u":k"_qs, key)
            .bind(u":v"_qs, mine)
            .exec();
        value = get(db, key);
    });
    return value;
}

void seed(const Database &db, const std::function<void()> &work)
{
    db.write([&] {
        // SQLite's BEGIN IMMEDIATE already admits one writer; PostgreSQL needs the lock.
        if (db.dialect() == Dialect::Postgres)
            Sql(db, QStringLiteral("SELECT pg_advisory_xact_lock(7212002)")).exec();
        work();
    });
}

} // namespace Meta
