// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"

#include <QStringList>

class Database;

// A numbered schema step. Statements use {{serial}} for an auto-increment primary
// key and {{blob}} for binary columns; everything else is SQL both SQLite and
// PostgreSQL accept. Times are BIGINT milliseconds since the epoch, booleans INTEGER.
struct Migration
{
    int version;
    const char *name;
    QStringList (*statements)();
};

// Each step lives in storage/migrations/NNNN_name.cpp; the list is in migrations.cpp.
QStringList migration0001Foundation();
QStringList migration0002Accounts();
QStringList migration0003PinAndDevice();
QStringList migration0004Wallet();
QStringList migration0005Console();
QStringList migration0006PinRoles();
// The PIN permission names 0006 seeds (Ambrosia's catalog); importers map onto them.
QStringList pinPermissionCatalog();
QStringList migration0007Limits();
QStringList migration0008UserTier();
QStringList migration0009Factors();
QStringList migration0010Passkeys();
QStringList migration0011Oidc();
QStringList migration0012OidcKeys();
QStringList migration0013OidcConsents();
QStringList migration0014OidcTokens();
QStringList migration0015AuditRepeats();

Result<Done> applyMigrations(const Database &db);
int schemaVersion(const Database &db);
// The newest version this build knows (a backup from a newer one is refused).
int latestSchemaVersion();
