// SPDX-License-Identifier: GPL-3.0-or-later
#include "oidc/authcodes.h"

#include "clock.h"
#include "crypto/digest.h"
#include "crypto/random.h"
#include "storage/database.h"
#include "storage/table.h"

using namespace Qt::StringLiterals;

namespace {

// A used code stays this long past its expiry, so a late reuse is still recognised.
constexpr qint64 kReuseMemoryMs = 10 * 60'000;

struct CodeRow
{
    QString codeHash;
    CodeGrant grant;
    qint64 createdAt = 0;
    qint64 expiresAt = 0;
    qint64 usedAt = 0;
};

const Table<CodeGrant> kGrant{u"oidc_codes"_s,
                              {
                                  {u"client_id"_s, &CodeGrant::clientId},
                                  {u"user_id"_s, &CodeGrant::userId},
                                  {u"redirect_uri"_s, &CodeGrant::redirectUri},
                                  {u"scope"_s, &CodeGrant::scope},
                                  {u"nonce"_s, &CodeGrant::nonce},
                                  {u"code_challenge"_s, &CodeGrant::codeChallenge},
                                  {u"session_id"_s, &CodeGrant::sessionId},
                                  {u"auth_time"_s, &CodeGrant::authTime},
                                  {u"amr"_s, &CodeGrant::amr},
                                  {u"family_id"_s, &CodeGrant::familyId},
                              }};

} // namespace

AuthCodes::AuthCodes(const Database &db, const Clock &clock) : m_db(db), m_clock(clock) {}

QString AuthCodes::issue(CodeGrant grant)
{
    const QString code = Random::urlToken(32);
    grant.familyId = Random::urlToken(16);
    const qint64 now = m_clock.nowMs();
    m_db.write([&] {
        Sql q(m_db,
              kGrant.insert({u"code_hash"_s, u"created_at"_s, u"expires_at"_s, u"used_at"_s}));
        kGrant.bind(q, grant);
        q.bind(u":code_hash"_s, Digest::tokenHash(code.toLatin1()));
        q.bind(u":created_at"_s, now).bind(u":expires_at"_s, now + kLifetimeMs);
        q.bind(u":used_at"_s, 0).exec();
    });
    return code;
}

AuthCodes::Redeemed AuthCodes::redeem(const QString &code)
{
    const QString hash = Digest::tokenHash(code.toLatin1());
    const qint64 now = m_clock.nowMs();
    Redeemed out;
    m_db.write([&] {
        Sql q(m_db, kGrant.select(u"WHERE code_hash = :hash"_s)
                        .replace(u"SELECT "_s, u"SELECT expires_at, used_at, "_s));
        q.bind(u":hash"_s, hash).exec();
        if (!q.next())
            return;
        out.grant = kGrant.read(q);
        if (q.value(u"used_at"_s).toLongLong() != 0) {
            out.outcome = Outcome::Reused;
            return;
        }
        if (q.value(u"expires_at"_s).toLongLong() <= now) {
            out.outcome = Outcome::Expired;
            out.grant = {};
            return;
        }
        // Conditional, so that of two instances redeeming at once only one wins.
        Sql use(m_db, u"UPDATE oidc_codes SET used_at = :now WHERE code_hash = :hash"
                      u" AND used_at = 0"_s);
        use.bind(u":now"_s, now).bind(u":hash"_s, hash).exec();
        out.outcome = use.rowsAffected() == 1 ? Outcome::Granted : Outcome::Reused;
    });
    return out;
}

int AuthCodes::purgeExpired()
{
    int rows = 0;
    m_db.write([&] {
        Sql q(m_db, u"DELETE FROM oidc_codes WHERE expires_at < :cutoff"_s);
        q.bind(u":cutoff"_s, m_clock.nowMs() - kReuseMemoryMs).exec();
        rows = q.rowsAffected();
    });
    return rows;
}
