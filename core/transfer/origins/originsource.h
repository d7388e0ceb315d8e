// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"
#include "transfer/origins/origin.h"

#include <QSqlDatabase>
#include <QString>

namespace Origins {

// An origin's database opened read-only on a connection of its own (a unique name, so
// the console may read while the server runs), closed and removed when this goes.
// SOURCE is `sqlite:PATH`, `postgresql://…` (or `postgres://…`), or the origin's data
// folder, searched for an SQLite file that has the origin's tables.
class OriginSource
{
public:
    OriginSource() = default;
    ~OriginSource();
    OriginSource(const OriginSource &) = delete;
    OriginSource &operator=(const OriginSource &) = delete;

    Result<Done> open(Kind kind, const QString &source);
    QSqlDatabase database() const;
    QString description() const { return m_description; } // for messages: never a password

private:
    Result<Done> openSqlite(const QString &path);
    Result<Done> openPostgres(const QString &url);
    Result<Done> openFolder(Kind kind, const QString &folder);
    void close();

    QString m_connection;
    QString m_description;
};

// The tables that identify an origin's database in a data folder.
QStringList signatureTables(Kind kind);

} // namespace Origins
