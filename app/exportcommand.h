// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

class Services;

// `gatehouse export --json [FILE]` and `gatehouse import FILE` (core/transfer does the work).
QString exportHelp();
QString importHelp();
int runExport(Services &services, const QStringList &args);
int runImport(Services &services, const QStringList &args);
