// SPDX-License-Identifier: GPL-3.0-or-later
#include "services.h"

Services::Services(Settings settings_, std::unique_ptr<Database> db_, Secrets &secrets_,
                   const Clock &clock_)
    : settings(std::move(settings_)), db(std::move(db_)), secrets(secrets_), clock(clock_),
      audit(*db, clock), namespaces(*db, clock), telegramBindings(*db, clock),
      namespaceAuth(*db, namespaces, telegramBindings, secrets, clock, audit,
                    {settings.namespaceAutoCreate, settings.namespaceTokenMinutes}),
      users(*db, clock), tokens(*db, clock, secrets), outbox(*db, clock, settings, secrets),
      apiTokens(tokens, users, secrets, clock),
      accounts(*db, users, apiTokens, outbox, secrets, settings, clock, audit),
      accountOtp(*db, users, outbox, secrets, clock, audit),
      pinAuth(*db, users, tokens, secrets, clock, audit),
      deviceAuth(*db, users, tokens, clock, audit, {settings.publicUrl},
                 [this](const QString &to, const QString &subject, const QString &body) {
                     outbox.enqueueEmail(to, subject, body);
                 }),
      deviceLogins(*db, users, deviceAuth, clock, audit, {settings.publicUrl},
                   [this](const QString &to, const QString &subject, const QString &body) {
                       outbox.enqueueEmail(to, subject, body);
                   }),
      changes(*db), walletAuth(*db, clock, settings, secrets, users, tokens, outbox, audit),
      startedAtMs(clock.nowMs())
{
    accounts.ensureDefaultAdmin();
    outbox.start();
}

Services::~Services()
{
    audit.flush();
}
