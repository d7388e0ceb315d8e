// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/clientaddress.h"
#include "requestframer.h"

#include <QHash>
#include <QSslConfiguration>
#include <QStringList>
#include <functional>
#include <memory>
#include <optional>

class Connection;
class Metrics;
class PeerCounter;
class Poller;
class QThreadPool;
class QTimer;
class Router;

// What every connection of one listener thread shares.
struct ListenerContext
{
    const Router *router = nullptr;
    Metrics *metrics = nullptr;
    QThreadPool *pool = nullptr;
    QStringList corsOrigins;
    int maxHeaderBytes = 16 << 10;
    qint64 maxBodyBytes = 1 << 20;
    int maxConnections = 4096;
    int idleTimeoutMs = 60000;
    int requestTimeoutMs = 30000;
    int maxPipelined = 64;           // per connection: requests read but not yet answered
    qint64 maxOutputBytes = 1 << 20; // per connection: answers the client has not read
    int maxBodyChunks = 4096;
    std::shared_ptr<PeerCounter> peers;   // shared by every listener thread; null: no cap
    std::optional<QSslConfiguration> tls; // set: HTTPS only on this port
    int handshakes = 0; // this thread's TLS connections not yet admitted (count towards the cap)
    QHash<quint64, Connection *> connections; // this thread's live connections, by id
    TrustedProxies trustedProxies;            // whose X-Forwarded-For / Forwarded name the client
    bool stopping = false;                    // the server is stopping: no new work
    // This thread's objects (set by the Listener; a reload keeps them).
    Poller *poller = nullptr; // plain sockets; null: every socket is a Qt socket
    QTimer *sweep = nullptr;  // checks every connection's deadlines while there are any
    // Serves request `sequence` of a connection; the answer reaches Connection::complete.
    std::function<void(Connection &, quint64, RequestFramer::RequestInfo &)> dispatch;
};
