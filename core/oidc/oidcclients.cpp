// SPDX-License-Identifier: GPL-3.0-or-later
#include "oidc/oidcclients.h"

#include "clock.h"
#include "crypto/digest.h"
#include "crypto/random.h"
#include "storage/database.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace {

constexpr int kMaxName = 100;
constexpr int kMaxUris = 20;
constexpr int kMaxUriLength = 2000;
const QString kColumns = u"client_id, name, secret_hash, redirect_uris, post_logout_redirect_uris,"
                         u" scopes, first_party, is_public, id_token_alg, require_pkce,"
                         u" created_at, updated_at, secret_rotated_at"_s;

// URIs are stored one per line (a registered URI never holds a line break), scopes
// space-separated as OAuth writes them.
// An empty list must be "", not a null QString: Qt binds null as SQL NULL, which the
// NOT NULL columns refuse (a client without post-logout URIs could not be added).
QString joinUris(const QStringList &uris)
{
    return uris.isEmpty() ? u""_s : uris.join(u'\n');
}

QStringList splitUris(const QString &text)
{
    return text.split(u'\n', Qt::SkipEmptyParts);
}

OidcClient readClient(const Sql &q)
{
    OidcClient c;
    c.id = q.value(u"client_id"_s).toString();
    c.name = q.value(u"name"_s).toString();
    c.redirectUris = splitUris(q.value(u"redirect_uris"_s).toString());
    c.postLogoutRedirectUris = splitUris(q.value(u"post_logout_redirect_uris"_s).toString());
    c.scopes = q.value(u"scopes"_s).toString().split(u' ', Qt::SkipEmptyParts);
    c.firstParty = q.value(u"first_party"_s).toInt() != 0;
    c.isPublic = q.value(u"is_public"_s).toInt() != 0;
    c.idTokenAlg = q.value(u"id_token_alg"_s).toString();
    c.requirePkce = q.value(u"require_pkce"_s).toInt() != 0;
    c.createdAt = q.value(u"created_at"_s).toLongLong();
    c.updatedAt = q.value(u"updated_at"_s).toLongLong();
    c.secretRotatedAt = q.value(u"secret_rotated_at"_s).toLongLong();
    return c;
}

bool isLoopback(const QString &host)
{
    return host == u"127.0.0.1"_s || host == u"::1"_s || host == u"localhost"_s;
}

QString newSecret()
{
    return Random::urlToken(32);
}

} // namespace

const QStringList &OidcClients::knownScopes()
{
    static const QStringList scopes{u"openid"_s, u"profile"_s, u"email"_s, u"offline_access"_s};
    return scopes;
}

QString OidcClients::redirectUriProblem(const QString &uri)
{
    if (uri.isEmpty() || uri.size() > kMaxUriLength)
        return u"a redirect URI must have 1 to %1 characters"_s.arg(kMaxUriLength);
    if (uri.contains(u'\n') || uri.contains(u'\r') || uri.contains(u' '))
        return u"a redirect URI cannot contain spaces or line breaks"_s;
    const QUrl url(uri, QUrl::StrictMode);
    if (!url.isValid() || url.isRelative())
        return u"\"%1\" is not an absolute URI"_s.arg(uri);
    if (url.hasFragment())
        return u"\"%1\" has a fragment (#…), which OAuth forbids"_s.arg(uri);
    const QString scheme = url.scheme().toLower();
    if (scheme == u"https"_s)
        return url.host().isEmpty() ? u"\"%1\" has no host"_s.arg(uri) : QString();
    if (scheme == u"http"_s)
        return isLoopback(url.host()) ? QString()
                                      : u"\"%1\": plain http is allowed on a loopback host only "
                                        u"(127.0.0.1, [::1], localhost); use https"_s.arg(uri);
    if (scheme == u"javascript"_s || scheme == u"data"_s || scheme == u"file"_s ||
        scheme == u"vbscript"_s)
        return u"\"%1\": the %2 scheme cannot be a redirect URI"_s.arg(uri, scheme);
    // A private-use scheme (RFC 8252 7.1) must look like a reversed domain name.
    if (!scheme.contains(u'.'))
        return u"\"%1\": a native app's scheme must be a reversed domain (com.example.app)"_s.arg(
            uri);
    return {};
}

OidcClients::OidcClients(const Database &db, const Clock &clock) : m_db(db), m_clock(clock) {}

Result<Done> OidcClients::validate(const OidcClient &c) const
{
    const QString name = c.name.trimmed();
    if (name.isEmpty() || name.size() > kMaxName)
        return Result<Done>::failure(Refusal::Kind::InvalidInput,
                                     u"name: 1 to %1 characters"_s.arg(kMaxName));
    if (c.redirectUris.isEmpty())
        return Result<Done>::failure(Refusal::Kind::InvalidInput,
                                     u"redirect URIs: at least one is needed"_s);
    if (c.redirectUris.size() > kMaxUris || c.postLogoutRedirectUris.size() > kMaxUris)
        return Result<Done>::failure(Refusal::Kind::InvalidInput,
                                     u"at most %1 URIs of each kind"_s.arg(kMaxUris));
    for (const QStringList *list : {&c.redirectUris, &c.postLogoutRedirectUris})
        for (const QString &uri : *list)
            if (const QString problem = redirectUriProblem(uri); !problem.isEmpty())
                return Result<Done>::failure(Refusal::Kind::InvalidInput, problem);
    if (!c.scopes.contains(u"openid"_s))
        return Result<Done>::failure(Refusal::Kind::InvalidInput, u"scopes: openid is required"_s);
    for (const QString &scope : c.scopes)
        if (!knownScopes().contains(scope))
            return Result<Done>::failure(
                Refusal::Kind::InvalidInput,
                u"scopes: \"%1\" is not one of %2"_s.arg(scope, knownScopes().join(u", ")));
    if (c.idTokenAlg != u"RS256"_s && c.idTokenAlg != u"ES256"_s)
        return Result<Done>::failure(Refusal::Kind::InvalidInput,
                                     u"ID token algorithm: RS256 or ES256"_s);
    if (c.isPublic && !c.requirePkce)
        return Result<Done>::failure(Refusal::Kind::InvalidInput,
                                     u"a public client must use PKCE (it has no secret)"_s);
    return Done{};
}

Result<OidcClients::Created> OidcClients::add(OidcClient draft)
{
    draft.name = draft.name.trimmed();
    draft.scopes.removeDuplicates();
    if (auto valid = validate(draft); !valid)
        return valid.refusal();
    const qint64 now = m_clock.nowMs();
    draft.id = u"gh_"_s + Random::urlToken(18);
    draft.createdAt = draft.updatedAt = now;
    draft.secretRotatedAt = draft.isPublic ? 0 : now;
    const QByteArray secret = draft.isPublic ? QByteArray() : newSecret().toLatin1();
    m_db.write([&] {
        Sql q(m_db,
              u"INSERT INTO oidc_clients (%1) VALUES (:id, :name, :secret, :uris, :logout,"
              u" :scopes, :first, :public, :alg, :pkce, :now, :now, :rotated)"_s.arg(kColumns));
        q.bind(u":id"_s, draft.id).bind(u":name"_s, draft.name);
        q.bind(u":secret"_s, secret.isEmpty() ? u""_s : Digest::tokenHash(secret));
        q.bind(u":uris"_s, joinUris(draft.redirectUris));
        q.bind(u":logout"_s, joinUris(draft.postLogoutRedirectUris));
        q.bind(u":scopes"_s, draft.scopes.join(u' ')).bind(u":first"_s, draft.firstParty ? 1 : 0);
        q.bind(u":public"_s, draft.isPublic ? 1 : 0).bind(u":alg"_s, draft.idTokenAlg);
        q.bind(u":pkce"_s, draft.requirePkce ? 1 : 0);
        q.bind(u":now"_s, now).bind(u":rotated"_s, draft.secretRotatedAt).exec();
    });
    return Created{draft, secret};
}

std::optional<OidcClient> OidcClients::byId(const QString &id) const
{
    Sql q(m_db, u"SELECT %1 FROM oidc_clients WHERE client_id = :id"_s.arg(kColumns));
    q.bind(u":id"_s, id).exec();
    if (!q.next())
        return std::nullopt;
    return readClient(q);
}

QList<OidcClient> OidcClients::list() const
{
    Sql q(m_db, u"SELECT %1 FROM oidc_clients ORDER BY name, client_id"_s.arg(kColumns));
    q.exec();
    QList<OidcClient> out;
    while (q.next())
        out.append(readClient(q));
    return out;
}

Result<OidcClient> OidcClients::update(const OidcClient &client)
{
    OidcClient changed = client;
    changed.name = changed.name.trimmed();
    changed.scopes.removeDuplicates();
    if (auto valid = validate(changed); !valid)
        return valid.refusal();
    int rows = 0;
    m_db.write([&] {
        Sql q(m_db, u"UPDATE oidc_clients SET name = :name, redirect_uris = :uris,"
                    u" post_logout_redirect_uris = :logout, scopes = :scopes,"
                    u" first_party = :first, id_token_alg = :alg, updated_at = :now,"
                    u" require_pkce = CASE WHEN is_public = 1 THEN 1 ELSE :pkce END"
                    u" WHERE client_id = :id"_s);
        q.bind(u":name"_s, changed.name).bind(u":uris"_s, joinUris(changed.redirectUris));
        q.bind(u":logout"_s, joinUris(changed.postLogoutRedirectUris));
        q.bind(u":scopes"_s, changed.scopes.join(u' '));
        q.bind(u":first"_s, changed.firstParty ? 1 : 0).bind(u":alg"_s, changed.idTokenAlg);
        q.bind(u":pkce"_s, changed.requirePkce ? 1 : 0);
        q.bind(u":now"_s, m_clock.nowMs()).bind(u":id"_s, changed.id).exec();
        rows = q.rowsAffected();
    });
    if (rows == 0)
        return Result<OidcClient>::failure(Refusal::Kind::NotFound, u"no such client"_s);
    return *byId(changed.id);
}

std::optional<QByteArray> OidcClients::rotateSecret(const QString &id)
{
    const QByteArray secret = newSecret().toLatin1();
    int rows = 0;
    m_db.write([&] {
        Sql q(m_db, u"UPDATE oidc_clients SET secret_hash = :hash, secret_rotated_at = :now,"
                    u" updated_at = :now WHERE client_id = :id AND is_public = 0"_s);
        q.bind(u":hash"_s, Digest::tokenHash(secret)).bind(u":now"_s, m_clock.nowMs());
        q.bind(u":id"_s, id).exec();
        rows = q.rowsAffected();
    });
    if (rows == 0)
        return std::nullopt;
    return secret;
}

bool OidcClients::remove(const QString &id)
{
    int rows = 0;
    m_db.write([&] {
        Sql q(m_db, u"DELETE FROM oidc_clients WHERE client_id = :id"_s);
        q.bind(u":id"_s, id).exec();
        rows = q.rowsAffected();
    });
    return rows > 0;
}

bool OidcClients::checkSecret(const QString &id, QByteArrayView presented) const
{
    Sql q(m_db, u"SELECT secret_hash FROM oidc_clients WHERE client_id = :id AND is_public = 0"_s);
    q.bind(u":id"_s, id).exec();
    // An unknown client still costs one hash and one compare, like a known one.
    const QByteArray stored =
        q.next() ? q.value(u"secret_hash"_s).toString().toLatin1() : QByteArray(64, 'x');
    const QByteArray hash = Digest::tokenHash(presented).toLatin1();
    return Digest::equal(hash, stored) && !presented.isEmpty();
}
