// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "config/settings.h"

#include <QStringList>

// The parsed command line: a command with its arguments, and the global options.
struct Options
{
    QString command; // empty (console or serve), serve, help, user, namespace, token…
    QStringList arguments;
    SettingsOverrides overrides;
    std::optional<QString> secretsFile; // --secrets-file: over GATEHOUSE_SECRETS_FILE
    bool help = false;
    bool version = false;
    bool verbose = false; // --verbose: also the notes a command prints only when asked
    QString error;
};

Options parseOptions(const QStringList &argv);
// The global help; `console` when this binary has the admin console.
QString usageText(bool console);
// `gatehouse serve --help`.
QString serveHelp();
