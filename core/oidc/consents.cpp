// SPDX-License-Identifier: GPL-3.0-or-later
#include "oidc/consents.h"

#include "clock.h"
#include "storage/database.h"

using namespace Qt::StringLiterals;

Consents::Consents(const Database &db, const Clock &clock) : m_db(db), m_clock(clock) {}

std::optional<Consent> Consents::find(const QString &userId, const QString &clientId) const
{
    Sql q(m_db, u"SELECT scopes, granted_at FROM oidc_consents "
                u"WHERE user_id = :u AND client_id = :c"_s);
    q.bind(u":u"_s, userId).bind(u":c"_s, clientId).exec();
    if (!q.next())
        return std::nullopt;
    return Consent{userId, clientId,
                   q.value(u"scopes"_s).toString().split(u' ', Qt::SkipEmptyParts),
                   q.value(u"granted_at"_s).toLongLong()};
}

bool Consents::covers(const QString &userId, const QString &clientId,
                      const QStringList &scopes) const
{
    const std::optional<Consent> consent = find(userId, clientId);
    if (!consent)
        return false;
    for (const QString &scope : scopes)
        if (!consent->scopes.contains(scope))
            return false;
    return true;
}

void Consents::grant(const QString &userId, const QString &clientId, const QStringList &scopes)
{
    m_db.write([&] {
        QStringList all;
        { // read inside the write, so two grants at once both end up in the row
            Sql q(m_db, u"SELECT scopes FROM oidc_consents WHERE user_id = :u AND client_id = :c"_s);
            q.bind(u":u"_s, userId).bind(u":c"_s, clientId).exec();
            if (q.next())
                all = q.value(u"scopes"_s).toString().split(u' ', Qt::SkipEmptyParts);
        }
        for (const QString &scope : scopes)
            if (!all.contains(scope))
                all << scope;
        Sql q(m_db, u"INSERT INTO oidc_consents (user_id, client_id, scopes, granted_at) "
                    u"VALUES (:u, :c, :s, :t) ON CONFLICT (user_id, client_id) DO UPDATE "
                    u"SET scopes = excluded.scopes, granted_at = excluded.granted_at"_s);
        q.bind(u":u"_s, userId)
            .bind(u":c"_s, clientId)
            .bind(u":s"_s, all.join(u' '))
            .bind(u":t"_s, m_clock.nowMs())
            .exec();
    });
}

void Consents::revoke(const QString &userId, const QString &clientId)
{
    m_db.write([&] {
        Sql q(m_db, u"DELETE FROM oidc_consents WHERE user_id = :u AND client_id = :c"_s);
        q.bind(u":u"_s, userId).bind(u":c"_s, clientId).exec();
    });
}
