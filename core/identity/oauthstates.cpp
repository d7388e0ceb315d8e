// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/oauthstates.h"

#include "clock.h"
#include "storage/database.h"

using namespace Qt::StringLiterals;

OAuthStates::OAuthStates(const Database &db, const Clock &clock) : m_db(db), m_clock(clock) {}

std::optional<OAuthState> OAuthStates::load(const QString &state) const
{
    Sql q(m_db, u"SELECT state, provider, redirect_uri, code_challenge, expires_at, callback_at, "
                u"used_at FROM oauth_states WHERE state = :s"_s);
    q.bind(u":s"_s, state).exec();
    if (!q.next())
        return std::nullopt;
    return OAuthState{q.value(0).toString(),  q.value(1).toString(),   q.value(2).toString(),
                      q.value(3).toString(),  q.value(4).toLongLong(), q.value(5).toLongLong(),
                      q.value(6).toLongLong()};
}

bool OAuthStates::create(const QString &state, const QString &provider, const QString &redirectUri,
                         const QString &codeChallenge)
{
    const qint64 now = m_clock.nowMs();
    bool created = false;
    m_db.write([&] {
        Sql(m_db, u"DELETE FROM oauth_states WHERE expires_at < :old"_s)
            .bind(u":old"_s, now - 24 * 3600 * 1000)
            .exec();
        if (load(state))
            return;
        Sql(m_db, u"INSERT INTO oauth_states (state, provider, redirect_uri, code_challenge, "
                  u"created_at, expires_at, callback_at, used_at) "
                  u"VALUES (:s, :p, :r, :c, :t, :e, 0, 0)"_s)
            .bind(u":s"_s, state)
            .bind(u":p"_s, provider)
            .bind(u":r"_s, redirectUri)
            .bind(u":c"_s, codeChallenge)
            .bind(u":t"_s, now)
            .bind(u":e"_s, now + kLifetimeMs)
            .exec();
        created = true;
    });
    return created;
}

std::optional<OAuthState> OAuthStates::takeCallback(const QString &state)
{
    const qint64 now = m_clock.nowMs();
    std::optional<OAuthState> out;
    m_db.write([&] {
        auto row = load(state);
        if (!row || row->expiresAt <= now || row->callbackAt != 0 || row->usedAt != 0)
            return;
        Sql(m_db, u"UPDATE oauth_states SET callback_at = :t WHERE state = :s"_s)
            .bind(u":t"_s, now)
            .bind(u":s"_s, state)
            .exec();
        row->callbackAt = now;
        out = row;
    });
    return out;
}

std::optional<OAuthState> OAuthStates::consume(const QString &state)
{
    const qint64 now = m_clock.nowMs();
    std::optional<OAuthState> out;
    m_db.write([&] {
        auto row = load(state);
        if (!row || row->expiresAt <= now || row->usedAt != 0)
            return;
        Sql q(m_db, u"UPDATE oauth_states SET used_at = :t WHERE state = :s AND used_at = 0"_s);
        q.bind(u":t"_s, now).bind(u":s"_s, state).exec();
        if (q.rowsAffected() != 1)
            return;
        row->usedAt = now;
        out = row;
    });
    return out;
}
