// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/changefeed.h"

#include "storage/database.h"

#include <QSqlQuery>
#include <QSqlRecord>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace {

// Every column of the single row `select` returns, joined.
QString fingerprint(const Database &db, const QString &select)
{
    Sql q(db, select);
    q.exec();
    if (!q.next())
        return QString();
    // Every column, in order, whatever they are called: a fingerprint, not fields.
    const QSqlRecord row = q.query().record();
    QStringList parts;
    for (int i = 0; i < row.count(); ++i)
        parts << row.value(i).toString();
    return parts.join(u'/');
}

} // namespace

ChangeStamp ChangeFeed::current() const
{
    // MAX() over an indexed column is a single index probe; COUNT(*) notices deletes
    // (SQLite counts a million rows in a few milliseconds from its smallest index).
    ChangeStamp s;
    s.users = fingerprint(m_db, u"SELECT (SELECT COUNT(*) FROM users), "
                                u"(SELECT MAX(updated_at) FROM users)"_s);
    s.namespaces = fingerprint(m_db, u"SELECT COUNT(*), MAX(id), SUM(disabled), "
                                     u"MAX(tokens_valid_after) FROM namespaces"_s);
    s.bindings = fingerprint(m_db, u"SELECT COUNT(*), MAX(bound_at) FROM telegram_bindings"_s);
    s.tokens = fingerprint(m_db, u"SELECT (SELECT COUNT(*) FROM issued_tokens), "
                                 u"(SELECT MAX(created_at) FROM issued_tokens), "
                                 u"(SELECT MAX(revoked_at) FROM issued_tokens)"_s);
    s.audit = fingerprint(m_db, u"SELECT MAX(id) FROM audit_log"_s);
    s.outbox = fingerprint(m_db, u"SELECT COUNT(*), MAX(id), SUM(attempts), MAX(sent_at), "
                                 u"MAX(next_attempt_at), MAX(claimed_at) FROM outbox"_s);
    return s;
}
