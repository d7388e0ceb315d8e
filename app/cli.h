// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <functional>

class QCoreApplication;
class Services;
struct Settings;

// What the desktop binary adds when no command is given: the admin console. The headless
// binary has none and serves instead.
struct ConsoleFrontEnd
{
    std::function<bool()> available; // a display is there
    std::function<QCoreApplication *(int &argc, char **argv)> createApplication;
    std::function<bool(const Settings &)> raisedOtherInstance;
    std::function<void(Services &)> start;
};

// Both binaries' main(): parses the command line, prints help, or prepares the runtime and
// runs serve, a command or the console. Returns the exit code (2 for usage errors).
int runGatehouse(int &argc, char **argv, const QString &program, const ConsoleFrontEnd *console);
