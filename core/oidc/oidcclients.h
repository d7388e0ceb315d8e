// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

using namespace Qt::StringLiterals;

class Clock;
class Database;

// An application that signs its people in with Gatehouse (an OpenID Connect relying
// party). Redirect URIs match exactly, character for character.
struct OidcClient
{
    QString id; // client_id, "gh_" + 24 random base64url characters
    QString name;
    QStringList redirectUris;
    QStringList postLogoutRedirectUris;
    QStringList scopes;              // allowed; always a subset of OidcClients::knownScopes()
    bool firstParty = false;         // the consent page is skipped
    bool isPublic = false;           // no secret (token_endpoint_auth_method "none"): PKCE only
    QString idTokenAlg = u"RS256"_s; // RS256 or ES256
    // PKCE (S256) on every authorization. Only a confidential client may turn it off, for
    // software that cannot send it (Gitea); a `plain` challenge is refused either way.
    bool requirePkce = true;
    qint64 createdAt = 0;
    qint64 updatedAt = 0;
    qint64 secretRotatedAt = 0; // ms; 0 for public clients
};

// The oidc_clients table. A client's secret is shown once (add, rotateSecret) and
// stored as its SHA-256 only; it is 32 random bytes, so no slow hash is needed.
class OidcClients
{
public:
    // openid, profile, email, offline_access
    static const QStringList &knownScopes();
    // Empty when `uri` may be registered, else why not: absolute, no fragment, https or
    // http on a loopback host (127.0.0.1, [::1], localhost), or a private-use scheme
    // ("com.example.app:/callback") for native apps.
    static QString redirectUriProblem(const QString &uri);

    OidcClients(const Database &db, const Clock &clock);

    struct Created
    {
        OidcClient client;
        QByteArray secret; // empty for a public client
    };
    // Checks the name (1-100 characters), the URIs (at least one redirect URI), the
    // scopes (must include openid) and the algorithm; assigns id and times.
    Result<Created> add(OidcClient draft);
    std::optional<OidcClient> byId(const QString &id) const;
    QList<OidcClient> list() const; // by name
    // Name, URIs, scopes, first-party flag and algorithm (not id nor public-ness).
    Result<OidcClient> update(const OidcClient &client);
    // A new secret, replacing the old at once; nullopt for an unknown or public client.
    std::optional<QByteArray> rotateSecret(const QString &id);
    // Removes the client with its requests, codes and tokens (ON DELETE CASCADE).
    bool remove(const QString &id);
    // Constant time; false for unknown and public clients.
    bool checkSecret(const QString &id, QByteArrayView presented) const;

private:
    Result<Done> validate(const OidcClient &client) const;
    const Database &m_db;
    const Clock &m_clock;
};
