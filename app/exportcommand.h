// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

class Services;

// `gatehouse export --json [FILE]` and `gatehouse import FILE` (core/transfer does the work).
bool isTransferCommand(const QString &command);
int runTransferCommand(Services &services, const QString &command, const QStringList &args);
