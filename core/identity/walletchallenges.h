// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <optional>

class Clock;
class Database;

// Sign-in challenges for external wallets. EVM wallets (rabby, metamask, coinbase)
// get an EIP-4361 "Sign-In with Ethereum" message, Solana wallets (phantom, okx) its
// Solana counterpart (the same fields, "Solana account", "Chain ID: mainnet"). The
// nonce is single-use and lives 5 minutes; only the message's SHA-256 is stored.
class WalletChallenges
{
public:
    static constexpr qint64 kLifetimeMs = 5 * 60 * 1000;

    WalletChallenges(const Database &db, const Clock &clock);

    struct Issued
    {
        QString message;
        QString nonce;
        qint64 expiresAtSecs = 0;
    };
    // `address` as it goes into the message (base58, or the EIP-55 0x form);
    // `publicUrl` gives the domain and URI lines.
    [[nodiscard]] Issued create(const QString &method, const QString &address,
                                const QString &publicUrl);

    struct Pending
    {
        QString nonce;
        QString method;
        QString address;
        qint64 expiresAt = 0; // ms
        qint64 usedAt = 0;    // ms, 0 while unused
    };
    // The challenge whose message is exactly `message`, used or not.
    [[nodiscard]] std::optional<Pending> find(const QString &message) const;
    // Marks the nonce used; false when it was used already or has expired.
    [[nodiscard]] bool consume(const QString &nonce);

    static bool isSolanaMethod(const QString &method); // phantom, okx
    static bool isEvmMethod(const QString &method);    // rabby, metamask, coinbase
    static QString buildMessage(bool solana, const QString &publicUrl, const QString &address,
                                const QString &nonce, qint64 issuedAtMs, qint64 expiresAtMs);

private:
    const Database &m_db;
    const Clock &m_clock;
};
