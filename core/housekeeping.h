// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>
#include <memory>

class Clock;
class Database;
class WorkerThread;
class QTimer;
class RateLimits;
class SigningKeys;
class TokenStore;

// Retention: every few minutes (limits/purge_interval_minutes) deletes the rows an
// anonymous client can make that nobody needs any more — finished outbox messages,
// expired codes, challenges, OAuth states, device logins, email links, used reset
// tokens, expired or revoked tokens, forgotten PIN failures, ended rate-limit windows,
// and device accounts that can never sign in again — then, on SQLite, truncates the
// write-ahead log so it does not keep the size of the last burst. Runs on its own
// thread (its own database connection), like the outbox.
class Housekeeping
{
public:
    struct Options
    {
        qint64 retentionMs = 7LL * 24 * 3600'000;  // finished messages, ended tokens
        qint64 orphanUserMs = 7LL * 24 * 3600'000; // device accounts with no way back in
        qint64 intervalMs = 10LL * 60'000;
    };
    struct Report
    {
        int rows = 0;
        QStringList details; // "outbox 12", one per table that lost rows
    };

    Housekeeping(const Database &db, const Clock &clock, TokenStore &tokens, RateLimits &limits,
                 Options options);
    ~Housekeeping();

    // One pass on the calling thread (tests, the CLI); returns what went.
    Report purge();
    // Retired OpenID signing keys past their overlap go too (set before start()).
    void setSigningKeys(SigningKeys *keys) { m_keys = keys; }
    void start();
    void stop();

private:
    const Database &m_db;
    const Clock &m_clock;
    TokenStore &m_tokens;
    RateLimits &m_limits;
    Options m_options;
    SigningKeys *m_keys = nullptr;
    std::unique_ptr<WorkerThread> m_thread;
    QTimer *m_timer = nullptr;
};
