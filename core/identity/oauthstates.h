// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <optional>

class Clock;
class Database;

// The OAuth `state` values /oauth/init hands out, with the PKCE challenge and the
// client's redirect_uri. In the database, so the callback and the login may land on
// another instance. A state lives 10 minutes, is called back at most once, and is
// consumed by the first login that presents it.
struct OAuthState
{
    QString state;
    QString provider;
    QString redirectUri;
    QString codeChallenge;
    qint64 expiresAt = 0;
    qint64 callbackAt = 0;
    qint64 usedAt = 0;
};

class OAuthStates
{
public:
    static constexpr qint64 kLifetimeMs = 10 * 60 * 1000;

    OAuthStates(const Database &db, const Clock &clock);

    // false when the state is already known (live, used or expired but not purged).
    [[nodiscard]] bool create(const QString &state, const QString &provider,
                              const QString &redirectUri, const QString &codeChallenge);
    // For the provider's redirect: the live, not yet called back, unused state.
    [[nodiscard]] std::optional<OAuthState> takeCallback(const QString &state);
    // For the login: the live, unused state, now marked used whatever follows.
    [[nodiscard]] std::optional<OAuthState> consume(const QString &state);

private:
    std::optional<OAuthState> load(const QString &state) const;

    const Database &m_db;
    const Clock &m_clock;
};
