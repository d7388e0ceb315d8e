// SPDX-License-Identifier: GPL-3.0-or-later
#include "oidc/oidctokens.h"

#include "clock.h"
#include "crypto/digest.h"
#include "crypto/random.h"
#include "storage/database.h"
#include "storage/table.h"

using namespace Qt::StringLiterals;

namespace {

// A revoked or rotated token is kept until it would have expired, and this long after,
// so its reuse is still recognised (and its family revoked) for a while.
constexpr qint64 kReuseMemoryMs = 24 * 3600'000LL;

// oidc_tokens as flat columns; OidcToken nests the family.
struct TokenRow
{
    QString tokenHash;
    QString kind;
    QString familyId;
    QString clientId;
    QString userId;
    QString scope;
    QString sessionId;
    qint64 authTime = 0;
    QString amr;
    qint64 signOutEpoch = 0;
    qint64 createdAt = 0;
    qint64 expiresAt = 0;
    qint64 usedAt = 0;
    qint64 revokedAt = 0;
};

const Table<TokenRow> kTokens{u"oidc_tokens"_s,
                              {
                                  {u"token_hash"_s, &TokenRow::tokenHash},
                                  {u"kind"_s, &TokenRow::kind},
                                  {u"family_id"_s, &TokenRow::familyId},
                                  {u"client_id"_s, &TokenRow::clientId},
                                  {u"user_id"_s, &TokenRow::userId},
                                  {u"scope"_s, &TokenRow::scope},
                                  {u"session_id"_s, &TokenRow::sessionId},
                                  {u"auth_time"_s, &TokenRow::authTime},
                                  {u"amr"_s, &TokenRow::amr},
                                  {u"sign_out_epoch"_s, &TokenRow::signOutEpoch},
                                  {u"created_at"_s, &TokenRow::createdAt},
                                  {u"expires_at"_s, &TokenRow::expiresAt},
                                  {u"used_at"_s, &TokenRow::usedAt},
                                  {u"revoked_at"_s, &TokenRow::revokedAt},
                              }};

QString kindName(OidcToken::Kind kind)
{
    return kind == OidcToken::Kind::Refresh ? u"refresh"_s : u"access"_s;
}

OidcToken fromRow(const TokenRow &row)
{
    OidcToken t;
    t.hash = row.tokenHash;
    t.kind = row.kind == u"refresh" ? OidcToken::Kind::Refresh : OidcToken::Kind::Access;
    t.family = {row.familyId,  row.clientId, row.userId, row.scope,
                row.sessionId, row.authTime, row.amr,    row.signOutEpoch};
    t.scope = row.scope;
    t.createdAt = row.createdAt;
    t.expiresAt = row.expiresAt;
    t.usedAt = row.usedAt;
    t.revokedAt = row.revokedAt;
    return t;
}

// The columns prefixed with the table's alias, for a join with users (both have
// created_at); the result columns keep their plain names.
QString joinedSelect()
{
    return u"SELECT t."_s + QString(kTokens.columnList()).replace(u", "_s, u", t."_s) +
           u", u.disabled AS user_disabled, u.tokens_valid_after AS user_epoch"
           u" FROM oidc_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = :hash"_s;
}

} // namespace

OidcTokens::OidcTokens(const Database &db, const Clock &clock) : m_db(db), m_clock(clock) {}

QString OidcTokens::insert(const TokenFamily &family, OidcToken::Kind kind, const QString &scope,
                           qint64 expiresAt)
{
    const QString token = Random::urlToken(32);
    const TokenRow row{Digest::tokenHash(token.toLatin1()),
                       kindName(kind),
                       family.familyId,
                       family.clientId,
                       family.userId,
                       scope,
                       family.sessionId,
                       family.authTime,
                       family.amr,
                       family.signOutEpoch,
                       m_clock.nowMs(),
                       expiresAt,
                       0,
                       0};
    Sql q(m_db, kTokens.insert());
    kTokens.bind(q, row);
    q.exec();
    return token;
}

OidcTokens::Issued OidcTokens::issue(const TokenFamily &family, bool withRefresh,
                                     const Lifetimes &lifetimes)
{
    Issued out;
    out.family = family;
    out.scope = family.scope;
    const qint64 now = m_clock.nowMs();
    out.accessExpiresAt = now + lifetimes.accessMs;
    m_db.write([&] {
        out.accessToken =
            insert(family, OidcToken::Kind::Access, family.scope, out.accessExpiresAt);
        if (withRefresh) // a refresh token always carries the family's whole scope
            out.refreshToken =
                insert(family, OidcToken::Kind::Refresh, family.scope, now + lifetimes.refreshMs);
    });
    return out;
}

OidcTokens::Refreshed OidcTokens::refresh(const QString &token, const QString &clientId,
                                          const QString &scope, const Lifetimes &lifetimes)
{
    const QString hash = Digest::tokenHash(token.toLatin1());
    const qint64 now = m_clock.nowMs();
    Refreshed out;
    m_db.write([&] {
        const auto found = lookup(hash, true);
        if (!found || found->kind != OidcToken::Kind::Refresh)
            return; // Unknown
        if (found->family.clientId != clientId) {
            out.outcome = Outcome::WrongClient;
            return;
        }
        if (found->usedAt != 0) { // rotated away: someone holds a copy (RFC 9700 4.14.2)
            out.outcome = Outcome::Reused;
            out.familyId = found->family.familyId;
            revokeFamily(found->family.familyId);
            return;
        }
        if (found->revokedAt != 0) {
            out.outcome = Outcome::Revoked;
            return;
        }
        if (found->expiresAt <= now) {
            out.outcome = Outcome::Expired;
            return;
        }
        if (!active(token)) { // the user is disabled, gone or signed out everywhere
            out.outcome = Outcome::UserRefused;
            return;
        }
        // Conditional, so that of two instances rotating at once only one wins; the
        // other is a reuse.
        Sql use(m_db, u"UPDATE oidc_tokens SET used_at = :now WHERE token_hash = :hash"
                      u" AND used_at = 0 AND revoked_at = 0"_s);
        if (use.bind(u":now"_s, now).bind(u":hash"_s, hash).exec().rowsAffected() != 1) {
            out.outcome = Outcome::Reused;
            out.familyId = found->family.familyId;
            revokeFamily(found->family.familyId);
            return;
        }
        out.outcome = Outcome::Rotated;
        out.issued = issue(found->family, true, lifetimes);
        if (!scope.isEmpty() && scope != found->family.scope) {
            // The new access token gets the narrower scope; the refresh token keeps the
            // family's (RFC 6749 section 6).
            Sql narrow(m_db, u"UPDATE oidc_tokens SET scope = :scope WHERE token_hash = :hash"_s);
            narrow.bind(u":scope"_s, scope)
                .bind(u":hash"_s, Digest::tokenHash(out.issued.accessToken.toLatin1()))
                .exec();
            out.issued.scope = scope;
        }
    });
    return out;
}

std::optional<OidcToken> OidcTokens::lookup(const QString &hash, bool joinUser) const
{
    Sql q(m_db, joinUser ? joinedSelect() : kTokens.select(u"WHERE token_hash = :hash"_s));
    q.bind(u":hash"_s, hash).exec();
    if (!q.next())
        return std::nullopt;
    return fromRow(kTokens.read(q));
}

std::optional<OidcToken> OidcTokens::active(const QString &token) const
{
    Sql q(m_db, joinedSelect());
    q.bind(u":hash"_s, Digest::tokenHash(token.toLatin1())).exec();
    if (!q.next())
        return std::nullopt; // unknown, or its user or client was removed
    const OidcToken found = fromRow(kTokens.read(q));
    const bool userOk = q.value(u"user_disabled"_s).toLongLong() == 0 &&
                        q.value(u"user_epoch"_s).toLongLong() <= found.family.signOutEpoch;
    if (!userOk || found.revokedAt != 0 || found.usedAt != 0 || found.expiresAt <= m_clock.nowMs())
        return std::nullopt;
    return found;
}

std::optional<OidcToken> OidcTokens::find(const QString &token) const
{
    return lookup(Digest::tokenHash(token.toLatin1()), false);
}

int OidcTokens::revoke(const OidcToken &token)
{
    if (token.kind == OidcToken::Kind::Refresh)
        return revokeFamily(token.family.familyId);
    int rows = 0;
    m_db.write([&] {
        Sql q(m_db, u"UPDATE oidc_tokens SET revoked_at = :now WHERE token_hash = :hash"
                    u" AND revoked_at = 0"_s);
        rows =
            q.bind(u":now"_s, m_clock.nowMs()).bind(u":hash"_s, token.hash).exec().rowsAffected();
    });
    return rows;
}

int OidcTokens::revokeFamily(const QString &familyId)
{
    int rows = 0;
    m_db.write([&] {
        Sql q(m_db, u"UPDATE oidc_tokens SET revoked_at = :now WHERE family_id = :family"
                    u" AND revoked_at = 0"_s);
        rows =
            q.bind(u":now"_s, m_clock.nowMs()).bind(u":family"_s, familyId).exec().rowsAffected();
    });
    return rows;
}

int OidcTokens::revokeForUser(const QString &userId)
{
    int rows = 0;
    m_db.write([&] {
        Sql q(m_db, u"UPDATE oidc_tokens SET revoked_at = :now WHERE user_id = :user"
                    u" AND revoked_at = 0"_s);
        rows = q.bind(u":now"_s, m_clock.nowMs()).bind(u":user"_s, userId).exec().rowsAffected();
    });
    return rows;
}

int OidcTokens::purgeExpired()
{
    int rows = 0;
    m_db.write([&] {
        Sql q(m_db, u"DELETE FROM oidc_tokens WHERE expires_at < :cutoff"_s);
        rows = q.bind(u":cutoff"_s, m_clock.nowMs() - kReuseMemoryMs).exec().rowsAffected();
    });
    return rows;
}
