// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>

namespace Origins {

struct OriginError // the origin's database refused a read
{
    QString message;
};

// One SELECT on an origin's database, read by column name. Origins change their schema
// over versions, so a column this version of the origin lacks reads as empty instead
// of failing; the reader decides what an empty value means.
class OriginQuery
{
public:
    OriginQuery(const QSqlDatabase &db, const QString &sql); // throws OriginError

    bool next() { return m_query.next(); }
    bool has(const QString &column) const;
    QString text(const QString &column) const; // TEXT, or a BLOB holding UTF-8
    bool flag(const QString &column) const;    // 0/1 or true/false
    qint64 number(const QString &column) const;

private:
    QSqlQuery m_query;
};

} // namespace Origins
