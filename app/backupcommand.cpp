// SPDX-License-Identifier: GPL-3.0-or-later
#include "backupcommand.h"

#include "runtime.h"
#include "storage/backup.h"
#include "storage/databaseurl.h"
#include "storage/migrations.h"

#include <QDateTime>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

QString helpText(const QString &command)
{
    if (command == u"backup")
        return u"Usage: gatehouse backup FILE [OPTIONS]\n"
               u"\n"
               u"Copies the SQLite database to FILE with SQLite's online backup API: a\n"
               u"consistent snapshot, taken while the server keeps serving. FILE is written\n"
               u"next to its final name and renamed, mode 0600 (it holds password hashes).\n"
               u"On PostgreSQL use pg_dump (see docs/operations.md).\n"
               u"\n"
               u"Options:\n"
               u"  --data-dir DIR    the data folder whose database is copied\n"
               u"  --database URL    the database to copy (sqlite:PATH)\n"_s;
    return u"Usage: gatehouse restore FILE [OPTIONS]\n"
           u"\n"
           u"Replaces the SQLite database with FILE, a copy made by gatehouse backup.\n"
           u"Refused while a server, console or command uses the database, when FILE is not\n"
           u"an intact Gatehouse database, or when it comes from a newer Gatehouse. The\n"
           u"replaced database is kept as <database>.before-restore-<UTC time>.\n"
           u"On PostgreSQL use pg_restore (see docs/operations.md).\n"
           u"\n"
           u"Options:\n"
           u"  --data-dir DIR    the data folder whose database is replaced\n"
           u"  --database URL    the database to replace (sqlite:PATH)\n"_s;
}

int backup(const DatabaseUrl &url, const QString &file)
{
    const auto made = Backup::create(url, file);
    if (!made) {
        printError(u"backup failed: "_s + made.error());
        return 1;
    }
    printLine(u"backup written to %1 (schema %2, %3 users, %4 namespaces)"_s.arg(file)
                  .arg(made->schemaVersion)
                  .arg(made->users)
                  .arg(made->namespaces));
    return 0;
}

int restore(const DatabaseUrl &url, const QString &file)
{
    const int known = latestSchemaVersion();
    const auto done =
        Backup::restore(url, file, known, QDateTime::currentDateTimeUtc().toMSecsSinceEpoch());
    if (!done) {
        printError(done.error());
        return 1;
    }
    printLine(u"restored %1 into %2 (schema %3, %4 users, %5 namespaces)"_s.arg(file, url.path)
                  .arg(done->summary.schemaVersion)
                  .arg(done->summary.users)
                  .arg(done->summary.namespaces));
    if (!done->keptPrevious.isEmpty())
        printLine(u"the previous database is kept as %1"_s.arg(done->keptPrevious));
    if (done->summary.schemaVersion < known)
        printLine(u"it is migrated to schema %1 when Gatehouse next starts"_s.arg(known));
    return 0;
}

int runBackupCommand(const QString &command, const Settings &settings, const QStringList &args)
{
    QStringList files;
    for (const QString &arg : args) {
        if (arg == u"--help" || arg == u"-h") {
            std::fputs(qUtf8Printable(helpText(command)), stdout);
            return 0;
        }
        if (arg.startsWith(u'-')) {
            printError(u"unknown option %1 (see gatehouse %2 --help)"_s.arg(arg, command));
            return 2;
        }
        files << arg;
    }
    if (files.size() != 1) {
        printError(u"usage: gatehouse %1 FILE (see gatehouse %1 --help)"_s.arg(command));
        return 2;
    }
    const auto url = DatabaseUrl::parse(settings.database);
    if (!url) {
        printError(url.error());
        return 1;
    }
    return command == u"backup" ? backup(*url, files[0]) : restore(*url, files[0]);
}

} // namespace

QString backupHelp()
{
    return helpText(u"backup"_s);
}

QString restoreHelp()
{
    return helpText(u"restore"_s);
}

int runBackup(const Settings &settings, const QStringList &args)
{
    return runBackupCommand(u"backup"_s, settings, args);
}

int runRestore(const Settings &settings, const QStringList &args)
{
    return runBackupCommand(u"restore"_s, settings, args);
}
