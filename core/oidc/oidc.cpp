// SPDX-License-Identifier: GPL-3.0-or-later
#include "oidc/oidc.h"

Oidc::Oidc(const Database &db, const Clock &clock, const Secrets &secrets, Users &users)
    : clients(db, clock), keys(db, clock, secrets), requests(db, clock), sessions(db, clock, users),
      codes(db, clock), consents(db, clock), tokens(db, clock)
{}
