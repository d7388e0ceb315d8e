// SPDX-License-Identifier: GPL-3.0-or-later
#include "transfer/origins/originsource.h"

#include "storage/databaseurl.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Origins {

namespace {

QString uniqueName()
{
    return u"origin-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
}

// SQLite files directly in the folder or one level down, nearest first.
QStringList sqliteFiles(const QString &folder)
{
    const QStringList patterns = {u"*.db"_s, u"*.sqlite"_s, u"*.sqlite3"_s, u"*.db3"_s};
    QStringList out;
    for (const QFileInfo &f : QDir(folder).entryInfoList(patterns, QDir::Files, QDir::Name))
        out << f.absoluteFilePath();
    for (const QFileInfo &sub :
         QDir(folder).entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
        for (const QFileInfo &f :
             QDir(sub.absoluteFilePath()).entryInfoList(patterns, QDir::Files, QDir::Name))
            out << f.absoluteFilePath();
    return out;
}

} // namespace

QStringList signatureTables(Kind kind)
{
    switch (kind) {
    case Kind::Lncrawl:
        return {u"users"_s, u"user_tokens"_s};
    case Kind::Ambrosia:
        return {u"users"_s, u"roles"_s, u"permissions"_s, u"role_permissions"_s};
    case Kind::Hapi: // its readers check the users table's columns
        return {u"users"_s};
    }
    return {};
}

OriginSource::~OriginSource()
{
    close();
}

void OriginSource::close()
{
    if (m_connection.isEmpty())
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
    m_connection.clear();
}

QSqlDatabase OriginSource::database() const
{
    return QSqlDatabase::database(m_connection, false);
}

Result<Done> OriginSource::open(Kind kind, const QString &source)
{
    close();
    if (source.startsWith(u"sqlite:"))
        return openSqlite(source.mid(7));
    if (source.startsWith(u"postgresql://") || source.startsWith(u"postgres://"))
        return openPostgres(source);
    if (QFileInfo(source).isDir())
        return openFolder(kind, source);
    return Result<Done>::failure(
        Refusal::Kind::InvalidInput,
        u"%1 is not sqlite:PATH, postgresql://… or a folder"_s.arg(source));
}

Result<Done> OriginSource::openSqlite(const QString &path)
{
    if (!QFileInfo(path).isFile())
        return Result<Done>::failure(Refusal::Kind::InvalidInput,
                                     u"no database file at %1"_s.arg(path));
    m_connection = uniqueName();
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connection);
    db.setDatabaseName(path);
    db.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
    m_description = u"sqlite:"_s + path;
    if (!db.open()) {
        const QString error = db.lastError().text();
        close();
        return Result<Done>::failure(Refusal::Kind::InvalidInput,
                                     u"cannot open %1: %2"_s.arg(path, error));
    }
    // An empty or non-SQLite file opens fine; reading it does not.
    QSqlQuery probe(db);
    if (!probe.exec(u"SELECT name FROM sqlite_master LIMIT 1"_s)) {
        const QString error = probe.lastError().text();
        close();
        return Result<Done>::failure(Refusal::Kind::InvalidInput,
                                     u"cannot read %1: %2"_s.arg(path, error));
    }
    return Done{};
}

Result<Done> OriginSource::openPostgres(const QString &text)
{
    QString normalised = text;
    if (normalised.startsWith(u"postgres://"))
        normalised.replace(0, 11, u"postgresql://"_s);
    const auto url = DatabaseUrl::parse(normalised);
    if (!url)
        return Result<Done>::failure(Refusal::Kind::InvalidInput, url.error());
    m_connection = uniqueName();
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, m_connection);
    db.setHostName(url->host);
    db.setPort(url->port);
    db.setUserName(url->user);
    db.setPassword(url->password);
    db.setDatabaseName(url->name);
    db.setConnectOptions(url->options);
    m_description = url->redacted();
    QSqlQuery readOnly(db);
    if (!db.open() || !readOnly.exec(u"SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"_s)) {
        const QString error = db.lastError().text();
        close();
        return Result<Done>::failure(Refusal::Kind::InvalidInput,
                                     u"cannot open %1: %2"_s.arg(m_description, error));
    }
    return Done{};
}

Result<Done> OriginSource::openFolder(Kind kind, const QString &folder)
{
    const QStringList wanted = signatureTables(kind);
    for (const QString &file : sqliteFiles(folder)) {
        if (!openSqlite(file))
            continue;
        const QStringList tables = database().tables();
        if (!wanted.isEmpty() && std::all_of(wanted.begin(), wanted.end(),
                                             [&](const QString &t) { return tables.contains(t); }))
            return Done{};
        close();
    }
    return Result<Done>::failure(
        Refusal::Kind::InvalidInput,
        u"no SQLite file in %1 has the origin's tables (%2); give it as sqlite:PATH"_s.arg(
            folder, wanted.join(u", "_s)));
}

} // namespace Origins
