// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "identity/walletdirectory.h"

#include <QJsonObject>
#include <QString>

class Clock;
class OAuthProviders;
class OAuthStates;
class RemoteJsonCache;
class Secrets;
class WalletChallenges;
class WalletCodes;
struct Settings;

// Turns a /login or /bind payload ({type, data}) into the login method it proves, or
// throws Refusal. Types: Email, Phone (one-time code); Phantom, Okx (ed25519
// over a Solana challenge); Metamask, Rabby, Coinbase (EIP-191 over a SIWE challenge);
// Telegram (Login Widget hash); Apple (identity token); <Provider>OAuth (code + PKCE
// verifier, e.g. GoogleOAuth, TwitterOAuth, TelegramOAuth or any configured OIDC
// provider). OAuth and Apple reach out to the provider: run them on the worker pool.
class WalletSignIn
{
public:
    WalletSignIn(const Settings &settings, const Secrets &secrets, const Clock &clock,
                 WalletCodes &codes, WalletChallenges &challenges, OAuthStates &states,
                 OAuthProviders &providers, RemoteJsonCache &cache);

    [[nodiscard]] IdentityKey prove(const QString &type, const QJsonObject &data);
    // Where providers send the browser back: {publicUrl}/oauth/callback.
    [[nodiscard]] QString callbackUrl() const;

    static QString normalizedEmail(const QString &email); // empty when invalid
    static bool isE164(const QString &phone);
    static bool isSolanaAddress(const QString &address);   // base58 of 32 bytes
    static QString pkceChallenge(const QString &verifier); // base64url(SHA-256(verifier))
    static bool isPkceVerifier(const QString &verifier);   // RFC 7636: 43-128 unreserved chars

private:
    IdentityKey email(const QJsonObject &data);
    IdentityKey phone(const QJsonObject &data);
    IdentityKey wallet(const QString &walletType, bool solana, const QJsonObject &data);
    IdentityKey telegram(const QJsonObject &data);
    IdentityKey apple(const QJsonObject &data);
    IdentityKey oauth(const QString &provider, const QJsonObject &data);

    const Settings &m_settings;
    const Secrets &m_secrets;
    const Clock &m_clock;
    WalletCodes &m_codes;
    WalletChallenges &m_challenges;
    OAuthStates &m_states;
    OAuthProviders &m_providers;
    RemoteJsonCache &m_cache;
};
