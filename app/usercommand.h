// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

class Services;

// gatehouse user add USERNAME [--email EMAIL] [--name NAME] [--admin]
//                list [SEARCH] [--admins] [--disabled] [--limit N]
//                set-password USER
//                set-pin USER …            (see pincommand.h)
//                disable USER | enable USER
//                delete USER
// USER is a username, an email address or a user id. Passwords are read from standard
// input (typed twice without echo on a terminal), never from the command line.
// Returns the exit code.
int runUserCommand(Services &services, const QStringList &arguments);
