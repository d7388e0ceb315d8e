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
    db.write([&] {
        Sql(db, QStringLiteral("DELETE FROM meta WHERE key = :k")).bind(u":k"_qs, key).exec();
        Sql(db, QStringLiteral("INSERT INTO meta (key, value) VALUES (:k, :v)"))
            .bind(u":k"_qs, key)
            .bind(u":v"_qs, value)
            .exec();
    });
}

QString getOrCreate(const Database &db, const QString &key, const std::function<QString()> &make)
{
    QString value;
    db.write([&] {
        value = get(db, key);
        if (!value.isEmpty())
            return;
        value = make();
        Sql(db, QStringLiteral("INSERT INTO meta (key, value) VALUES (:k, :v)"))
            .bind(u":k"_qs, key)
            .bind(u":v"_qs, value)
            .exec();
    });
    return value;
}

} // namespace Meta
