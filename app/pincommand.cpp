// SPDX-License-Identifier: GPL-3.0-or-later
#include "pincommand.h"

#include "runtime.h"
#include "services.h"

#include <cstdio>
#include <optional>
#include <string>

#ifdef Q_OS_UNIX
#include <termios.h>
#include <unistd.h>
#endif

namespace {

std::optional<QString> readLine()
{
    std::string line;
    int c = 0;
    while ((c = std::fgetc(stdin)) != EOF && c != '\n')
        line.push_back(char(c));
    if (c == EOF && line.empty())
        return std::nullopt;
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    return QString::fromLocal8Bit(line.data(), qsizetype(line.size()));
}

bool stdinIsTerminal()
{
#ifdef Q_OS_UNIX
    return isatty(STDIN_FILENO) != 0;
#else
    return false;
#endif
}

// Asks on the terminal with echo off.
std::optional<QString> prompt(const QString &question)
{
    std::fputs(qPrintable(question), stderr);
    std::fflush(stderr);
#ifdef Q_OS_UNIX
    termios saved{};
    const bool haveTerm = tcgetattr(STDIN_FILENO, &saved) == 0;
    if (haveTerm) {
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    const auto line = readLine();
    if (haveTerm)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
#else
    const auto line = readLine();
#endif
    std::fputs("\n", stderr);
    return line;
}

std::optional<QString> readPin(const QString &name)
{
    if (!stdinIsTerminal())
        return readLine();
    const auto first = prompt(QStringLiteral("PIN for %1: ").arg(name));
    if (!first)
        return std::nullopt;
    const auto second = prompt(u"Repeat the PIN: "_qs);
    if (!second || *second != *first) {
        printError(u"the two PINs differ"_qs);
        return std::nullopt;
    }
    return first;
}

} // namespace

int runUserSetPin(Services &services, const QStringList &arguments)
{
    QStringList args = arguments;
    if (args.value(0) == u"set-pin")
        args.removeFirst();
    QString name;
    std::optional<QString> role;
    std::optional<bool> admin;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &a = args[i];
        if (a == u"--role" && i + 1 < args.size()) {
            role = args[++i];
        } else if (a == u"--admin" || a == u"--no-admin") {
            admin = a == u"--admin";
        } else if (a.startsWith(u"--pin")) {
            printError(u"the PIN is read from standard input, never from the command line"_qs);
            return 2;
        } else if (name.isEmpty() && !a.startsWith(u'-')) {
            name = a;
        } else {
            name.clear();
            break;
        }
    }
    if (name.isEmpty()) {
        printError(u"usage: gatehouse user set-pin NAME [--role ROLE] [--admin|--no-admin]  "
                   "(the PIN is read from standard input)"_qs);
        return 2;
    }
    const auto pin = readPin(name);
    if (!pin || pin->isEmpty()) {
        printError(u"no PIN given on standard input"_qs);
        return 1;
    }
    const bool existed = services.users.byUsername(name).has_value();
    auto user = services.pinAuth.setPin(name, *pin, true, u"cli"_qs);
    if (!user) {
        printError(user.error());
        return 1;
    }
    if (role || admin)
        services.users.setRole(user->id, role.value_or(user->role), admin.value_or(user->isAdmin));
    printLine(existed ? QStringLiteral("PIN set for %1 (%2)").arg(user->username, user->id)
                      : QStringLiteral("created PIN user %1 (%2)").arg(user->username, user->id));
    return 0;
}
