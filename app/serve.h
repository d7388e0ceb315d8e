// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class Services;

// gatehouse serve: the server alone until SIGINT or SIGTERM; returns the exit code
// through QCoreApplication::exit.
void startHeadless(Services &services);
