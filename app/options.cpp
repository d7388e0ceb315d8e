// SPDX-License-Identifier: GPL-3.0-or-later
#include "options.h"

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
        else if (arg.startsWith(u"--") && o.command.isEmpty())
            o.error = u"unknown option %1 (see gatehouse --help)"_s.arg(arg);
        else if (o.command.isEmpty())
            o.command = arg;
        else
            o.arguments << arg;
        if (!o.error.isEmpty())
            break;
    }
    return o;
}

QString usageText()
{
    return u"Usage: gatehouse [COMMAND] [OPTIONS]\n"
           u"\n"
           u"A self-hosted auth server with an admin console.\n"
           u"\n"
           u"Commands:\n"
           u"  (none)                      open the console and start the server (headless: "
           u"serve)\n"
           u"  serve                       run the server without the console\n"
           u"  namespace add NAME          create a namespace and print its access token\n"
           u"  namespace list              list namespaces\n"
           u"  namespace token NAME        print a namespace's access token\n"
           u"  namespace disable NAME      refuse logins to a namespace (enable NAME undoes it)\n"
           u"  user add|list|set-pin|set-password|disable|delete   manage users\n"
           u"  token list|revoke           manage issued tokens and sessions\n"
           u"  role list|add|set-perms|remove   manage PIN roles and their permissions\n"
           u"  outbox list|show|resend     read and resend queued or held emails and SMS\n"
           u"\n"
           u"Options:\n"
           u"  --data-dir DIR              data folder (default ~/.local/share/gatehouse)\n"
           u"  --listen HOST:PORT          listen address (default 127.0.0.1:3006)\n"
           u"  --database URL              sqlite:PATH or postgresql://user:pass@host:port/db\n"
           u"  --config FILE               configuration file (INI)\n"
           u"  --secrets-file FILE         secrets shared by every instance on one database\n"
           u"  --log-format text|json      log lines on stderr: text (default) or JSON\n"
           u"  --version                   print the version\n"
           u"  --help                      print this help\n"
           u"\n"
           u"Environment: GATEHOUSE_DATA_DIR, GATEHOUSE_LISTEN, GATEHOUSE_DATABASE, "
           u"CLI_API_TOKEN,\n"
           u"TELEGRAM_BOT_TOKEN and more; see docs/configuration.md. Precedence: command line >\n"
           u"environment > config file > defaults.\n"_s;
}
