// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/tokenstore.h"

#include "crypto/hmackey.h"

#include "clock.h"
#include "config/secrets.h"
#include "crypto/digest.h"
#include "storage/database.h"
#include "storage/table.h"

#include <QUuid>

using namespace Qt::StringLiterals;

namespace {
const Table<IssuedToken> kTokens{u"issued_tokens"_s,
                                 {
                                     {u"id"_s, &IssuedToken::id},
                                     {u"kind"_s, &IssuedToken::kind},
                                     {u"user_id"_s, &IssuedToken::userId},
                                     {u"label"_s, &IssuedToken::label},
                                     {u"data"_s, &IssuedToken::data},
                                     {u"created_at"_s, &IssuedToken::createdAt},
                                     {u"expires_at"_s, &IssuedToken::expiresAt},
                                     {u"last_used_at"_s, &IssuedToken::lastUsedAt},
                                     {u"revoked_at"_s, &IssuedToken::revokedAt},
                                 }};

QString whereFor(const TokenFilter &f)
{
    QString where = u" WHERE 1=1"_s;
    if (!f.userId.isEmpty())
        where += u" AND user_id = :user"_s;
    if (!f.kind.isEmpty())
        where += u" AND kind = :kind"_s;
    if (f.liveOnly)
        where += u" AND revoked_at = 0 AND expires_at > :now"_s;
    return where;
}

void bindFilter(Sql &q, const TokenFilter &f, qint64 now)
{
    if (!f.userId.isEmpty())
        q.bind(u":user"_s, f.userId);
    if (!f.kind.isEmpty())
        q.bind(u":kind"_s, f.kind);
    if (f.liveOnly)
        q.bind(u":now"_s, now);
}
} // namespace

TokenStore::TokenStore(const Database &db, const Clock &clock, const Secrets &secrets,
                       FreshCache<IssuedToken>::Options cache)
    : m_db(db), m_clock(clock), m_secrets(secrets), m_byHash(clock, cache), m_byId(clock, cache)
{}

QString TokenStore::hashOf(QByteArrayView secret) const
{
    // HMAC(HMAC(signing key, "issued-token-pepper"), secret), the pepper key made ready once.
    const auto pepper = HmacKey::derived(m_secrets.signingKey(), "issued-token-pepper");
    return QString::fromLatin1(pepper->mac(secret).toHex());
}

IssuedToken TokenStore::issue(const QString &kind, const QString &userId, QByteArrayView secret,
                              qint64 lifetimeMs, const QString &label, const QString &data)
{
    const qint64 now = m_clock.nowMs();
    IssuedToken t{.id = QUuid::createUuid().toString(QUuid::WithoutBraces),
                  .kind = kind,
                  .userId = userId,
                  .label = label,
                  .data = data,
                  .createdAt = now,
                  .expiresAt = now + lifetimeMs,
                  .lastUsedAt = now};
    m_db.write([&] {
        Sql insert(m_db, kTokens.insert({u"token_hash"_s}));
        kTokens.bind(insert, t);
        insert.bind(u":token_hash"_s, hashOf(secret)).exec();
    });
    return t;
}

std::optional<IssuedToken> TokenStore::findLive(const QString &kind, QByteArrayView secret) const
{
    if (secret.isEmpty())
        return std::nullopt;
    const QString hash = hashOf(secret);
    const auto t = Database::inWrite()
                       ? findByHash(kind, hash)
                       : m_byHash.get(kind + u':' + hash, [&] { return findByHash(kind, hash); });
    if (!t || !t->live(m_clock.nowMs()))
        return std::nullopt;
    return t;
}

// Live or not, straight from the database (an import checks what is already stored).
std::optional<IssuedToken> TokenStore::find(const QString &kind, QByteArrayView secret) const
{
    if (secret.isEmpty())
        return std::nullopt;
    return findByHash(kind, hashOf(secret));
}

std::optional<IssuedToken> TokenStore::findByHash(const QString &kind, const QString &hash) const
{
    Sql q(m_db, kTokens.select(u"WHERE token_hash = :hash AND kind = :kind"_s));
    q.bind(u":hash"_s, hash).bind(u":kind"_s, kind).exec();
    return q.next() ? std::optional(kTokens.read(q)) : std::nullopt;
}

std::optional<IssuedToken> TokenStore::current(const QString &id) const
{
    if (Database::inWrite()) // may see this transaction's own, uncommitted change
        return byId(id);
    return m_byId.get(id, [&] { return byId(id); });
}

// Forgets now and again once committed (a read on another thread may have loaded the
// old row in between); see Users::forgetWhenWritten.
void TokenStore::forgetWhenWritten(const QString &tokenId) const
{
    const auto forget = [this, tokenId] {
        m_byId.forget(tokenId);
        m_byHash.forgetIf([&](const IssuedToken &t) { return t.id == tokenId; });
    };
    forget();
    Database::whenWritten(forget);
}

void TokenStore::forgetUser(const QString &userId) const
{
    const auto forget = [this, userId] {
        const auto owned = [&](const IssuedToken &t) { return t.userId == userId; };
        m_byId.forgetIf(owned);
        m_byHash.forgetIf(owned);
    };
    forget();
    Database::whenWritten(forget);
}

std::optional<IssuedToken> TokenStore::byId(const QString &id) const
{
    Sql q(m_db, kTokens.select(u"WHERE id = :id"_s));
    q.bind(u":id"_s, id).exec();
    return q.next() ? std::optional(kTokens.read(q)) : std::nullopt;
}

void TokenStore::touch(const IssuedToken &token)
{
    const qint64 now = m_clock.nowMs();
    if (now - token.lastUsedAt < 60'000)
        return;
    m_db.write([&] {
        Sql(m_db, u"UPDATE issued_tokens SET last_used_at = :now WHERE id = :id"_s)
            .bind(u":now"_s, now)
            .bind(u":id"_s, token.id)
            .exec();
    });
    forgetWhenWritten(token.id); // else the cached copy would ask for this write again
}

bool TokenStore::revoke(const QString &id)
{
    int changed = 0;
    m_db.write([&] {
        Sql q(m_db,
              u"UPDATE issued_tokens SET revoked_at = :now WHERE id = :id AND revoked_at = 0"_s);
        changed = q.bind(u":now"_s, m_clock.nowMs()).bind(u":id"_s, id).exec().rowsAffected();
    });
    forgetWhenWritten(id);
    return changed > 0;
}

int TokenStore::revokeAllForUser(const QString &userId, const QString &kind,
                                 const QString &exceptId)
{
    int changed = 0;
    m_db.write([&] {
        QString sql = u"UPDATE issued_tokens SET revoked_at = :now WHERE user_id = :user "
                      u"AND revoked_at = 0"_s;
        if (!kind.isEmpty())
            sql += u" AND kind = :kind"_s;
        if (!exceptId.isEmpty())
            sql += u" AND id <> :except"_s;
        Sql q(m_db, sql);
        q.bind(u":now"_s, m_clock.nowMs()).bind(u":user"_s, userId);
        if (!kind.isEmpty())
            q.bind(u":kind"_s, kind);
        if (!exceptId.isEmpty())
            q.bind(u":except"_s, exceptId);
        changed = q.exec().rowsAffected();
    });
    forgetUser(userId);
    return changed;
}

QList<IssuedToken> TokenStore::list(const TokenFilter &filter) const
{
    Sql q(m_db, kTokens.select(whereFor(filter) +
                               u" ORDER BY created_at DESC LIMIT :limit OFFSET :offset"_s));
    bindFilter(q, filter, m_clock.nowMs());
    q.bind(u":limit"_s, qBound(1, filter.limit, 10000)).bind(u":offset"_s, qMax(0, filter.offset));
    q.exec();
    QList<IssuedToken> out;
    while (q.next())
        out.append(kTokens.read(q));
    return out;
}

qint64 TokenStore::count(const TokenFilter &filter) const
{
    Sql q(m_db, u"SELECT COUNT(*) AS n FROM issued_tokens"_s + whereFor(filter));
    bindFilter(q, filter, m_clock.nowMs());
    q.exec();
    return q.next() ? q.value(u"n"_s).toLongLong() : 0;
}

int TokenStore::purgeExpired(qint64 olderThanMs)
{
    int removed = 0;
    m_db.write([&] {
        Sql q(m_db, u"DELETE FROM issued_tokens WHERE expires_at < :cutoff"_s);
        removed = q.bind(u":cutoff"_s, olderThanMs).exec().rowsAffected();
    });
    return removed;
}
