// SPDX-License-Identifier: GPL-3.0-or-later
#include "options.h"

#include "commands.h"
#include "runtime.h"

using namespace Qt::StringLiterals;

Options parseOptions(const QStringList &argv)
{
    Options o;
    for (qsizetype i = 1; i < argv.size(); ++i) {
        const QString &arg = argv[i];
        const auto value = [&](std::optional<QString> &target) {
            const qsizetype eq = arg.indexOf(u'=');
            if (eq > 0) {
                target = arg.mid(eq + 1);
            } else if (i + 1 < argv.size()) {
                target = argv[++i];
            } else {
                o.error = u"option %1 needs a value"_s.arg(arg);
            }
        };
        const QString name = arg.section(u'=', 0, 0);
        if (name == u"--data-dir")
            value(o.overrides.dataDir);
        else if (name == u"--listen")
            value(o.overrides.listen);
        else if (name == u"--database")
            value(o.overrides.database);
        else if (name == u"--config")
            value(o.overrides.configFile);
        else if (name == u"--log-format")
            value(o.overrides.logFormat);
        else if (name == u"--secrets-file")
            value(o.secretsFile);
        else if (arg == u"--help" || arg == u"-h")
            o.help = true;
        else if (arg == u"--version" || arg == u"-v")
            o.version = true;
        else if (arg == u"--verbose")
            o.verbose = true;
        else if (arg.startsWith(u'-') && o.command.isEmpty())
            o.error = u"unknown option %1 (see %2 --help)"_s.arg(name, programName());
        else if (o.command.isEmpty())
            o.command = arg;
        else
            o.arguments << arg; // the command's own options are checked by the command
        if (!o.error.isEmpty())
            break;
    }
    return o;
}

namespace {

const QString kGlobalOptions =
    u"Options (anywhere on the line):\n"
    u"  --data-dir DIR              data folder (default ~/.local/share/gatehouse)\n"
    u"  --listen HOST:PORT          listen address (default 127.0.0.1:3006)\n"
    u"  --database URL              sqlite:PATH or postgresql://user:pass@host:port/db\n"
    u"  --config FILE               configuration file (INI)\n"
    u"  --secrets-file FILE         secrets shared by every instance on one database\n"
    u"  --log-format text|json      log lines on stderr: text (default) or JSON\n"
    u"  --verbose                   also print notes (such as where secrets are kept)\n"
    u"  --version                   print the version\n"
    u"  --help                      print this help; COMMAND --help for a command's\n"_s;

} // namespace

QString usageText(bool console)
{
    const QString program = programName();
    QString text = u"Usage: %1 [COMMAND] [OPTIONS]\n\n"_s.arg(program);
    text += console ? u"A self-hosted auth server with an admin console.\n\nCommands:\n"
                      u"  (none)       open the console and start the server (headless: serve)\n"_s
                    : u"A self-hosted auth server (headless; the console is in the package "
                      u"gatehouse).\n\nCommands:\n  (none)       serve\n"_s;
    for (const CommandEntry &c : commands())
        text += u"  %1 %2\n"_s.arg(c.name, -12).arg(c.summary);
    text += u"  help COMMAND print a command's options (as COMMAND --help)\n\n"_s;
    text += kGlobalOptions;
    text += u"\nEnvironment: GATEHOUSE_DATA_DIR, GATEHOUSE_LISTEN, GATEHOUSE_DATABASE, "
            u"CLI_API_TOKEN,\nTELEGRAM_BOT_TOKEN and more; see docs/configuration.md. "
            u"Precedence: command line >\nenvironment > config file > defaults. Exit status: "
            u"0 done, 1 failed, 2 usage error.\n"_s;
    return text;
}

QString serveHelp()
{
    return u"Usage: %1 serve [OPTIONS]\n\n"
           u"Run the server without the console until SIGINT or SIGTERM.\n\n"_s.arg(programName()) +
           kGlobalOptions;
}
