// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <optional>

// Reads a secret (a password) for a CLI command, never from the command line where
// other users could see it in the process list: typed twice at a prompt without echo
// when standard input is a terminal, else the first line of standard input. nullopt
// when nothing was given or the two typed values differ (the reason is printed).
std::optional<QString> readSecret(const QString &what);
