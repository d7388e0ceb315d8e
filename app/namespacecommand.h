// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

class Services;

// gatehouse namespace add|list|token|disable|enable (see namespaceHelp()); returns the exit code.
int runNamespaceCommand(Services &services, const QStringList &arguments);
QString namespaceHelp();
