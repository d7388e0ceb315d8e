// SPDX-License-Identifier: GPL-3.0-or-later
#include "oidc/opsessions.h"

#include "clock.h"
#include "crypto/digest.h"
#include "crypto/random.h"
#include "identity/users.h"
#include "storage/database.h"
#include "storage/table.h"

using namespace Qt::StringLiterals;

namespace {

const Table<OpSession> kSessions{u"oidc_sessions"_s,
                                 {
                                     {u"id_hash"_s, &OpSession::id},
                                     {u"user_id"_s, &OpSession::userId},
                                     {u"auth_time"_s, &OpSession::authTime},
                                     {u"amr"_s, &OpSession::amr},
                                     {u"expires_at"_s, &OpSession::expiresAt},
                                     {u"sign_out_epoch"_s, &OpSession::signOutEpoch},
                                 }};

} // namespace

OpSessions::OpSessions(const Database &db, const Clock &clock, Users &users)
    : m_db(db), m_clock(clock), m_users(users)
{}

OpSessions::Started OpSessions::start(const QString &userId, const QString &amr, qint64 lifetimeMs)
{
    Started out;
    out.cookie = Random::urlToken(32).toLatin1();
    const qint64 now = m_clock.nowMs();
    const std::optional<User> user = m_users.byId(userId);
    out.session = {Digest::tokenHash(out.cookie),    userId, now, amr, now + lifetimeMs,
                   user ? user->tokensValidAfter : 0};
    m_db.write([&] {
        Sql q(m_db, kSessions.insert({u"created_at"_s}));
        kSessions.bind(q, out.session);
        q.bind(u":created_at"_s, now).exec();
    });
    return out;
}

std::optional<OpSession> OpSessions::checked(std::optional<OpSession> session) const
{
    if (!session || session->expiresAt <= m_clock.nowMs())
        return std::nullopt;
    const std::optional<User> user = m_users.current(session->userId);
    if (!user || user->disabled || user->tokensValidAfter > session->signOutEpoch)
        return std::nullopt;
    return session;
}

std::optional<OpSession> OpSessions::byCookie(QByteArrayView cookie) const
{
    if (cookie.isEmpty() || cookie.size() > 128)
        return std::nullopt;
    return byId(Digest::tokenHash(cookie));
}

std::optional<OpSession> OpSessions::byId(const QString &id) const
{
    Sql q(m_db, kSessions.select(u"WHERE id_hash = :id"_s));
    q.bind(u":id"_s, id).exec();
    if (!q.next())
        return std::nullopt;
    return checked(kSessions.read(q));
}

void OpSessions::end(const QString &id)
{
    m_db.write([&] {
        Sql q(m_db, u"DELETE FROM oidc_sessions WHERE id_hash = :id"_s);
        q.bind(u":id"_s, id).exec();
    });
}

void OpSessions::endForUser(const QString &userId)
{
    m_db.write([&] {
        Sql q(m_db, u"DELETE FROM oidc_sessions WHERE user_id = :u"_s);
        q.bind(u":u"_s, userId).exec();
    });
}

int OpSessions::purgeExpired()
{
    int rows = 0;
    m_db.write([&] {
        Sql q(m_db, u"DELETE FROM oidc_sessions WHERE expires_at <= :now"_s);
        q.bind(u":now"_s, m_clock.nowMs()).exec();
        rows = q.rowsAffected();
    });
    return rows;
}
