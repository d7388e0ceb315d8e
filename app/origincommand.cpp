// SPDX-License-Identifier: GPL-3.0-or-later
#include "origincommand.h"

#include "args.h"
#include "runtime.h"
#include "secretinput.h"
#include "services.h"
#include "transfer/origins/origin.h"
#include "transfer/origins/readers.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <cstdio>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

const QList<OptionSpec> kCommonOptions = {
    {u"--dry-run"_s, QString(), u"read, check and count, show a preview, then roll back"_s},
    {u"--json"_s, QString(), u"print the outcome as one JSON document"_s},
};

// Static: a parsed VerbCall points into it.
const QList<VerbSpec> &originVerbs()
{
    static const QList<VerbSpec> verbs = [] {
        QList<OptionSpec> ambrosia = kCommonOptions;
        ambrosia << OptionSpec{u"--ambrosia-secret-file"_s, u"FILE"_s,
                               u"Ambrosia's secret (else the first line of standard input)"_s};
        QList<OptionSpec> hapi = kCommonOptions;
        hapi << OptionSpec{u"--namespace"_s, u"NS"_s, u"namespace for bindings that have none"_s};
        return QList<VerbSpec>{
            {u"lncrawl"_s, u"SOURCE"_s,
             u"lightnovel-crawler: users, roles, tiers, password hashes, API tokens"_s,
             kCommonOptions},
            {u"ambrosia"_s, u"SOURCE"_s, u"Ambrosia POS: users, roles and PIN hashes"_s, ambrosia},
            {u"hapi"_s, u"SOURCE"_s, u"hapi: namespaces and Telegram bindings"_s, hapi},
        };
    }();
    return verbs;
}

// One line on a terminal, redrawn in place; nothing when stderr is a file or a pipe.
void showProgress(int done, int total)
{
    if (!isatty(STDERR_FILENO) || total <= 0)
        return;
    std::fprintf(stderr, "\rimporting: %d/%d users and tokens%s", done, total,
                 done == total ? "\n" : "");
    std::fflush(stderr);
}

std::optional<QString> ambrosiaSecret(const ParsedArgs &args, const QString &source)
{
    // A data folder holding ambrosia.conf brings its secret (Origins::read reads it).
    if (!args.has(u"--ambrosia-secret-file"_s) && QFileInfo(source).isDir() &&
        !Origins::ambrosiaConfSecret(source).isEmpty())
        return QString();
    if (!args.has(u"--ambrosia-secret-file"_s))
        return readSecret(u"Ambrosia's secret"_s);
    QFile file(args.value(u"--ambrosia-secret-file"_s));
    if (!file.open(QIODevice::ReadOnly)) {
        printError(u"cannot read %1: %2"_s.arg(file.fileName(), file.errorString()));
        return std::nullopt;
    }
    return QString::fromUtf8(file.readLine()).trimmed();
}

QJsonObject countsJson(const Transfer::Counts &c)
{
    return {{u"created"_s, c.created}, {u"updated"_s, c.updated}, {u"skipped"_s, c.skipped}};
}

QJsonObject outcomeJson(const QString &origin, const Origins::Read &read, const Origins::Outcome &o,
                        bool dryRun)
{
    const Transfer::ImportReport &r = o.report;
    QJsonArray preview;
    for (const Transfer::User &u : read.document.users)
        preview.append(QJsonObject{{u"id"_s, u.id},
                                   {u"email"_s, u.email},
                                   {u"username"_s, u.username},
                                   {u"role"_s, u.role},
                                   {u"tier"_s, u.tier},
                                   {u"disabled"_s, u.disabled}});
    return {{u"origin"_s, origin},
            {u"dryRun"_s, dryRun},
            {u"users"_s, countsJson(r.users)},
            {u"namespaces"_s, countsJson(r.namespaces)},
            {u"pinRoles"_s, countsJson(r.pinRoles)},
            {u"identities"_s, countsJson(r.identities)},
            {u"telegramBindings"_s, countsJson(r.telegramBindings)},
            {u"apiTokens"_s,
             QJsonObject{{u"created"_s, o.apiTokensCreated}, {u"skipped"_s, o.apiTokensSkipped}}},
            {u"preview"_s, dryRun ? QJsonValue(preview) : QJsonValue(QJsonValue::Null)},
            {u"notCarried"_s, QJsonArray::fromStringList(o.notCarried)}};
}

void printPreview(const Origins::Read &read)
{
    constexpr int kShown = 20;
    printLine(u"preview (%1 users):"_s.arg(read.document.users.size()));
    for (qsizetype i = 0; i < read.document.users.size() && i < kShown; ++i) {
        const Transfer::User &u = read.document.users[i];
        printLine(u"  %1  role %2, tier %3%4"_s.arg(u.email.isEmpty() ? u.username : u.email)
                      .arg(u.role)
                      .arg(u.tier < 0 ? u"-"_s : QString::number(u.tier))
                      .arg(u.disabled ? u", disabled"_s : QString()));
    }
    if (read.document.users.size() > kShown)
        printLine(u"  … and %1 more"_s.arg(read.document.users.size() - kShown));
}

void printOutcome(const Origins::Read &read, const Origins::Outcome &o, bool dryRun)
{
    if (dryRun)
        printPreview(read);
    const auto line = [](const QString &what, const Transfer::Counts &c) {
        printLine(u"%1  %2 created, %3 updated, %4 skipped"_s.arg(what + u':', -18)
                      .arg(c.created)
                      .arg(c.updated)
                      .arg(c.skipped));
    };
    line(u"users"_s, o.report.users);
    if (o.report.namespaces.created + o.report.namespaces.updated + o.report.namespaces.skipped)
        line(u"namespaces"_s, o.report.namespaces);
    if (o.report.pinRoles.created + o.report.pinRoles.updated + o.report.pinRoles.skipped)
        line(u"pin roles"_s, o.report.pinRoles);
    line(u"telegram bindings"_s, o.report.telegramBindings);
    printLine(u"%1  %2 created, %3 skipped"_s.arg(u"api tokens:"_s, -18)
                  .arg(o.apiTokensCreated)
                  .arg(o.apiTokensSkipped));
    if (!o.notCarried.isEmpty()) {
        printLine(u"not carried over:"_s);
        for (const QString &s : o.notCarried)
            printLine(u"  - "_s + s);
    }
    if (dryRun)
        printLine(u"dry run: nothing was written"_s);
}

} // namespace

QString originImportHelp()
{
    return commandHelp(u"import"_s,
                       u"Imports from the server Gatehouse replaces. SOURCE is its database, "
                       u"read-only:\nsqlite:PATH, postgresql://USER:PASS@HOST/DB, or its data "
                       u"folder. Running it again\nchanges nothing; a user who already signed "
                       u"in here keeps their re-hashed password.\nSee docs/migrating.md."_s,
                       originVerbs());
}

bool isOriginImport(const QStringList &args)
{
    return !args.isEmpty() && Origins::kindFromName(args.first()).has_value();
}

int runOriginImport(Services &services, const QStringList &args)
{
    const VerbCall call = parseVerb(originVerbs(), args, u"import"_s);
    if (!call.verb)
        return call.exitCode;
    if (call.args.positional.size() != 1)
        return usageError(u"usage: import %1 SOURCE [OPTIONS]"_s.arg(call.verb->name), u"import"_s);
    const Origins::Kind kind = *Origins::kindFromName(call.verb->name);
    const QString source = call.args.positional.first();
    const bool dryRun = call.args.has(u"--dry-run"_s);
    Origins::Options options;
    options.hapiNamespace = call.args.value(u"--namespace"_s);
    if (kind == Origins::Kind::Ambrosia) {
        const auto secret = ambrosiaSecret(call.args, source);
        if (!secret)
            return 1;
        options.ambrosiaSecret = *secret;
    }
    const auto read = Origins::read(kind, source, options);
    if (!read) {
        printError(u"%1 is refused, nothing was imported: %2"_s.arg(source, read.error()));
        return 1;
    }
    const auto outcome = Origins::apply(*services.db, services.apiTokens, *read,
                                        services.namespaceAuth.fingerprint(),
                                        services.clock.nowMs(), dryRun, showProgress);
    if (!outcome) {
        printError(u"%1 is refused, nothing was imported: %2"_s.arg(source, outcome.error()));
        return 1;
    }
    if (!dryRun)
        services.audit.record(
            {.actor = u"cli"_s,
             .action = u"transfer.import.origin"_s,
             .subject = call.verb->name,
             .surface = u"cli"_s,
             .ip = u"local"_s,
             .result = u"ok"_s,
             .detail = u"%1 users, %2 api tokens"_s.arg(read->document.users.size())
                           .arg(outcome->apiTokensCreated)});
    if (call.args.has(u"--json"_s))
        printJson(outcomeJson(call.verb->name, *read, *outcome, dryRun));
    else
        printOutcome(*read, *outcome, dryRun);
    return 0;
}
