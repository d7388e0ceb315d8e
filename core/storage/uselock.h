// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

// Who has a SQLite database open. Every process that opens it (server, console, CLI
// command) holds a shared lock on "<file>.lock" while it does; `gatehouse restore` takes
// the lock exclusively, so it never swaps the file under a running process. flock():
// the kernel drops the lock when a process dies, so a crash leaves nothing stale.
class DatabaseUseLock
{
public:
    enum class Mode { Shared, Exclusive };

    DatabaseUseLock() = default;
    ~DatabaseUseLock();
    DatabaseUseLock(const DatabaseUseLock &) = delete;
    DatabaseUseLock &operator=(const DatabaseUseLock &) = delete;

    static QString lockPath(const QString &databasePath);

    // Waits up to `waitMs` for the lock; false (and error()) when it is not granted.
    [[nodiscard]] bool acquire(const QString &databasePath, Mode mode, int waitMs);
    void release();
    QString error() const { return m_error; }

private:
    int m_fd = -1;
    QString m_error;
};
