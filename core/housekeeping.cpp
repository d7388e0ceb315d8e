// SPDX-License-Identifier: GPL-3.0-or-later
#include "housekeeping.h"

#include "clock.h"
#include "identity/ratelimits.h"
#include "identity/tokenstore.h"
#include "oidc/signingkeys.h"
#include "storage/database.h"
#include "storage/storageerror.h"
#include "workerthread.h"

#include <QLoggingCategory>
#include <QThread>
#include <QTimer>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcHousekeeping, "gatehouse.housekeeping")

namespace {
// Expired links and logins stay an hour, so their pages can still say "expired"
// rather than "unknown" to the person who was a little late.
constexpr qint64 kGraceMs = 3'600'000;
// PIN failures are forgotten after an hour of quiet (PinLockout::Options::forgetMs)
// and locks are capped at an hour; a day covers both.
constexpr qint64 kLockoutMs = 24LL * 3'600'000;
} // namespace

Housekeeping::Housekeeping(const Database &db, const Clock &clock, TokenStore &tokens,
                           RateLimits &limits, Options options)
    : m_db(db), m_clock(clock), m_tokens(tokens), m_limits(limits), m_options(options)
{}

Housekeeping::~Housekeeping()
{
    stop();
}

Housekeeping::Report Housekeeping::purge()
{
    const qint64 now = m_clock.nowMs();
    const qint64 expired = now - kGraceMs;
    const qint64 old = now - m_options.retentionMs;
    struct Step
    {
        const char *table;
        QString sql;
        qint64 cutoff;
    };
    const Step steps[] = {
        {"outbox",
         u"DELETE FROM outbox WHERE state IN ('sent', 'failed', 'held') AND created_at < :t"_s,
         old},
        {"wallet_codes", u"DELETE FROM wallet_codes WHERE expires_at < :t"_s, expired},
        {"wallet_challenges", u"DELETE FROM wallet_challenges WHERE expires_at < :t"_s, expired},
        {"oauth_states", u"DELETE FROM oauth_states WHERE expires_at < :t"_s, expired},
        {"device_logins", u"DELETE FROM device_logins WHERE expires_at < :t"_s, expired},
        {"email_verifications", u"DELETE FROM email_verifications WHERE expires_at < :t"_s,
         expired},
        {"account_otps", u"DELETE FROM account_otps WHERE expires_at < :t"_s, expired},
        {"passkey_ceremonies", u"DELETE FROM passkey_ceremonies WHERE expires_at < :t"_s, expired},
        {"second_steps", u"DELETE FROM second_steps WHERE expires_at < :t"_s, expired},
        // The OpenID provider's requests in flight, browser sessions and codes (a used
        // code is kept until it expires, so its reuse is still recognised).
        {"oidc_requests", u"DELETE FROM oidc_requests WHERE expires_at < :t"_s, expired},
        {"oidc_sessions", u"DELETE FROM oidc_sessions WHERE expires_at < :t"_s, now},
        {"oidc_codes", u"DELETE FROM oidc_codes WHERE expires_at < :t"_s, expired},
        // Access and refresh tokens past their life (a used refresh token is refused as
        // expired by then, so dropping it loses no reuse detection).
        {"oidc_tokens", u"DELETE FROM oidc_tokens WHERE expires_at < :t"_s, expired},
        {"account_used_tokens", u"DELETE FROM account_used_tokens WHERE expires_at < :t"_s, now},
        // Device accounts whose every session ended, with no email, password, PIN or
        // linked identity, can never sign in again: registrations nobody kept. Before
        // the tokens go, which is how such an account is recognised.
        {"users",
         u"DELETE FROM users WHERE created_at < :t AND is_admin = 0 AND email IS NULL "
         u"AND password_hash IS NULL AND pin_hash IS NULL "
         u"AND NOT EXISTS (SELECT 1 FROM identities i WHERE i.user_id = users.id) "
         u"AND EXISTS (SELECT 1 FROM issued_tokens t WHERE t.user_id = users.id "
         u"AND t.kind = 'device_session') "
         u"AND NOT EXISTS (SELECT 1 FROM issued_tokens t WHERE t.user_id = users.id "
         u"AND t.revoked_at = 0 AND t.expires_at > :now)"_s,
         now - m_options.orphanUserMs},
        {"issued_tokens",
         u"DELETE FROM issued_tokens WHERE expires_at < :t OR "
         u"(revoked_at > 0 AND revoked_at < :t)"_s,
         old},
        {"pin_lockouts",
         u"DELETE FROM pin_lockouts WHERE locked_until < :t AND last_failure_at < :t"_s,
         now - kLockoutMs},
    };
    Report report;
    for (const Step &step : steps) {
        int removed = 0;
        m_db.write([&] {
            Sql q(m_db, step.sql);
            q.bind(u":t"_s, step.cutoff);
            if (step.sql.contains(u":now"))
                q.bind(u":now"_s, now);
            removed = q.exec().rowsAffected();
        });
        if (removed > 0) {
            report.rows += removed;
            report.details << u"%1 %2"_s.arg(QLatin1StringView(step.table)).arg(removed);
        }
    }
    if (const int windows = m_limits.purge(); windows > 0) {
        report.rows += windows;
        report.details << u"rate_limits %1"_s.arg(windows);
    }
    if (const int keys = m_keys ? m_keys->purgeRetired() : 0; keys > 0) {
        report.rows += keys;
        report.details << u"oidc_keys %1"_s.arg(keys);
    }
    if (m_db.dialect() == Dialect::Sqlite) {
        // Hand the freed pages back and cut the log to nothing; harmless when a reader
        // holds it open (SQLite then checkpoints what it can).
        Sql(m_db, u"PRAGMA wal_checkpoint(TRUNCATE)"_s).exec();
    }
    return report;
}

void Housekeeping::start()
{
    if (m_thread)
        return;
    m_thread = std::make_unique<WorkerThread>(u"housekeeping"_s);
    m_timer = m_thread->adopt(new QTimer);
    m_timer->setInterval(int(qMin<qint64>(m_options.intervalMs, 24LL * 3'600'000)));
    const auto run = [this] {
        try {
            const Report report = purge();
            if (report.rows > 0)
                qCInfo(lcHousekeeping).noquote()
                    << u"purged %1 rows (%2)"_s.arg(report.rows).arg(report.details.join(u", "_s));
        } catch (const StorageError &error) {
            qCWarning(lcHousekeeping) << "purge:" << error.what();
        }
        m_db.releaseConnection(); // the next run is minutes away
    };
    QObject::connect(m_timer, &QTimer::timeout, m_timer, run);
    QObject::connect(m_thread->thread(), &QThread::started, m_timer, [this, run] {
        m_timer->start();
        run(); // once at start: a restart after a burst cleans up at once
    });
    m_thread->start();
}

void Housekeeping::stop()
{
    if (!m_thread)
        return;
    m_thread.reset(); // lets a purge in progress finish; the timer goes with the thread
    m_timer = nullptr;
}
