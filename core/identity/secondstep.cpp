// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/secondstep.h"

#include "clock.h"
#include "crypto/digest.h"
#include "crypto/random.h"
#include "storage/database.h"

using namespace Qt::StringLiterals;

namespace {
using K = Refusal::Kind;

Refusal invalid()
{
    return Refusal(K::TokenInvalid, u"the sign-in challenge is not valid; sign in again"_s);
}
} // namespace

SecondStep::SecondStep(const Database &db, const Clock &clock, Options options)
    : m_db(db), m_clock(clock), m_options(options)
{}

QString SecondStep::begin(const QString &userId, const QString &purpose)
{
    const QString token = Random::urlToken(32);
    const qint64 now = m_clock.nowMs();
    m_db.write([&] {
        Sql(m_db, u"INSERT INTO second_steps (token_hash, user_id, purpose, tries, created_at, "
                  u"expires_at, finished_at) VALUES (:hash, :user, :purpose, 0, :now, "
                  u":expires, 0)"_s)
            .bind(u":hash"_s, Digest::tokenHash(token.toLatin1()))
            .bind(u":user"_s, userId)
            .bind(u":purpose"_s, purpose)
            .bind(u":now"_s, now)
            .bind(u":expires"_s, now + m_options.lifetimeSecs * 1000)
            .exec();
    });
    return token;
}

namespace {
struct Row
{
    QString userId;
    int tries = 0;
    qint64 expiresAt = 0;
};

std::optional<Row> live(const Database &db, const QString &token, const QString &purpose)
{
    Sql q(db, u"SELECT user_id, tries, expires_at FROM second_steps "
              u"WHERE token_hash = :hash AND purpose = :purpose AND finished_at = 0"_s);
    q.bind(u":hash"_s, Digest::tokenHash(token.toLatin1())).bind(u":purpose"_s, purpose).exec();
    if (!q.next())
        return std::nullopt;
    return Row{q.value(u"user_id"_s).toString(), q.value(u"tries"_s).toInt(),
               q.value(u"expires_at"_s).toLongLong()};
}

int recentFailures(const Database &db, const QString &userId, qint64 since)
{
    Sql q(db, u"SELECT COALESCE(SUM(tries), 0) AS n FROM second_steps "
              u"WHERE user_id = :user AND created_at >= :since"_s);
    q.bind(u":user"_s, userId).bind(u":since"_s, since).exec();
    return q.next() ? q.value(u"n"_s).toInt() : 0;
}
} // namespace

Result<QString> SecondStep::peek(const QString &token, const QString &purpose) const
{
    if (token.isEmpty() || token.size() > 128)
        return invalid();
    const auto row = live(m_db, token, purpose);
    const qint64 now = m_clock.nowMs();
    if (!row)
        return invalid();
    if (row->expiresAt <= now)
        return Refusal(K::TokenExpired, u"the sign-in challenge has expired; sign in again"_s);
    if (row->tries >= m_options.triesPerChallenge)
        return Refusal(K::Locked, u"too many wrong codes; sign in again"_s);
    const qint64 windowMs = m_options.failureWindowSecs * 1000;
    if (recentFailures(m_db, row->userId, now - windowMs) >= m_options.failuresPerUser)
        return Refusal(K::RateLimited, u"too many wrong codes; try again later"_s, QString(),
                       m_options.failureWindowSecs);
    return row->userId;
}

Result<QString> SecondStep::countTry(const QString &token, const QString &purpose)
{
    std::optional<Result<QString>> out;
    m_db.write([&] {
        out = peek(token, purpose);
        if (!out->ok())
            return;
        Sql(m_db, u"UPDATE second_steps SET tries = tries + 1 WHERE token_hash = :hash"_s)
            .bind(u":hash"_s, Digest::tokenHash(token.toLatin1()))
            .exec();
    });
    return *out;
}

Result<QString> SecondStep::finish(const QString &token, const QString &purpose)
{
    std::optional<Result<QString>> out;
    m_db.write([&] {
        if (token.isEmpty() || token.size() > 128) {
            out = invalid();
            return;
        }
        const auto row = live(m_db, token, purpose);
        if (!row) {
            out = invalid();
            return;
        }
        if (row->expiresAt <= m_clock.nowMs()) {
            out = Refusal(K::TokenExpired, u"the sign-in challenge has expired; sign in again"_s);
            return;
        }
        // The try that led here succeeded: it no longer counts as a failure.
        Sql u(m_db, u"UPDATE second_steps SET finished_at = :now, "
                    u"tries = CASE WHEN tries > 0 THEN tries - 1 ELSE 0 END "
                    u"WHERE token_hash = :hash AND finished_at = 0"_s);
        u.bind(u":now"_s, m_clock.nowMs())
            .bind(u":hash"_s, Digest::tokenHash(token.toLatin1()))
            .exec();
        out = u.rowsAffected() == 1 ? Result<QString>(row->userId) : Result<QString>(invalid());
    });
    return *out;
}
