// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/apierror.h"
#include "http/response.h"
#include "listenercontext.h"
#include "result.h"

#include <QAbstractHttpServer>
#include <QHostAddress>
#include <QTcpServer>

class Listener;
class QSslSocket;

// Accepts connections for one listener thread, refusing them past the connection cap
// and attaching a Connection guard to each before QtHttpServer sees it.
class GuardedTcpServer : public QTcpServer
{
    Q_OBJECT
public:
    GuardedTcpServer(ListenerContext &context, QObject *parent);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    void admit(QTcpSocket *socket);
    // Answers with `error` and closes, without letting the client in.
    void turnAway(QTcpSocket *socket, const ApiError &error);
    void startTls(QSslSocket *socket);

    ListenerContext &m_context;
};

// QtHttpServer's parser, with our dispatch: every parsed request goes through the
// router to a handler, inline or on the worker pool, and back to its Connection.
class HttpEndpoint : public QAbstractHttpServer
{
    Q_OBJECT
public:
    HttpEndpoint(ListenerContext &context, QObject *parent);
    // Hands a pool result back to its connection, if the client is still there.
    void deliver(quint64 connectionId, quint64 sequence, const Response &response);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
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

private:
    ListenerContext m_context;
    GuardedTcpServer *m_tcp = nullptr;
    HttpEndpoint *m_http = nullptr;
};
