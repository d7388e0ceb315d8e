// SPDX-License-Identifier: GPL-3.0-or-later
#include "args.h"

#include "runtime.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

const OptionSpec *findOption(const QList<OptionSpec> &options, const QString &name)
{
    for (const OptionSpec &o : options)
        if (o.name == name)
            return &o;
    return nullptr;
}

} // namespace

ParsedArgs parseArgs(const QStringList &args, const QList<OptionSpec> &options)
{
    ParsedArgs out;
    for (qsizetype i = 0; i < args.size() && out.error.isEmpty(); ++i) {
        const QString &arg = args[i];
        if (!arg.startsWith(u'-') || arg == u"-") {
            out.positional << arg;
            continue;
        }
        const QString name = arg.section(u'=', 0, 0);
        const OptionSpec *spec = findOption(options, name);
        if (!spec)
            out.error = u"unknown option %1"_s.arg(name);
        else if (spec->value.isEmpty() && arg.contains(u'='))
            out.error = u"option %1 takes no value"_s.arg(name);
        else if (spec->value.isEmpty())
            out.values.insert(name, u"1"_s);
        else if (arg.contains(u'=') || i + 1 < args.size()) {
            const QString value = arg.contains(u'=') ? arg.section(u'=', 1) : args[++i];
            out.values.insert(name, value);
            out.repeated[name].append(value);
        } else
            out.error = u"option %1 needs a value (%2)"_s.arg(name, spec->value);
    }
    return out;
}

const VerbSpec *findVerb(const QList<VerbSpec> &verbs, const QString &name)
{
    for (const VerbSpec &v : verbs)
        if (v.name == name)
            return &v;
    return nullptr;
}

VerbCall parseVerb(const QList<VerbSpec> &verbs, const QStringList &arguments,
                   const QString &command)
{
    VerbCall call;
    const VerbSpec *verb = findVerb(verbs, arguments.value(0));
    if (!verb) {
        call.exitCode =
            usageError(u"unknown verb %1 %2"_s.arg(command, arguments.value(0)), command);
        return call;
    }
    call.args = parseArgs(arguments.mid(1), verb->options);
    if (!call.args.error.isEmpty()) {
        call.exitCode = usageError(call.args.error, command);
        return call;
    }
    call.verb = verb;
    return call;
}

QString commandHelp(const QString &command, const QString &summary, const QList<VerbSpec> &verbs)
{
    const QString program = programName();
    QString text =
        u"Usage: %1 %2 VERB [ARGUMENTS] [OPTIONS]\n\n%3\n"_s.arg(program, command, summary);
    for (const VerbSpec &verb : verbs) {
        const QString head = (command + u' ' + verb.name + u' ' + verb.arguments).trimmed();
        text += u"\n  %1 %2\n      %3\n"_s.arg(program, head, verb.summary);
        for (const OptionSpec &o : verb.options) {
            const QString flag = o.value.isEmpty() ? o.name : o.name + u' ' + o.value;
            text += u"      %1  %2\n"_s.arg(flag, -22).arg(o.help);
        }
    }
    text += u"\nGlobal options (--data-dir, --database, --config, --verbose...): %1 --help\n"_s.arg(
        program);
    return text;
}

std::optional<int> intOption(const ParsedArgs &args, const QString &name, int fallback, int min,
                             int max, const QString &command)
{
    if (!args.has(name))
        return fallback;
    bool ok = false;
    const int value = args.value(name).toInt(&ok);
    if (ok && value >= min && value <= max)
        return value;
    usageError(
        u"%1 must be a whole number from %2 to %3, not '%4'"_s.arg(name).arg(min).arg(max).arg(
            args.value(name)),
        command);
    return std::nullopt;
}

int usageError(const QString &message, const QString &command)
{
    printError(u"%1 (see %2 %3--help)"_s.arg(message, programName(),
                                             command.isEmpty() ? QString() : command + u' '));
    return 2;
}

void printJson(const QJsonArray &rows)
{
    std::fputs(QJsonDocument(rows).toJson(QJsonDocument::Indented).constData(), stdout);
    std::fflush(stdout);
}

void printJson(const QJsonObject &object)
{
    std::fputs(QJsonDocument(object).toJson(QJsonDocument::Indented).constData(), stdout);
    std::fflush(stdout);
}

QJsonValue jsonTime(qint64 ms)
{
    if (ms <= 0)
        return QJsonValue::Null;
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}
