// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fakeclock.h"
#include "storage/database.h"

#include <QTemporaryDir>
#include <QTest>
#include <memory>

// A fresh SQLite database in a temporary folder and a fake clock, for one test function:
// make one in init(), drop it in cleanup(). The database is opened on first use, so
// data-driven validation tables that never touch it cost nothing.
class TempDatabase
{
public:
    explicit TempDatabase(qint64 startMs) : m_clock(startMs)
    {
        if (!m_dir.isValid())
            qFatal("cannot make a temporary folder");
    }

    const Database &db()
    {
        using namespace Qt::StringLiterals;
        if (!m_db) {
            m_db = std::make_unique<Database>(
                *DatabaseUrl::parse(u"sqlite:"_s + m_dir.filePath(u"g.db"_s)));
            const auto opened = m_db->open();
            if (!opened)
                qFatal("cannot open the test database: %s", qPrintable(opened.error()));
        }
        return *m_db;
    }
    FakeClock &clock() { return m_clock; }
    QString path(const QString &name) const { return m_dir.filePath(name); }

private:
    QTemporaryDir m_dir;
    FakeClock m_clock;
    std::unique_ptr<Database> m_db;
};
