// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "config/settings.h"

#include <QStringList>

// The parsed command line: a command with its arguments, and the global options.
struct Options
{
    QString command; // empty (console or serve), serve, user, namespace, token
    QStringList arguments;
    SettingsOverrides overrides;
    std::optional<QString> secretsFile; // --secrets-file: over GATEHOUSE_SECRETS_FILE
    bool help = false;
    bool version = false;
    QString error;
};

Options parseOptions(const QStringList &argv);
QString usageText();
