// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

class Services;

// gatehouse client add NAME --redirect-uri URI… | list | show ID | update ID … |
// rotate-secret ID | remove ID
// The OpenID provider's clients (docs/oidc.md). A client's secret is printed once, by add
// and rotate-secret, and never again. Every change is audited (oidc.client.*).
// Returns the exit code.
int runClientCommand(Services &services, const QStringList &arguments);
QString clientHelp();
