// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

class Database;

// Cheap fingerprints of the tables the console shows, so it can notice within a second
// that the CLI, another instance or an HTTP client changed something, without
// re-reading the tables. Each field changes whenever its table does (inserts, updates
// and deletes); compare two stamps field by field.
struct ChangeStamp
{
    QString users;
    QString namespaces;
    QString bindings;
    QString tokens;
    QString audit;
    QString outbox;
    bool operator==(const ChangeStamp &) const = default;
};

class ChangeFeed
{
public:
    explicit ChangeFeed(const Database &db) : m_db(db) {}

    // A handful of indexed MAX()/COUNT() reads; call it on a worker thread.
    ChangeStamp current() const;

private:
    const Database &m_db;
};
