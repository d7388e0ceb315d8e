// SPDX-License-Identifier: GPL-3.0-or-later
#include "oidc/authrequests.h"

#include "clock.h"
#include "crypto/digest.h"
#include "crypto/random.h"
#include "storage/database.h"
#include "storage/table.h"

using namespace Qt::StringLiterals;

namespace {

const Table<AuthRequest> kRequests{u"oidc_requests"_s,
                                   {
                                       {u"client_id"_s, &AuthRequest::clientId},
                                       {u"redirect_uri"_s, &AuthRequest::redirectUri},
                                       {u"scope"_s, &AuthRequest::scope},
                                       {u"state"_s, &AuthRequest::state},
                                       {u"nonce"_s, &AuthRequest::nonce},
                                       {u"code_challenge"_s, &AuthRequest::codeChallenge},
                                       {u"response_mode"_s, &AuthRequest::responseMode},
                                       {u"prompt"_s, &AuthRequest::prompt},
                                       {u"max_age"_s, &AuthRequest::maxAgeSecs},
                                       {u"created_at"_s, &AuthRequest::createdAt},
                                       {u"expires_at"_s, &AuthRequest::expiresAt},
                                   }};

QString idHash(const QString &id)
{
    return Digest::tokenHash(id.toLatin1());
}

} // namespace

AuthRequests::AuthRequests(const Database &db, const Clock &clock) : m_db(db), m_clock(clock) {}

AuthRequest AuthRequests::save(AuthRequest request)
{
    request.id = Random::urlToken(24);
    request.createdAt = m_clock.nowMs();
    request.expiresAt = request.createdAt + kLifetimeMs;
    m_db.write([&] {
        Sql q(m_db, kRequests.insert({u"id_hash"_s}));
        kRequests.bind(q, request);
        q.bind(u":id_hash"_s, idHash(request.id)).exec();
    });
    return request;
}

std::optional<AuthRequest> AuthRequests::byId(const QString &id) const
{
    if (id.isEmpty() || id.size() > 64)
        return std::nullopt;
    Sql q(m_db, kRequests.select(u"WHERE id_hash = :hash AND expires_at > :now"_s));
    q.bind(u":hash"_s, idHash(id)).bind(u":now"_s, m_clock.nowMs()).exec();
    if (!q.next())
        return std::nullopt;
    AuthRequest request = kRequests.read(q);
    request.id = id;
    return request;
}

void AuthRequests::remove(const QString &id)
{
    m_db.write([&] {
        Sql q(m_db, u"DELETE FROM oidc_requests WHERE id_hash = :hash"_s);
        q.bind(u":hash"_s, idHash(id)).exec();
    });
}

int AuthRequests::purgeExpired()
{
    int rows = 0;
    m_db.write([&] {
        Sql q(m_db, u"DELETE FROM oidc_requests WHERE expires_at <= :now"_s);
        q.bind(u":now"_s, m_clock.nowMs()).exec();
        rows = q.rowsAffected();
    });
    return rows;
}
