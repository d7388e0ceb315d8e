// SPDX-License-Identifier: GPL-3.0-or-later
#include "services.h"

Services::Services(Settings settings_, std::unique_ptr<Database> db_, Secrets &secrets_,
                   const Clock &clock_)
    : settings(std::move(settings_)), db(std::move(db_)), secrets(secrets_), clock(clock_),
      audit(*db, clock), namespaces(*db, clock), telegramBindings(*db, clock),
      namespaceAuth(*db, namespaces, telegramBindings, secrets, clock, audit,
                    {settings.namespaceAutoCreate, settings.namespaceTokenMinutes}),
      users(*db, clock), tokens(*db, clock, secrets),
      startedAtMs(clock.nowMs())
{
}

Services::~Services()
{
    audit.flush();
}
