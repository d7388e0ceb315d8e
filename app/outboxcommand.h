// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

class Services;

// gatehouse outbox list [--state STATE] [--limit N] [--json] | show ID [--json] | resend ID
// The headless view of the Outbox: with no SMTP server or SMS gateway configured,
// messages are held there, and `show` prints one (codes and links included) on this
// terminal so an admin can finish a flow by hand. Returns the exit code.
int runOutboxCommand(Services &services, const QStringList &arguments);
QString outboxHelp();
