// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>
#include <optional>

class Clock;
class Database;

// What a person allowed a client (oidc_consents): the scopes granted so far, kept per
// user and client, so the consent page asks again only for scopes not yet granted.
struct Consent
{
    QString userId;
    QString clientId;
    QStringList scopes;
    qint64 grantedAt = 0; // ms: the latest Allow
};

class Consents
{
public:
    Consents(const Database &db, const Clock &clock);

    std::optional<Consent> find(const QString &userId, const QString &clientId) const;
    // Whether the consent on record holds every one of `scopes`.
    bool covers(const QString &userId, const QString &clientId, const QStringList &scopes) const;
    // Adds `scopes` to what was granted before (a consent only grows) and sets grantedAt.
    void grant(const QString &userId, const QString &clientId, const QStringList &scopes);
    void revoke(const QString &userId, const QString &clientId);

private:
    const Database &m_db;
    const Clock &m_clock;
};
