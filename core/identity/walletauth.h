// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "identity/oauthstates.h"
#include "identity/walletchallenges.h"
#include "identity/walletcodes.h"
#include "identity/walletdirectory.h"
#include "identity/walletsignin.h"
#include "providers/oauthproviders.h"
#include "providers/remotejsoncache.h"
#include "result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <optional>

class AuditLog;
struct AuditEvent;
class Outbox;
class TokenStore;

// The wallet surface (seed 001) as core calls: OAuth start and callback, one-time
// codes, wallet challenges, login and bind, and sessions (an opaque random token kept
// in the TokenStore as kind "wallet_session"). Every method may throw Refusal;
// storage failures throw StorageError. Login, bind and the OAuth calls may reach an
// identity provider: callers run them on the worker pool.
class WalletAuth
{
public:
    WalletAuth(const Database &db, const Clock &clock, const Settings &settings,
               const Secrets &secrets, Users &users, TokenStore &tokens, Outbox &outbox,
               AuditLog &audit);

    // settings.walletSessionDays (7 by default), in milliseconds.
    qint64 sessionLifetimeMs() const;

    struct OAuthStart
    {
        QString clientId;
        QString url;
    };
    [[nodiscard]] OAuthStart startOAuth(const QString &provider, const QString &redirectUri,
                                        const QString &state, const QString &codeChallenge,
                                        const QString &ip);
    // The Location to send the browser to: the stored redirect_uri plus
    // wallet_oauth_provider, wallet_oauth_state and wallet_oauth_code (or
    // wallet_oauth_error when the provider refused).
    [[nodiscard]] QString oauthCallback(const QString &state, const QString &code,
                                        const QString &error, const QString &ip);

    // Exactly one of email and phone (E.164). Throws RateLimited during the cooldown.
    void sendCode(const QString &email, const QString &phone, const QString &ip);
    [[nodiscard]] WalletChallenges::Issued challenge(const QString &method, const QString &address,
                                                     const QString &ip);

    struct Session
    {
        QByteArray token; // for the cookie; only its keyed hash is stored
        WalletProfile profile;
    };
    [[nodiscard]] Session login(const QString &type, const QJsonObject &data, const QString &ip,
                                const QString &label);
    [[nodiscard]] WalletProfile bind(const QByteArray &sessionToken, const QString &type,
                                     const QJsonObject &data, const QString &ip);
    Result<WalletProfile> current(const QByteArray &sessionToken); // or BadCredentials
    // Revokes the session if it is live; false when there was none.
    bool logout(const QByteArray &sessionToken, const QString &ip);

    // redirect_uri must match an allow-list entry: same scheme, host and port, and a
    // path at or below the entry's path; no user info, no fragment, no backslashes.
    [[nodiscard]] static bool redirectAllowed(const QString &uri, const QStringList &allowlist);

    WalletDirectory &directory() { return m_directory; }
    RemoteJsonCache &providerCache() { return m_cache; }

private:
    std::optional<QString> sessionUser(const QByteArray &sessionToken);
    void record(AuditEvent event); // surface "wallet"

    const Database &m_db;
    const Clock &m_clock;
    const Settings &m_settings;
    Users &m_users;
    TokenStore &m_tokens;
    Outbox &m_outbox;
    AuditLog &m_audit;
    RemoteJsonCache m_cache;
    OAuthProviders m_providers;
    OAuthStates m_states;
    WalletCodes m_codes;
    WalletChallenges m_challenges;
    WalletDirectory m_directory;
    WalletSignIn m_signIn;
};
