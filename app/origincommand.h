// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

class Services;

// `gatehouse import lncrawl|ambrosia|hapi SOURCE [options]`: users, hashes, tokens and
// bindings from an origin server's database (core/transfer/origins; docs/migrating.md).
QString originImportHelp();
// True when `args` (after "import") name an origin rather than a Gatehouse export file.
bool isOriginImport(const QStringList &args);
int runOriginImport(Services &services, const QStringList &args);
