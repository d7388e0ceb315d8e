// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/meta.h"

#include "storage/database.h"

using namespace Qt::StringLiterals;

namespace Meta {

QString get(const Database &db, const QString &key, const QString &fallback)
{
    Sql q(db, u"SELECT value FROM meta WHERE key = :k"_s);
    q.bind(u":k"_s, key).exec();
    return q.next() ? q.value(u"value"_s).toString() : fallback;
}

void set(const Database &db, const QString &key, const QString &value)
{
    // One statement (SQLite ≥ 3.24 and PostgreSQL both know it): two instances setting
    // the same key at once cannot collide on the primary key.
    db.write([&] {
        Sql(db, u"INSERT INTO meta (key, value) VALUES (:k, :v) "
                u"ON CONFLICT (key) DO UPDATE SET value = excluded.value"_s)
            .bind(u":k"_s, key)
            .bind(u":v"_s, value)
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
        Sql(db, u"INSERT INTO meta (key, value) VALUES (:k, :v) "
                u"ON CONFLICT (key) DO NOTHING"_s)
            .bind(u":k"_s, key)
            .bind(u":v"_s, mine)
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
            Sql(db, u"SELECT pg_advisory_xact_lock(7212002)"_s).exec();
        work();
    });
}

} // namespace Meta
