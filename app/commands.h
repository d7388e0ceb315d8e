// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

class Services;
struct Settings;

// One command of the command line: its name, a line for the global help, its own help
// (every verb and option), and what runs it on the prepared services (nullptr for serve,
// which the caller runs itself, and for commands that run offline). Both binaries share this table.
struct CommandEntry
{
    QString name;
    QString summary;
    QString (*help)();
    int (*run)(Services &services, const QStringList &arguments);
    // Instead of run, for what must not open the database itself (backup, restore).
    int (*runOffline)(const Settings &settings, const QStringList &arguments) = nullptr;
};

const QList<CommandEntry> &commands();
const CommandEntry *findCommand(const QString &name);
