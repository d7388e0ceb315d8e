// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/apierror.h"
#include "http/response.h"
#include "listenercontext.h"
#include "result.h"

#include <QHostAddress>
#include <QTcpServer>
#include <QTimer>

class Connection;
class QSslSocket;

// Accepts connections for one listener thread, refusing them past the connection caps,
// and gives each a Connection: over a plain socket in the listener's Poller, or over a
// Qt socket for TLS.
class GuardedTcpServer : public QTcpServer
{
    Q_OBJECT
public:
    GuardedTcpServer(ListenerContext &context, QObject *parent);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    bool acceptPlain(int fd);
    void admit(QTcpSocket *socket);
    // Answers with `error` and closes, without letting the client in.
    void turnAway(QTcpSocket *socket, int status, const QByteArray &reason);
    void startTls(QSslSocket *socket);
    void watched(Connection *connection);

    ListenerContext &m_context;
};

// One listener thread's objects. Lives on that thread.
class Listener : public QObject
{
    Q_OBJECT
public:
    explicit Listener(ListenerContext context);
    ~Listener() override;
    // Binds (SO_REUSEPORT on Linux, so every listener thread shares the port).
    Result<quint16> listen(const QHostAddress &address, quint16 port, bool shared);
    // Stops listening and starting work, and closes every connection (a stop). The
    // objects go with the Listener, on its thread.
    void shutdown();
    // A reload: `fresh`'s limits, CORS origins, trusted proxies and TLS configuration (when
    // set) from now on. Open connections keep their certificate and size limits.
    void reconfigure(const ListenerContext &fresh);

    // Serves one parsed request of `connection` (dispatch.cpp).
    void dispatch(Connection &connection, quint64 sequence, RequestFramer::RequestInfo &info);
    // Hands a pool result back to its connection, if the client is still there.
    void deliver(quint64 connectionId, quint64 sequence, const Response &response);

private:
    void sweep();
    void closeConnections();

    ListenerContext m_context;
    GuardedTcpServer *m_tcp = nullptr;
    QTimer m_sweep{this}; // a child: it moves to the listener thread with the Listener
};
