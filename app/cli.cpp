// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli.h"

#include "args.h"
#include "commands.h"
#include "logging.h"
#include "mallocarenas.h"
#include "options.h"
#include "runtime.h"
#include "serve.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QTimer>
#include <cstdio>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

void print(const QString &text)
{
    std::fputs(qUtf8Printable(text), stdout);
}

// --help, COMMAND --help, help [COMMAND]; nullopt when the line asks for none of them.
std::optional<int> answerHelp(const Options &options, bool console)
{
    QString topic;
    if (options.command == u"help")
        topic = options.arguments.value(0);
    else if (options.help)
        topic = options.command;
    else
        return std::nullopt;
    if (topic.isEmpty()) {
        print(usageText(console));
        return 0;
    }
    const CommandEntry *command = findCommand(topic);
    if (!command)
        return usageError(u"unknown command '%1'"_s.arg(topic), QString());
    print(command->help());
    return 0;
}

// Without --verbose, a command prints what it was asked for and its errors; notes such as
// "no keychain, secrets kept in a file" stay out (serve still logs them).
void quietNotes(const Options &options, bool serving)
{
    if (!options.verbose && !serving)
        QLoggingCategory::setFilterRules(u"gatehouse.*.info=false"_s);
}

// What needs no runtime: usage errors, help and the version; nullopt when there is work to do.
std::optional<int> answerAtOnce(const Options &options, bool console)
{
    if (!options.error.isEmpty()) {
        printError(options.error);
        return 2;
    }
    if (const auto helped = answerHelp(options, console))
        return *helped;
    if (options.version) {
        printLine(u"%1 %2"_s.arg(programName(), QString::fromUtf8(GATEHOUSE_VERSION)));
        return 0;
    }
    if (!options.command.isEmpty() && !findCommand(options.command))
        return usageError(u"unknown command '%1'"_s.arg(options.command), QString());
    if (options.command == u"serve" && !options.arguments.isEmpty()) {
        const QString first = options.arguments.first();
        return usageError(first.startsWith(u'-') ? u"unknown option %1"_s.arg(first)
                                                 : u"serve takes no argument '%1'"_s.arg(first),
                          u"serve"_s);
    }
    return std::nullopt;
}

} // namespace

int runGatehouse(int &argc, char **argv, const QString &program, const ConsoleFrontEnd *console)
{
    limitMallocArenas(); // before any thread starts
    setProgramName(program);
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    const Options options = parseOptions(arguments);
    if (const auto answered = answerAtOnce(options, console != nullptr))
        return *answered;
    const CommandEntry *command = findCommand(options.command);
    const bool gui = options.command.isEmpty() && console && console->available();
    const bool serve = options.command == u"serve" || (options.command.isEmpty() && !gui);
    quietNotes(options, serve || gui);

    std::unique_ptr<QCoreApplication> app(gui ? console->createApplication(argc, argv)
                                              : new QCoreApplication(argc, argv));
    QCoreApplication::setApplicationName(u"gatehouse"_s);
    QCoreApplication::setOrganizationName(u"gatehouse"_s);
    QCoreApplication::setApplicationVersion(QString::fromUtf8(GATEHOUSE_VERSION));

    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    if (options.secretsFile) // the command line wins over the environment
        environment.insert(u"GATEHOUSE_SECRETS_FILE"_s, *options.secretsFile);
    auto settings = loadSettings(options.overrides, environment);
    if (!settings) {
        printError(settings.error());
        return 1;
    }
    Logging::install(settings->logFormat == u"json" ? Logging::Format::Json
                                                    : Logging::Format::Text);
    if (command && command->runOffline) // before the runtime: restore swaps the database
        return command->runOffline(*settings, options.arguments);
    if (gui && console->raisedOtherInstance(*settings))
        return 0;

    Runtime runtime;
    QTimer::singleShot(0, app.get(), [&] {
        startRuntime(runtime, *settings, [&](QString error) {
            if (!error.isEmpty()) {
                printError(error);
                QCoreApplication::exit(1);
                return;
            }
            if (serve)
                return startHeadless(
                    *runtime.services,
                    [overrides = options.overrides, environment] {
                        return loadSettings(overrides, environment);
                    },
                    *runtime.secretStore);
            if (gui)
                return console->start(*runtime.services);
            QCoreApplication::exit(command->run(*runtime.services, options.arguments));
        });
    });
    return app->exec();
}
