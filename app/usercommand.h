// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

class Services;

// gatehouse user add|list|set-password|set-pin|disable|enable|delete (see userHelp()).
// USER is a username, an email address or a user id. Passwords and PINs are read from
// standard input (typed twice without echo on a terminal), never from the command line.
// Returns the exit code.
int runUserCommand(Services &services, const QStringList &arguments);
QString userHelp();
