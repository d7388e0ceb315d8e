// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

struct Settings;
class Services;
class ServerControl;

// Opens the admin console and starts the server. The server keeps running when the
// window closes (the tray icon quits).
void startConsole(Services &services, ServerControl &server);

// True when another console already runs on this data folder; it was asked to raise
// its window, and this process should exit.
bool secondInstanceRaised(const Settings &settings);
