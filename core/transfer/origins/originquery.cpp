// SPDX-License-Identifier: GPL-3.0-or-later
#include "transfer/origins/originquery.h"

#include <QSqlError>
#include <QSqlRecord>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace Origins {

OriginQuery::OriginQuery(const QSqlDatabase &db, const QString &sql) : m_query(db)
{
    m_query.setForwardOnly(true);
    if (!m_query.exec(sql))
        throw OriginError{m_query.lastError().text()};
}

bool OriginQuery::has(const QString &column) const
{
    return m_query.record().indexOf(column) >= 0;
}

QString OriginQuery::text(const QString &column) const
{
    if (!has(column))
        return {};
    const QVariant v = m_query.value(column);
    if (v.typeId() == QMetaType::QByteArray)
        return QString::fromUtf8(v.toByteArray());
    return v.toString();
}

bool OriginQuery::flag(const QString &column) const
{
    const QString value = text(column).trimmed().toLower();
    return value == u"true" || value.toLongLong() != 0;
}

qint64 OriginQuery::number(const QString &column) const
{
    return has(column) ? m_query.value(column).toLongLong() : 0;
}

} // namespace Origins
