// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"

#include <QString>

enum class Dialect { Sqlite, Postgres };

// `sqlite:PATH` or `postgresql://user:pass@host:port/db?sslmode=…`.
struct DatabaseUrl
{
    Dialect dialect = Dialect::Sqlite;
    QString path; // SQLite file
    QString host;
    int port = 5432;
    QString user;
    QString password;
    QString name;
    QString options; // QPSQL connect options, e.g. "sslmode=require"

    static Result<DatabaseUrl> parse(const QString &text);
    QString redacted() const; // for logs: never the password
};
