// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "identity/freshcache.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <optional>

class Clock;
class Database;
class Secrets;
class Users;

// A login method: identities.kind + the normalised subject, and what social_links shows.
struct IdentityKey
{
    QString
        kind; // email, phone, google, twitter, telegram, apple, <oidc provider>, solana, ethereum
    QString subject; // lower-case email, E.164 phone, provider subject, wallet address
    QString display;
    QString walletType = {}; // for wallet logins: "Phantom", "Metamask"… (linked as a wallet)
};

struct WalletInfo
{
    QString id;
    QString address;
    QString network;    // "Solana" | "Ethereum"
    QString walletType; // "Embedded" or the external wallet's name
};

struct WalletProfile
{
    QString userId;
    QList<WalletInfo> wallets;
    QList<IdentityKey> identities;
    // The documented user object {id, wallets, social_links}.
    QJsonObject toJson() const;
    // toJson() as compact JSON text, written once when the profile is read from the
    // database (the cached profile answers every GET /session with it); empty in a
    // profile built otherwise.
    QByteArray json;
};

// Identities and wallets of wallet-surface users. A new user gets two embedded
// wallets (Solana ed25519, Ethereum secp256k1) whose private keys are sealed with
// AES-256-GCM under a key derived from the wallet sealing secret; they never leave
// this class except through embeddedSecret() (for an export the console may offer).
class WalletDirectory
{
public:
    WalletDirectory(const Database &db, const Clock &clock, const Secrets &secrets, Users &users);

    // The user of this login method, created (with embedded wallets) when there is none.
    [[nodiscard]] QString findOrCreate(const IdentityKey &identity);
    enum class Bind { Linked, AlreadyYours, OwnedByOther };
    [[nodiscard]] Bind bind(const QString &userId, const IdentityKey &identity);
    [[nodiscard]] std::optional<QString> ownerOf(const QString &kind, const QString &subject) const;
    // For token checks (GET /session): kept in this process for at most 500 ms and
    // forgotten by every change made here (freshcache.h); a removed user has none at once
    // (Users::current).
    [[nodiscard]] std::optional<WalletProfile> profile(const QString &userId) const;
    [[nodiscard]] std::optional<QByteArray> embeddedSecret(const QString &walletId) const;

    static QString networkFor(const QString &kind); // solana -> Solana, ethereum -> Ethereum

private:
    void insertIdentity(const QString &userId, const IdentityKey &identity, qint64 now);
    void insertWallet(const QString &userId, const QString &network, const QString &address,
                      const QString &walletType, const QByteArray &secret, qint64 now);
    void createEmbeddedWallets(const QString &userId, qint64 now);
    QByteArray sealKey() const;
    std::optional<WalletProfile> read(const QString &userId) const;
    void forgetWhenWritten(const QString &userId) const;

    const Database &m_db;
    const Clock &m_clock;
    const Secrets &m_secrets;
    Users &m_users;
    mutable FreshCache<WalletProfile> m_recent; // user id -> profile
};
