// SPDX-License-Identifier: GPL-3.0-or-later
#include "connection.h"

#include "http/apierror.h"
#include "listenercontext.h"
#include "metrics.h"
#include "router.h"

#include <QTcpSocket>
#include <QTimer>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

namespace {

constexpr int kLingerMs = 2000;

// Reads and drops what the client sent. QtHttpServer may hold a read transaction open on
// the socket (a request it is half-way through), and a transaction keeps every byte in
// memory until it ends: end it first, or a drained upload piles up.
void discardInput(QTcpSocket *socket)
{
    if (socket->isTransactionStarted())
        socket->commitTransaction();
    socket->skip(socket->bytesAvailable());
}

} // namespace

void closeLingering(QTcpSocket *socket, int lingerMs)
{
#ifdef Q_OS_UNIX
    QObject::connect(socket, &QIODevice::readyRead, socket, [socket] { discardInput(socket); });
    discardInput(socket);
    // FIN once the answer has left Qt's buffer; the client reads it, then closes.
    const auto halfClose = [socket] {
        if (socket->bytesToWrite() == 0 && socket->state() == QAbstractSocket::ConnectedState)
            ::shutdown(int(socket->socketDescriptor()), SHUT_WR);
    };
    socket->flush();
    if (socket->bytesToWrite() == 0)
        halfClose();
    else
        QObject::connect(socket, &QIODevice::bytesWritten, socket, halfClose);
    QTimer::singleShot(lingerMs, socket, [socket] { socket->abort(); });
#else
    Q_UNUSED(lingerMs);
    socket->disconnectFromHost();
#endif
}

Connection::Connection(QTcpSocket *socket, ListenerContext &context, quint64 id)
    : QObject(socket), m_socket(socket), m_context(context), m_id(id),
      m_framer({context.maxHeaderBytes, context.maxBodyBytes})
{
    m_context.connections.insert(m_id, this);
    m_context.metrics->connectionOpened();
    m_idleTimer.setSingleShot(true);
    m_requestTimer.setSingleShot(true);
    connect(&m_idleTimer, &QTimer::timeout, this, &Connection::onIdle);
    connect(&m_requestTimer, &QTimer::timeout, this, &Connection::onRequestTimeout);
    // Connected before QtHttpServer's own slot, so the guard sees bytes first.
    connect(socket, &QTcpSocket::readyRead, this, &Connection::onReadyRead);
    m_idleTimer.start(m_context.idleTimeoutMs);
}

Connection::~Connection()
{
    m_context.connections.remove(m_id);
    m_context.metrics->connectionClosed();
}

void Connection::onReadyRead()
{
    if (m_refused || m_closing) { // draining until the socket closes
        discardInput(m_socket);
        return;
    }
    if (m_deferred) // QtHttpServer is still taking the requests before the refused one
        return;
    // The buffer starts with bytes framed before but not yet read by QtHttpServer (a
    // pipelined request); only what follows them is new.
    const qint64 available = m_socket->bytesAvailable();
    const qint64 seen = m_unparsed;
    m_unparsed = 0; // QtHttpServer reads everything now, unless it completes a request
    if (available <= seen)
        return;
    // One scratch buffer per listener thread: no allocation per readyRead.
    thread_local QByteArray scratch;
    scratch.resize(available);
    const qint64 peeked = m_socket->peek(scratch.data(), available);
    if (peeked <= seen)
        return;
    const RequestFramer::Verdict verdict =
        m_framer.feed(QByteArrayView(scratch.constData() + seen, peeked - seen));
    if (verdict.rejectStatus != 0) {
        if (m_framer.arrived().isEmpty())
            return refuse(verdict.rejectStatus, verdict.reason, verdict.path);
        // Complete requests precede the bad one: QtHttpServer takes them first, and the
        // refusal follows their answers (beginRequest).
        m_deferred = verdict;
        m_requestTimer.stop();
        return;
    }
    // The interim answer goes out in order, so only when no earlier request is still
    // waiting to be parsed; a client that gets none sends its body after a while anyway.
    if (verdict.sendContinue && m_framer.inBody() && m_framer.arrived().size() == 1)
        enqueue(QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n"), false);
    m_idleTimer.start(m_context.idleTimeoutMs);
    if (m_framer.midRequest()) {
        if (!m_requestTimer.isActive()) // a deadline for the whole request, not per byte
            m_requestTimer.start(m_context.requestTimeoutMs);
    } else {
        m_requestTimer.stop();
    }
}

void Connection::refuse(int status, const QByteArray &reason, const QByteArray &path)
{
    m_refused = true;
    m_deferred.reset();
    m_requestTimer.stop();
    discardInput(m_socket); // QtHttpServer never sees the request
    m_context.metrics->countRejected(status);
    const ErrorShape shape = m_context.router->shapeFor(QString::fromUtf8(path));
    const Response response = errorResponse(shape, ApiError(status, QString::fromLatin1(reason)));
    enqueue(serializeResponse(response, false, true, {}), true);
}

void Connection::onIdle()
{
    if (m_closing)
        return;
    // Still working on an answer, or a request is on its way (the request timer owns it).
    if (!m_pending.isEmpty() || (!m_refused && !m_deferred && m_framer.midRequest())) {
        m_idleTimer.start(m_context.idleTimeoutMs);
        return;
    }
    m_socket->disconnectFromHost();
}

void Connection::onRequestTimeout()
{
    if (m_framer.midRequest() && !m_refused)
        refuse(408, "Request timed out", m_framer.pathInBody());
}

quint64 Connection::beginRequest(bool headRequest)
{
    Pending pending;
    pending.head = headRequest;
    QList<RequestFramer::RequestInfo> &arrived = m_framer.arrived();
    if (!arrived.isEmpty()) {
        const RequestFramer::RequestInfo &info = arrived.first();
        pending.closeAfter = info.closeAfter;
        pending.keepAlive = info.http10 && !info.closeAfter;
        arrived.removeFirst();
    } else {
        // QtHttpServer found a request the guard did not: the two no longer agree on
        // where requests start, so nothing more is read from this connection.
        pending.closeAfter = true;
        m_refused = true;
    }
    const quint64 sequence = m_nextSequence++;
    m_pending.append(std::move(pending));
    // QtHttpServer reads one request per readyRead; what follows this one is still in
    // the buffer, already framed, and QtHttpServer re-emits readyRead for it.
    m_unparsed = m_socket->bytesAvailable();
    if (m_refused || m_closing) {
        discardInput(m_socket);
    } else if (m_deferred && arrived.isEmpty()) {
        const RequestFramer::Verdict refusal = *m_deferred;
        refuse(refusal.rejectStatus, refusal.reason, refusal.path);
    }
    return sequence;
}

void Connection::complete(quint64 sequence, const Response &response)
{
    if (m_closing || sequence < m_firstSequence ||
        sequence - m_firstSequence >= quint64(m_pending.size()))
        return;
    Pending &pending = m_pending[qsizetype(sequence - m_firstSequence)];
    if (pending.keepAlive) {
        static const QList<std::pair<QByteArray, QByteArray>> keepAlive{
            {"Connection", "keep-alive"}};
        pending.bytes = serializeResponse(response, pending.head, false, keepAlive);
    } else {
        pending.bytes = serializeResponse(response, pending.head, pending.closeAfter, {});
    }
    pending.ready = true;
    writeReady();
}

void Connection::enqueue(QByteArray bytes, bool closeAfter)
{
    Pending pending;
    pending.closeAfter = closeAfter;
    pending.bytes = std::move(bytes);
    pending.ready = true;
    m_nextSequence++;
    m_pending.append(std::move(pending));
    writeReady();
}

void Connection::writeReady()
{
    while (!m_pending.isEmpty() && m_pending.first().ready) {
        const bool closeAfter = m_pending.first().closeAfter;
        m_socket->write(m_pending.first().bytes);
        m_pending.removeFirst();
        ++m_firstSequence;
        if (closeAfter) {
            m_closing = true;
            m_pending.clear();
            // The client may still be sending: the rest of a refused request, pipelined
            // requests after this one.
            if (m_refused || m_framer.midRequest() || m_socket->bytesAvailable() > 0)
                closeLingering(m_socket, qMin(kLingerMs, m_context.idleTimeoutMs));
            else
                m_socket->disconnectFromHost();
            return;
        }
    }
    m_idleTimer.start(m_context.idleTimeoutMs);
}
