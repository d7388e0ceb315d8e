// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QStringList>
#include <optional>

// One option a verb accepts: "--name VALUE", or a switch when `value` is empty.
struct OptionSpec
{
    QString name;
    QString value; // the placeholder shown in the help (EMAIL, N…); empty: a switch
    QString help;
};

// One verb of a command ("user add"): its positional arguments, a summary and its options.
// The help text and the parser both read this, so the help lists exactly what is accepted.
struct VerbSpec
{
    QString name;
    QString arguments; // e.g. "USERNAME", "[SEARCH]"
    QString summary;
    QList<OptionSpec> options;
};

// Words and option values of one verb's arguments; `error` is one sentence when they are bad.
struct ParsedArgs
{
    QStringList positional;
    QHash<QString, QString> values;       // a switch maps to "1"
    QHash<QString, QStringList> repeated; // every value of each option, for repeatable ones
    QString error;

    bool has(const QString &name) const { return values.contains(name); }
    QString value(const QString &name) const { return values.value(name); }
    // Every value an option was given, in order (value() is the last).
    QStringList all(const QString &name) const { return repeated.value(name); }
};

ParsedArgs parseArgs(const QStringList &args, const QList<OptionSpec> &options);
const VerbSpec *findVerb(const QList<VerbSpec> &verbs, const QString &name);

// `COMMAND VERB ARGS…` after the command word: the verb and its parsed arguments, or, when
// the verb is unknown or its arguments are bad, no verb and the usage error's exit code
// (the line already printed).
struct VerbCall
{
    const VerbSpec *verb = nullptr;
    ParsedArgs args;
    int exitCode = 0;
};
VerbCall parseVerb(const QList<VerbSpec> &verbs, const QStringList &arguments,
                   const QString &command);

// The help of a command: its verbs, each with its options.
QString commandHelp(const QString &command, const QString &summary, const QList<VerbSpec> &verbs);

// --limit N and the like: a whole number in [min, max], or nullopt (the error is printed).
std::optional<int> intOption(const ParsedArgs &args, const QString &name, int fallback, int min,
                             int max, const QString &command);

// A usage error: one line on stderr naming where to look, and exit code 2.
int usageError(const QString &message, const QString &command);

// --json output: one document on stdout, indented, field names as documented in
// docs/operations.md.
void printJson(const QJsonArray &rows);
void printJson(const QJsonObject &object);
// Milliseconds since the epoch as ISO 8601 UTC, or null when not set.
QJsonValue jsonTime(qint64 ms);
