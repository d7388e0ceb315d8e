// SPDX-License-Identifier: GPL-3.0-or-later
#include "secretinput.h"

#include "runtime.h"

#include <cstdio>
#include <string>

#ifdef Q_OS_UNIX
#include <termios.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
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

} // namespace

std::optional<QString> readSecret(const QString &what)
{
    if (!stdinIsTerminal()) {
        auto line = readLine();
        if (!line || line->isEmpty()) {
            printError(u"no %1 on standard input"_s.arg(what));
            return std::nullopt;
        }
        return line;
    }
    const auto first = prompt(u"New %1: "_s.arg(what));
    if (!first || first->isEmpty()) {
        printError(u"no %1 given"_s.arg(what));
        return std::nullopt;
    }
    const auto second = prompt(u"Repeat the %1: "_s.arg(what));
    if (!second || *second != *first) {
        printError(u"the two %1s differ"_s.arg(what));
        return std::nullopt;
    }
    return first;
}
