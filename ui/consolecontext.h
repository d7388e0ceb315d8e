// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class LiveFeed;
class SecretStore;
class ServerControl;
class Services;
class Workers;

// What every console page works with. The main window owns the workers and the live
// feed; the rest outlives it.
struct ConsoleContext
{
    Services &services;
    ServerControl &server;
    SecretStore &secretStore;
    Workers &workers;
    LiveFeed &live;
};
