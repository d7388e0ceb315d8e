// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>

class QObject;

// Calls `handler` on the main thread when SIGINT or SIGTERM arrives.
void onShutdownRequest(QObject *context, std::function<void()> handler);
