// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

// An origin server's SQLite database, made in a temporary folder by the statements a
// test gives (the origin's own schema): what the import readers are handed.
class OriginFile
{
public:
    explicit OriginFile(const QStringList &statements)
        : m_name(QUuid::createUuid().toString(QUuid::Id128))
    {
        using namespace Qt::StringLiterals;
        auto db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_name);
        db.setDatabaseName(m_dir.filePath(u"origin.db"_s));
        if (!db.open())
            qFatal("cannot open the origin database");
        for (const QString &sql : statements) {
            QSqlQuery q(db);
            if (!q.exec(sql))
                qFatal("origin statement failed: %s (%s)", qPrintable(sql),
                       qPrintable(q.lastError().text()));
        }
    }
    ~OriginFile()
    {
        QSqlDatabase::database(m_name, false).close();
        QSqlDatabase::removeDatabase(m_name);
    }
    OriginFile(const OriginFile &) = delete;
    OriginFile &operator=(const OriginFile &) = delete;

    QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }

private:
    QTemporaryDir m_dir;
    QString m_name;
};
