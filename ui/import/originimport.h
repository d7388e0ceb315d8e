// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "transfer/origins/origin.h"

#include <QCoreApplication>
#include <functional>

// What the console's import dialog calls to read an origin server's database and to
// apply what it read. Normally Origins::read and Origins::apply; a test hands in fakes
// (a slow apply, a refusal) to drive the dialog without an origin database.
class Services;

namespace OriginImport {

// Origins::apply on `services`' database, with this instance's binding fingerprint and
// clock; a dry run rolls back.
Result<Origins::Outcome> applyTo(Services &services, const Origins::Read &read, bool dryRun,
                                 const Origins::Progress &progress);

struct Functions
{
    std::function<Result<Origins::Read>(Origins::Kind, const QString &, const Origins::Options &)>
        read = Origins::read;
    std::function<Result<Origins::Outcome>(Services &, const Origins::Read &, bool dryRun,
                                           const Origins::Progress &)>
        apply = applyTo;
};

// Everything the dialog's first step gathers.
struct Request
{
    Origins::Kind kind = Origins::Kind::Lncrawl;
    QString source; // `sqlite:PATH`, `postgresql://…` or a folder, as Origins::read takes it
    Origins::Options options;
};

// The name `gatehouse import` takes ("lncrawl"…) and the name a person knows.
QString commandName(Origins::Kind kind);
QString displayName(Origins::Kind kind);
// `source` fit for the audit log: a PostgreSQL URL loses its password.
QString sourceForAudit(const QString &source);

} // namespace OriginImport
