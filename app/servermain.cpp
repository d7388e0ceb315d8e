// SPDX-License-Identifier: GPL-3.0-or-later
// gatehouse-server: the headless binary. Every command of the command line; no command
// means serve. Links no Qt Gui, Widgets or Charts, so a server needs no X11 or GL.
#include "cli.h"

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    return runGatehouse(argc, argv, u"gatehouse-server"_s, nullptr);
}
