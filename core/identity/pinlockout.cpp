// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/pinlockout.h"

#include "clock.h"
#include "storage/database.h"
#include "storage/table.h"

using namespace Qt::StringLiterals;

namespace {

struct Row
{
    int failures = 0;
    qint64 lockedUntil = 0;
    qint64 lastFailureAt = 0;
};

const Table<PinLockoutEntry> kLockouts{u"pin_lockouts"_s,
                                       {
                                           {u"subject"_s, &PinLockoutEntry::subject},
                                           {u"failures"_s, &PinLockoutEntry::failures},
                                           {u"locked_until"_s, &PinLockoutEntry::lockedUntil},
                                           {u"last_failure_at"_s, &PinLockoutEntry::lastFailureAt},
                                       }};

// Reads (creating if needed) a subject's row inside the current write transaction.
Row lockedRow(const Database &db, const QString &subject)
{
    Sql(db, u"INSERT INTO pin_lockouts (subject, failures, locked_until, last_failure_at) "
            u"VALUES (:s, 0, 0, 0) ON CONFLICT (subject) DO NOTHING"_s)
        .bind(u":s"_s, subject)
        .exec();
    // SQLite's BEGIN IMMEDIATE already serialises writers; PostgreSQL needs the row lock.
    const QString forUpdate = db.dialect() == Dialect::Postgres ? u" FOR UPDATE"_s : QString();
    Sql q(db, kLockouts.select(u"WHERE subject = :s"_s + forUpdate));
    q.bind(u":s"_s, subject).exec();
    if (!q.next())
        return Row{};
    const PinLockoutEntry e = kLockouts.read(q);
    return {.failures = e.failures, .lockedUntil = e.lockedUntil, .lastFailureAt = e.lastFailureAt};
}

void store(const Database &db, const QString &subject, const Row &row)
{
    Sql(db, u"UPDATE pin_lockouts SET failures = :f, locked_until = :l, last_failure_at = :t "
            u"WHERE subject = :s"_s)
        .bind(u":f"_s, row.failures)
        .bind(u":l"_s, row.lockedUntil)
        .bind(u":t"_s, row.lastFailureAt)
        .bind(u":s"_s, subject)
        .exec();
}

void remove(const Database &db, const QString &subject)
{
    Sql(db, u"DELETE FROM pin_lockouts WHERE subject = :s"_s).bind(u":s"_s, subject).exec();
}

} // namespace

PinLockout::PinLockout(const Database &db, const Clock &clock, Options options)
    : m_db(db), m_clock(clock), m_options(options)
{}

QString PinLockout::nameSubject(const QString &name)
{
    return u"name:"_s + name.toLower().left(128);
}

QString PinLockout::ipSubject(const QString &ip)
{
    return u"ip:"_s + ip;
}

qint64 PinLockout::lockMsFor(int failures) const
{
    if (failures < m_options.freeFailures)
        return 0;
    const int doublings = qMin(failures - m_options.freeFailures, 30);
    return qMin(m_options.capMs, m_options.baseMs << doublings);
}

std::optional<int> PinLockout::begin(const QString &name, const QString &ip)
{
    const QString subjects[] = {nameSubject(name), ipSubject(ip)};
    std::optional<int> waitSecs;
    m_db.write([&] {
        const qint64 now = m_clock.nowMs();
        Row rows[2];
        qint64 lockedUntil = 0;
        for (int i = 0; i < 2; ++i) {
            rows[i] = lockedRow(m_db, subjects[i]);
            lockedUntil = qMax(lockedUntil, rows[i].lockedUntil);
        }
        if (lockedUntil > now) {
            waitSecs = int((lockedUntil - now + 999) / 1000);
            return;
        }
        // Forgotten subjects need no row (names sprayed by a guesser would pile up).
        Sql(m_db, u"DELETE FROM pin_lockouts WHERE locked_until <= :now AND last_failure_at < :old "
                  u"AND subject <> :name AND subject <> :ip"_s)
            .bind(u":now"_s, now)
            .bind(u":old"_s, now - m_options.forgetMs)
            .bind(u":name"_s, subjects[0])
            .bind(u":ip"_s, subjects[1])
            .exec();
        for (int i = 0; i < 2; ++i) {
            Row &row = rows[i];
            if (now - row.lastFailureAt >= m_options.forgetMs)
                row.failures = 0;
            ++row.failures;
            row.lastFailureAt = now;
            const qint64 lockMs = lockMsFor(row.failures);
            row.lockedUntil = lockMs > 0 ? now + lockMs : 0;
            store(m_db, subjects[i], row);
        }
    });
    return waitSecs;
}

void PinLockout::succeeded(const QString &name, const QString &ip)
{
    const QString ipKey = ipSubject(ip);
    m_db.write([&] {
        remove(m_db, nameSubject(name));
        Row row = lockedRow(m_db, ipKey);
        // Give back the attempt begin() counted, and lift the lock it may have set;
        // the next failure from this address locks again while the count is high.
        row.failures = qMax(0, row.failures - 1);
        row.lockedUntil = 0;
        if (row.failures == 0)
            remove(m_db, ipKey);
        else
            store(m_db, ipKey, row);
    });
}

QList<PinLockoutEntry> PinLockout::entries(bool lockedOnly) const
{
    const qint64 now = m_clock.nowMs();
    Sql q(m_db, kLockouts.select(u"WHERE "_s +
                                 (lockedOnly ? u"locked_until > :now"_s
                                             : u"failures > 0 AND last_failure_at > :forget"_s) +
                                 u" ORDER BY locked_until DESC, subject LIMIT 1000"_s));
    if (lockedOnly)
        q.bind(u":now"_s, now);
    else
        q.bind(u":forget"_s, now - m_options.forgetMs);
    q.exec();
    QList<PinLockoutEntry> out;
    while (q.next())
        out.append(kLockouts.read(q));
    return out;
}

bool PinLockout::unlock(const QString &subject)
{
    const QString key =
        subject.startsWith(u"name:") || subject.startsWith(u"ip:") ? subject : nameSubject(subject);
    int changed = 0;
    m_db.write([&] {
        changed = Sql(m_db, u"DELETE FROM pin_lockouts WHERE subject = :s"_s)
                      .bind(u":s"_s, key)
                      .exec()
                      .rowsAffected();
    });
    return changed > 0;
}
