// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/response.h"
#include "requestframer.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <map>

class QTcpSocket;
struct ListenerContext;

// The guard and the responder of one client connection, living on its listener
// thread as a child of the socket. It sees every byte before QtHttpServer does
// (RequestFramer), refuses oversized or malformed requests in the surface's error
// shape, closes idle and slow clients, and writes responses in request order even
// when they finish out of order on the worker pool.
class Connection : public QObject
{
    Q_OBJECT
public:
    Connection(QTcpSocket *socket, ListenerContext &context, quint64 id);
    ~Connection() override;

    quint64 id() const { return m_id; }
    // Called for each request QtHttpServer parsed, in arrival order.
    quint64 beginRequest(bool headRequest);
    void complete(quint64 sequence, const Response &response);

private:
    void onReadyRead();
    void onIdle();
    void onRequestTimeout();
    void refuse(int status, const QByteArray &reason, const QByteArray &path);
    void writeReady();

    QTcpSocket *m_socket;
    ListenerContext &m_context;
    quint64 m_id;
    RequestFramer m_framer;
    QTimer m_idleTimer;
    QTimer m_requestTimer;
    struct Pending
    {
        bool head = false;
        bool closeAfter = false;
        QByteArray bytes; // filled when the response is ready
        bool ready = false;
    };
    std::map<quint64, Pending> m_pending;
    quint64 m_nextSequence = 0;
    bool m_refused = false;
    bool m_closing = false;
};
