// SPDX-License-Identifier: GPL-3.0-or-later
#include "options.h"

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
                o.error = QStringLiteral("option %1 needs a value").arg(arg);
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
        else if (arg == u"--help" || arg == u"-h")
            o.help = true;
        else if (arg == u"--version" || arg == u"-v")
            o.version = true;
        else if (arg.startsWith(u"--") && o.command.isEmpty())
            o.error = QStringLiteral("unknown option %1 (see gatehouse --help)").arg(arg);
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
    return QStringLiteral(
        "Usage: gatehouse [COMMAND] [OPTIONS]\n"
        "\n"
        "A self-hosted auth server with an admin console.\n"
        "\n"
        "Commands:\n"
        "  (none)                      open the console and start the server (headless: serve)\n"
        "  serve                       run the server without the console\n"
        "  namespace add NAME          create a namespace and print its access token\n"
        "  namespace list              list namespaces\n"
        "  namespace token NAME        print a namespace's access token\n"
        "  namespace disable NAME      refuse logins to a namespace (enable NAME undoes it)\n"
        "  user add|list|set-pin|set-password|disable|delete   manage users\n"
        "  token list|revoke           manage issued tokens and sessions\n"
        "  role list|add|set-perms|remove   manage PIN roles and their permissions\n"
        "  outbox list|show|resend     read and resend queued or held emails and SMS\n"
        "\n"
        "Options:\n"
        "  --data-dir DIR              data folder (default ~/.local/share/gatehouse)\n"
        "  --listen HOST:PORT          listen address (default 127.0.0.1:3006)\n"
        "  --database URL              sqlite:PATH or postgresql://user:pass@host:port/db\n"
        "  --config FILE               configuration file (INI)\n"
        "  --version                   print the version\n"
        "  --help                      print this help\n"
        "\n"
        "Environment: GATEHOUSE_DATA_DIR, GATEHOUSE_LISTEN, GATEHOUSE_DATABASE, CLI_API_TOKEN,\n"
        "TELEGRAM_BOT_TOKEN and more; see docs/configuration.md. Precedence: command line >\n"
        "environment > config file > defaults.\n");
}
