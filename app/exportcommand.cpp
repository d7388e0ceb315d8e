// SPDX-License-Identifier: GPL-3.0-or-later
#include "exportcommand.h"

#include "origincommand.h"
#include "runtime.h"
#include "services.h"
#include "transfer/exporter.h"
#include "transfer/exportjson.h"
#include "transfer/importer.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryFile>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

const QString kExportHelp =
    u"Usage: gatehouse export [--json] [--no-hashes] [FILE]\n"
    u"\n"
    u"Writes users (with their identities and wallets), namespaces, Telegram bindings and\n"
    u"PIN roles as JSON. Never tokens, sessions, signing keys or other secrets.\n"
    u"With FILE, the file is written mode 0600, marked \"sensitive\": true, and carries\n"
    u"password and PIN hashes (argon2id) and sealed embedded-wallet keys, so users keep\n"
    u"signing in after an import. Without FILE it goes to standard output without them.\n"
    u"\n"
    u"  --json        the format (the only one, and the default)\n"
    u"  --no-hashes   leave hashes and sealed keys out of FILE too\n"_s;

const QString kImportHelp =
    u"Usage: gatehouse import [--dry-run] FILE\n"
    u"       gatehouse import lncrawl|ambrosia|hapi SOURCE [OPTIONS]   (below)\n"
    u"\n"
    u"Reads a file written by gatehouse export and creates or updates what it holds, in\n"
    u"one transaction: a malformed file or a conflict changes nothing. Running it again\n"
    u"changes nothing. Prints how many were created, updated and skipped.\n"
    u"\n"
    u"  --dry-run     check and count, then roll back\n"_s;

// Written next to `path` (0600 from the start) and renamed over it.
QString writePrivateFile(const QString &path, const QByteArray &bytes)
{
    const QFileInfo target(path);
    QTemporaryFile temp(target.absolutePath() + u"/."_s + target.fileName() + u".XXXXXX"_s);
    if (!temp.open() || temp.write(bytes) != bytes.size() || !temp.flush())
        return u"cannot write %1: %2"_s.arg(temp.fileName(), temp.errorString());
    temp.close();
    if (std::rename(QFile::encodeName(temp.fileName()).constData(),
                    QFile::encodeName(path).constData()) != 0)
        return u"cannot rename %1 to %2"_s.arg(temp.fileName(), path);
    temp.setAutoRemove(false);
    return QString();
}

int exportData(Services &services, const QString &file, bool hashes)
{
    const bool sensitive = !file.isEmpty() && hashes;
    const Transfer::Document doc = Transfer::collect(
        *services.db, services.namespaceAuth.fingerprint(), sensitive, services.clock.nowMs());
    const QByteArray json = Transfer::toJson(doc);
    services.audit.record({.actor = u"cli"_s,
                           .action = u"transfer.export"_s,
                           .subject = file.isEmpty() ? u"-"_s : file,
                           .surface = u"cli"_s,
                           .ip = u"local"_s,
                           .result = u"ok"_s,
                           .detail = sensitive ? u"with hashes"_s : u"without hashes"_s});
    if (file.isEmpty()) {
        std::fwrite(json.constData(), 1, size_t(json.size()), stdout);
        std::fflush(stdout);
        return 0;
    }
    if (const QString error = writePrivateFile(file, json); !error.isEmpty()) {
        printError(error);
        return 1;
    }
    std::fprintf(stderr,
                 "exported %lld users, %lld namespaces, %lld Telegram bindings, %lld PIN "
                 "roles to %s%s\n",
                 qint64(doc.users.size()), qint64(doc.namespaces.size()),
                 qint64(doc.telegramBindings.size()), qint64(doc.pinRoles.size()),
                 qUtf8Printable(file), sensitive ? " (sensitive: holds password hashes)" : "");
    return 0;
}

void printCounts(const QString &what, const Transfer::Counts &c)
{
    printLine(u"%1  %2 created, %3 updated, %4 skipped"_s.arg(what + u':', -18)
                  .arg(c.created)
                  .arg(c.updated)
                  .arg(c.skipped));
}

// Sealed wallet keys open only under the wallet sealing secret they were sealed with.
int unopenedWalletKeys(Services &services, const Transfer::Document &doc)
{
    int unopened = 0;
    for (const Transfer::User &user : doc.users)
        for (const Transfer::Wallet &wallet : user.wallets)
            if (!wallet.sealedKey.isEmpty() &&
                !services.walletAuth.directory().embeddedSecret(wallet.id))
                ++unopened;
    return unopened;
}

int importData(Services &services, const QString &file, bool dryRun)
{
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly)) {
        printError(u"cannot read %1: %2"_s.arg(file, in.errorString()));
        return 1;
    }
    const auto doc = Transfer::parseJson(in.readAll());
    if (!doc) {
        printError(u"%1 is refused, nothing was imported: %2"_s.arg(file, doc.error()));
        return 1;
    }
    const auto report = Transfer::apply(*services.db, *doc, services.namespaceAuth.fingerprint(),
                                        services.clock.nowMs(), dryRun);
    if (!report) {
        printError(u"%1 is refused, nothing was imported: %2"_s.arg(file, report.error()));
        return 1;
    }
    if (!dryRun)
        services.audit.record({.actor = u"cli"_s,
                               .action = u"transfer.import"_s,
                               .subject = file,
                               .surface = u"cli"_s,
                               .ip = u"local"_s,
                               .result = u"ok"_s});
    printCounts(u"namespaces"_s, report->namespaces);
    printCounts(u"pin roles"_s, report->pinRoles);
    printCounts(u"users"_s, report->users);
    printCounts(u"identities"_s, report->identities);
    printCounts(u"wallets"_s, report->wallets);
    printCounts(u"telegram bindings"_s, report->telegramBindings);
    if (const int unopened = dryRun ? 0 : unopenedWalletKeys(services, *doc); unopened > 0)
        printError(
            u"%1 embedded wallet key(s) do not open with this instance's wallet sealing "
            u"secret: copy it from the exporting instance (docs/operations.md)"_s.arg(unopened));
    if (dryRun)
        printLine(u"dry run: nothing was written"_s);
    else if (!doc->sensitive)
        printLine(u"the file holds no password or PIN hashes: new users have none"_s);
    return 0;
}

int runTransferCommand(Services &services, const QString &command, const QStringList &args)
{
    const bool isExport = command == u"export";
    const QStringList known =
        isExport ? QStringList{u"--json"_s, u"--no-hashes"_s} : QStringList{u"--dry-run"_s};
    QStringList files;
    QStringList flags;
    for (const QString &arg : args) {
        if (arg == u"--help" || arg == u"-h") {
            std::fputs(qUtf8Printable(isExport ? kExportHelp : importHelp()), stdout);
            return 0;
        }
        if (arg.startsWith(u'-') && !known.contains(arg)) {
            printError(u"unknown option %1 (see gatehouse %2 --help)"_s.arg(arg, command));
            return 2;
        }
        (arg.startsWith(u'-') ? flags : files) << arg;
    }
    if (files.size() > 1 || (!isExport && files.size() != 1)) {
        printError(isExport ? u"usage: gatehouse export [--json] [--no-hashes] [FILE]"_s
                            : u"usage: gatehouse import [--dry-run] FILE"_s);
        return 2;
    }
    if (isExport)
        return exportData(services, files.value(0), !flags.contains(u"--no-hashes"_s));
    return importData(services, files[0], flags.contains(u"--dry-run"_s));
}

} // namespace

QString exportHelp()
{
    return kExportHelp;
}

QString importHelp()
{
    return kImportHelp + u"\n"_s + originImportHelp();
}

int runExport(Services &services, const QStringList &args)
{
    return runTransferCommand(services, u"export"_s, args);
}

int runImport(Services &services, const QStringList &args)
{
    if (isOriginImport(args)) // a file named like an origin: give it as ./lncrawl
        return runOriginImport(services, args);
    return runTransferCommand(services, u"import"_s, args);
}
