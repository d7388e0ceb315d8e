// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/response.h"
#include "requestframer.h"

#include <QList>
#include <QObject>
#include <QTimer>
#include <optional>

class QTcpSocket;
struct ListenerContext;

// Ends a connection whose client may still be sending (a refused request, pipelined
// bytes): the answer goes out, then a FIN, and whatever the client still sends is read
// and dropped for up to `lingerMs` before the socket closes. Closing at once with unread
// bytes makes the kernel reset the connection, and the reset can destroy the answer
// before the client has read it (nginx's "lingering close").
void closeLingering(QTcpSocket *socket, int lingerMs);

// Bytes written to the socket that have not left the process yet (over TLS, before
// and after encryption).
qint64 unsentBytes(const QTcpSocket *socket);

// The guard and the responder of one client connection, living on its listener
// thread as a child of the socket. It sees every byte before QtHttpServer does
// (RequestFramer), refuses oversized or malformed requests in the surface's error
// shape, closes idle and slow clients, and writes responses in request order even
// when they finish out of order on the worker pool.
//
// QtHttpServer 6.4 parses one request per readyRead, leaves the rest in the socket's
// buffer and emits readyRead again (queued) for it; the guard remembers how much of
// that buffer it has already framed, so no byte is framed twice.
//
// A client that sends faster than it reads its answers is held back: past
// maxPipelined unanswered requests or maxOutputBytes of unread answers, the guard hides
// the socket's buffer from QtHttpServer (inside a read transaction) and the socket's
// bounded read buffer stops reading, so TCP itself makes the client wait. A client that
// reads nothing for idleTimeoutMs is closed.
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
    void onBytesWritten();
    void restartIdle();
    // Holds back QtHttpServer until the client has caught up (see the class comment).
    void pause();
    void hideInput();
    void maybeResume();
    void fitReadBuffer();
    void refuse(int status, const QByteArray &reason, const QByteArray &path);
    // Queues bytes that are ready now, behind every response still owed.
    void enqueue(QByteArray bytes, bool closeAfter);
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
        bool keepAlive = false; // say so: an HTTP/1.0 client that asked to keep the connection
        bool ready = false;
        QByteArray bytes; // filled when the response is ready
    };
    // Responses owed, in request order: a FIFO that allocates nothing per request.
    QList<Pending> m_pending;
    quint64 m_firstSequence = 0; // sequence number of m_pending.first()
    quint64 m_nextSequence = 0;
    qint64 m_unparsed = 0; // framed bytes still in the socket buffer for QtHttpServer
    std::optional<RequestFramer::Verdict> m_deferred; // a refusal behind complete requests
    bool m_refused = false;
    bool m_closing = false;
    bool m_paused = false;
    qint64 m_pausedFramed = 0; // framed bytes at the front of the hidden input
    bool m_wrote = false;      // the client took some of its answers since restartIdle()
};
