// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/passkeyceremonies.h"

#include "clock.h"
#include "crypto/base64url.h"
#include "crypto/digest.h"
#include "crypto/random.h"
#include "storage/database.h"

using namespace Qt::StringLiterals;

namespace {

QString kindName(PasskeyCeremonies::Kind kind)
{
    switch (kind) {
    case PasskeyCeremonies::Kind::Register:
        return u"register"_s;
    case PasskeyCeremonies::Kind::Login:
        return u"login"_s;
    case PasskeyCeremonies::Kind::SecondFactor:
        break;
    }
    return u"second-factor"_s;
}

} // namespace

PasskeyCeremonies::PasskeyCeremonies(const Database &db, const Clock &clock, qint64 lifetimeMs)
    : m_db(db), m_clock(clock), m_lifetimeMs(lifetimeMs)
{}

PasskeyCeremonies::Begun PasskeyCeremonies::begin(Kind kind, const QString &userId,
                                                  const QString &userHandle)
{
    const qint64 now = m_clock.nowMs();
    Begun begun{Random::bytes(32), Random::urlToken(32), now + m_lifetimeMs};
    m_db.write([&] {
        Sql(m_db, u"INSERT INTO passkey_ceremonies (challenge_hash, ceremony_hash, kind, "
                  u"user_id, user_handle, created_at, expires_at, used_at) "
                  u"VALUES (:ch, :id, :k, :u, :h, :c, :e, 0)"_s)
            .bind(u":ch"_s, Digest::tokenHash(begun.challenge))
            .bind(u":id"_s, Digest::tokenHash(begun.ceremony.toLatin1()))
            .bind(u":k"_s, kindName(kind))
            .bind(u":u"_s, userId.isNull() ? u""_s : userId) // a null QString binds NULL
            .bind(u":h"_s, userHandle.isNull() ? u""_s : userHandle)
            .bind(u":c"_s, now)
            .bind(u":e"_s, begun.expiresAt)
            .exec();
    });
    return begun;
}

std::optional<PasskeyCeremonies::Pending>
PasskeyCeremonies::take(Kind kind, const QByteArray &challenge, const QString &ceremony)
{
    const qint64 now = m_clock.nowMs();
    const QString challengeHash = Digest::tokenHash(challenge);
    std::optional<Pending> out;
    m_db.write([&] {
        Sql q(m_db, u"SELECT ceremony_hash, user_id, user_handle FROM passkey_ceremonies "
                    u"WHERE challenge_hash = :ch AND kind = :k AND used_at = 0 "
                    u"AND expires_at > :now"_s);
        q.bind(u":ch"_s, challengeHash).bind(u":k"_s, kindName(kind)).bind(u":now"_s, now).exec();
        if (!q.next())
            return;
        const QString storedId = q.value(u"ceremony_hash"_s).toString();
        if (!ceremony.isNull() &&
            !Digest::equal(storedId.toLatin1(), Digest::tokenHash(ceremony.toLatin1()).toLatin1()))
            return; // not spent: the right ceremony id may still come
        Pending pending{q.value(u"user_id"_s).toString(), q.value(u"user_handle"_s).toString()};
        Sql spend(m_db, u"UPDATE passkey_ceremonies SET used_at = :now "
                        u"WHERE challenge_hash = :ch AND used_at = 0"_s);
        if (spend.bind(u":now"_s, now).bind(u":ch"_s, challengeHash).exec().rowsAffected() == 1)
            out = pending;
    });
    return out;
}
