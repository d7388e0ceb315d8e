// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

// What `gatehouse export --json` writes and `gatehouse import` reads: the things an
// admin set up or a person signed up with, never a token, a session, a signing key or
// any other secret. Password and PIN hashes (argon2id) and sealed embedded-wallet keys
// travel only in a file marked sensitive (written 0600); see docs/operations.md.
namespace Transfer {

inline constexpr int kFormatVersion = 1;
inline constexpr auto kFormatName = u"gatehouse-export";

struct Identity // a login method of a user (identities table)
{
    QString kind;
    QString subject;
    QString display;
    qint64 createdAt = 0;
};

struct Wallet
{
    QString id;
    QString network;
    QString address;
    QString walletType;
    QString sealedKey; // only in a sensitive file; empty for external wallets
    qint64 createdAt = 0;
};

struct User
{
    QString id;
    QString username;
    QString email;
    QString displayName;
    QString role;
    bool isAdmin = false;
    bool emailVerified = false;
    bool disabled = false;
    QString referrerId;
    int tier = -1;        // account surface tier (an origin import's); -1: none
    QString passwordHash; // only in a sensitive file; empty: none
    QString pinHash;      // only in a sensitive file; empty: none
    qint64 createdAt = 0;
    QList<Identity> identities;
    QList<Wallet> wallets;
};

struct Namespace
{
    QString name;
    bool disabled = false;
    QString createdBy;
    qint64 createdAt = 0;
};

struct PinRole
{
    QString name;
    QStringList permissions; // catalog names, sorted
    qint64 createdAt = 0;
};

struct TelegramBinding
{
    QString telegramUserId;
    QString ns;
    QString username;
    QString firstName;
    QString lastName;
    qint64 boundAt = 0;
};

struct Document
{
    int schemaVersion = 0;
    qint64 exportedAt = 0;
    bool sensitive = false; // carries password/PIN hashes and sealed wallet keys
    // An origin import (transfer/origins): a user already here keeps the password and
    // PIN hashes they have here (an origin hash re-hashed at sign-in must not come back).
    bool keepHashesHere = false;
    QList<Namespace> namespaces;
    QList<PinRole> pinRoles;
    QList<User> users;
    QList<TelegramBinding> telegramBindings;
};

} // namespace Transfer
