// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/oauthstates.h"

#include "clock.h"
#include "storage/database.h"
#include "storage/table.h"

using namespace Qt::StringLiterals;

namespace {
const Table<OAuthState> kStates{u"oauth_states"_s,
                                {
                                    {u"state"_s, &OAuthState::state},
                                    {u"provider"_s, &OAuthState::provider},
                                    {u"redirect_uri"_s, &OAuthState::redirectUri},
                                    {u"code_challenge"_s, &OAuthState::codeChallenge},
                                    {u"expires_at"_s, &OAuthState::expiresAt},
                                    {u"callback_at"_s, &OAuthState::callbackAt},
                                    {u"used_at"_s, &OAuthState::usedAt},
                                }};
} // namespace

OAuthStates::OAuthStates(const Database &db, const Clock &clock) : m_db(db), m_clock(clock) {}

std::optional<OAuthState> OAuthStates::load(const QString &state) const
{
    Sql q(m_db, kStates.select(u"WHERE state = :s"_s));
    q.bind(u":s"_s, state).exec();
    if (!q.next())
        return std::nullopt;
    return kStates.read(q);
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
        Sql insert(m_db, kStates.insert({u"created_at"_s}));
        kStates.bind(insert, {.state = state,
                              .provider = provider,
                              .redirectUri = redirectUri,
                              .codeChallenge = codeChallenge,
                              .expiresAt = now + kLifetimeMs});
        insert.bind(u":created_at"_s, now).exec();
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
