// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "transfer/origins/origin.h"

#include <QSqlDatabase>

// One reader an origin. Each takes the origin's database already opened read-only
// (Origins::read opens it from the source) and maps its schema to Gatehouse's.
namespace Origins {
Result<Read> readLncrawl(const QSqlDatabase &origin, const Options &options);
Result<Read> readAmbrosia(const QSqlDatabase &origin, const Options &options);
Result<Read> readHapi(const QSqlDatabase &origin, const Options &options);
// The secret Ambrosia salts PINs with, as it reads it from ambrosia.conf in its data
// folder (its last `secret=` line); empty when there is none.
QString ambrosiaConfSecret(const QString &dataFolder);
} // namespace Origins
