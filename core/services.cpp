// SPDX-License-Identifier: GPL-3.0-or-later
#include "services.h"

namespace {

constexpr qint64 kDayMs = 24LL * 3600 * 1000;

AccountOptions accountOptions(const Settings &s)
{
    AccountOptions o;
    o.loginLifetimeSecs = s.accountTokenDays * 24LL * 3600;
    return o;
}

PinAuth::Options pinOptions(const Settings &s)
{
    PinAuth::Options o;
    o.accessSecs = s.pinAccessSecs;
    o.refreshSecs = s.pinRefreshDays * 24LL * 3600;
    o.lockout.freeFailures = s.pinFreeFailures;
    o.lockout.baseMs = s.pinLockSecs * 1000LL;
    o.lockout.capMs = qMax(o.lockout.capMs, o.lockout.baseMs);
    return o;
}

RateLimits::Options limitOptions(const Settings &s)
{
    return {s.anonymousWritesPerMinute, s.messagesPerTargetPerHour};
}

Housekeeping::Options housekeepingOptions(const Settings &s)
{
    return {s.retentionDays * kDayMs, s.unverifiedAccountDays * kDayMs,
            s.purgeIntervalMinutes * 60'000LL};
}

} // namespace

Services::Services(Settings settings_, std::unique_ptr<Database> db_, Secrets &secrets_,
                   const Clock &clock_)
    : settings(std::move(settings_)), db(std::move(db_)), secrets(secrets_), clock(clock_),
      limits(*db, clock, limitOptions(settings)), audit(*db, clock), namespaces(*db, clock),
      telegramBindings(*db, clock),
      namespaceAuth(*db, namespaces, telegramBindings, secrets, clock, audit,
                    {settings.namespaceAutoCreate, settings.namespaceTokenMinutes}),
      users(*db, clock), tokens(*db, clock, secrets), outbox(*db, clock, settings, secrets),
      apiTokens(tokens, users, secrets, clock, settings.apiTokenDays * kDayMs),
      factors(*db, secrets, clock, audit), secondStep(*db, clock),
      accounts(*db, users, apiTokens, outbox, secrets, settings, clock, audit, factors, secondStep,
               accountOptions(settings)),
      accountOtp(*db, users, outbox, secrets, clock, audit,
                 {settings.codeAttempts, settings.codeResendSecs * 1000LL}),
      pinRoles(*db, clock, audit),
      pinAuth(*db, users, pinRoles, tokens, secrets, clock, audit, pinOptions(settings)),
      deviceAuth(*db, users, tokens, clock, audit,
                 {settings.publicUrl, settings.deviceSessionDays * kDayMs},
                 [this](const QString &to, const QString &subject, const QString &body) {
                     outbox.enqueueEmail(to, subject, body);
                 }),
      deviceLogins(*db, users, deviceAuth, clock, audit, {settings.publicUrl},
                   [this](const QString &to, const QString &subject, const QString &body) {
                       outbox.enqueueEmail(to, subject, body);
                   }),
      changes(*db), walletAuth(*db, clock, settings, secrets, users, tokens, outbox, audit),
      passkeys(*db, users, accounts, factors, secondStep, settings, clock, audit),
      oidc(*db, clock, secrets, users),
      housekeeping(*db, clock, tokens, limits, housekeepingOptions(settings)),
      startedAtMs(clock.nowMs())
{
    db->setQueryTimer(&metrics.databaseLatency());
    // A sign-out everywhere revokes the user's stored sessions in Users' own statement.
    users.setSignOutListener([this](const QString &userId) { tokens.forgetUser(userId); });
    metrics.setOutboxSource([this] {
        return Metrics::OutboxStats{outbox.depth(), outbox.sendFailures(), outbox.failedForGood()};
    });
    oidc.keys.setOverlapMs(settings.oidcKeyOverlapHours * 3'600'000LL);
    housekeeping.setSigningKeys(&oidc.keys); // purges retired keys past their overlap
    accounts.ensureDefaultAdmin();
    outbox.start();
    housekeeping.start();
}

Services::~Services()
{
    db->setQueryTimer(nullptr); // metrics goes before db
    audit.flush();
}
