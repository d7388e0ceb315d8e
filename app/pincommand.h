// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "args.h"

class Services;

// gatehouse user set-pin NAME [--role ROLE] [--admin | --no-admin]
// Sets the PIN of the PIN user NAME, creating that user when no user has the name (the
// POS model: staff are set up by the admin with a name and a PIN). The PIN (4 to 12
// digits) is read from standard input: the first line when it is a pipe or file, or
// typed twice at a prompt without echo on a terminal. Never from the command line,
// where other users could see it in the process list. Setting a PIN ends the user's
// open PIN sessions (their refresh tokens are revoked).
// The role and the admin flag are independent, as the PIN login reports them: `role` is
// the role's name and `isAdmin` the flag.
VerbSpec pinVerb();
int runUserSetPin(Services &services, const ParsedArgs &args);
