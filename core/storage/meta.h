// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <functional>

class Database;

// Small values every instance must agree on (kept in the `meta` table).
namespace Meta {
QString get(const Database &db, const QString &key, const QString &fallback = QString());
void set(const Database &db, const QString &key, const QString &value);
// Returns the stored value, or stores make() first; safe against concurrent callers.
QString getOrCreate(const Database &db, const QString &key, const std::function<QString()> &make);
// Runs first-start seeding in one write transaction that no other instance's seeding
// overlaps (a PostgreSQL advisory lock; SQLite's write lock): check-then-insert is safe.
void seed(const Database &db, const std::function<void()> &work);
} // namespace Meta
