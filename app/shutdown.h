// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>

class QObject;

// Calls `handler` on the main thread when SIGINT or SIGTERM arrives.
void onShutdownRequest(QObject *context, std::function<void()> handler);
// Calls `handler` on the main thread each time SIGHUP arrives (systemctl reload).
void onReloadRequest(QObject *context, std::function<void()> handler);
