// SPDX-License-Identifier: GPL-3.0-or-later
#include "connection.h"

#include "http/apierror.h"
#include "listenercontext.h"
#include "logging.h"
#include "metrics.h"
#include "router.h"

#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>

#ifdef Q_OS_UNIX
#include <sys/socket.h>

using namespace Qt::StringLiterals;
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

qint64 unsentBytes(const QTcpSocket *socket)
{
    qint64 bytes = socket->bytesToWrite();
    if (const auto *tls = qobject_cast<const QSslSocket *>(socket))
        bytes += tls->encryptedBytesToWrite(); // bytesToWrite() counts only plaintext
    return bytes;
}

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
      m_framer({context.maxHeaderBytes, context.maxBodyBytes, context.maxBodyChunks})
{
    m_context.connections.insert(m_id, this);
    m_context.metrics->connectionOpened();
    m_idleTimer.setSingleShot(true);
    m_requestTimer.setSingleShot(true);
    connect(&m_idleTimer, &QTimer::timeout, this, &Connection::onIdle);
    connect(&m_requestTimer, &QTimer::timeout, this, &Connection::onRequestTimeout);
    // Connected before QtHttpServer's own slot, so the guard sees bytes first.
    connect(socket, &QTcpSocket::readyRead, this, &Connection::onReadyRead);
    connect(socket, &QTcpSocket::bytesWritten, this, &Connection::onBytesWritten);
    if (auto *tls = qobject_cast<QSslSocket *>(socket)) // its bytesWritten is encryption
        connect(tls, &QSslSocket::encryptedBytesWritten, this, &Connection::onBytesWritten);
    fitReadBuffer();
    restartIdle();
}

Connection::~Connection()
{
    m_context.connections.remove(m_id);
    m_context.metrics->connectionClosed();
}

// Unbounded, the socket reads whatever the client sends while QtHttpServer takes one
// request at a time. Bounded, it stops reading and TCP holds the client back. A request
// QtHttpServer is parsing stays whole in the buffer (its read transaction), so while a
// body is coming the buffer must hold the largest request allowed.
void Connection::fitReadBuffer()
{
    constexpr qint64 kSlack = 64 << 10;
    qint64 size = m_context.maxHeaderBytes + kSlack;
    if (m_framer.inBody())
        size += m_context.maxBodyBytes + RequestFramer::kMaxChunkFramingBytes;
    if (m_socket->readBufferSize() != size)
        m_socket->setReadBufferSize(size);
}

void Connection::restartIdle()
{
    m_wrote = false;
    m_idleTimer.start(m_context.idleTimeoutMs);
}

void Connection::onReadyRead()
{
    if (m_refused || m_closing) { // draining until the socket closes
        discardInput(m_socket);
        return;
    }
    if (m_paused)
        return hideInput();
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
    const bool wasMidRequest = m_framer.midRequest();
    const qsizetype arrivedBefore = m_framer.arrived().size();
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
    fitReadBuffer();
    // The interim answer goes out in order, so only when no earlier request is still
    // waiting to be parsed; a client that gets none sends its body after a while anyway.
    if (verdict.sendContinue && m_framer.inBody() && m_framer.arrived().size() == 1)
        enqueue("HTTP/1.1 100 Continue\r\n\r\n"_ba, false);
    const bool completed = wasMidRequest || m_framer.arrived().size() > arrivedBefore;
    if (m_framer.midRequest() || !completed) {
        // A deadline for the whole request, not per byte; blank lines before a request
        // (which QtHttpServer skips) start it too, so they cannot hold a connection open.
        if (!m_requestTimer.isActive())
            m_requestTimer.start(m_context.requestTimeoutMs);
    } else {
        m_requestTimer.stop();
    }
    if (completed || m_framer.midRequest())
        restartIdle();
}

void Connection::refuse(int status, const QByteArray &reason, const QByteArray &path)
{
    m_refused = true;
    m_paused = false; // discardInput ends the transaction that hides the input
    m_deferred.reset();
    m_requestTimer.stop();
    discardInput(m_socket); // QtHttpServer never sees the request
    m_context.metrics->countRejected(status);
    const ErrorShape shape = m_context.router->shapeFor(QString::fromUtf8(path));
    Response response = errorResponse(shape, ApiError(status, QString::fromLatin1(reason)));
    response.header("X-Request-Id", Logging::newRequestId()); // every answer has one
    enqueue(serializeResponse(response, false, true, {}), true);
}

void Connection::onIdle()
{
    // Answers wait and the client took none of them for a whole idle period: it stopped
    // reading (with the connection closing too, or it would wait forever).
    if (unsentBytes(m_socket) > 0 && !m_wrote) {
        m_socket->abort();
        return;
    }
    if (m_closing) {
        if (unsentBytes(m_socket) > 0)
            restartIdle();
        return;
    }
    // Still working on an answer or sending one, or a request is on its way (the request
    // timer owns it).
    if (!m_pending.isEmpty() || unsentBytes(m_socket) > 0 ||
        (!m_refused && !m_deferred && m_framer.midRequest())) {
        restartIdle();
        return;
    }
    m_socket->disconnectFromHost();
}

void Connection::onRequestTimeout()
{
    if (m_refused)
        return;
    if (m_framer.midRequest())
        return refuse(408, "Request timed out", m_framer.pathInBody());
    // Only blank lines came: nothing to answer, the connection just closes once its
    // answers are out.
    if (m_pending.isEmpty())
        m_socket->disconnectFromHost();
    else
        m_requestTimer.start(m_context.requestTimeoutMs);
}

void Connection::onBytesWritten()
{
    m_wrote = true;
    maybeResume();
}

void Connection::pause()
{
    // QtHttpServer parses whatever the socket's buffer holds, one request per readyRead,
    // and stops when bytesAvailable() is 0: reading the buffer inside a transaction hides
    // it, and rolling the transaction back shows it again.
    m_paused = true;
    m_pausedFramed = m_unparsed;
    m_socket->startTransaction();
    hideInput();
}

void Connection::hideInput()
{
    thread_local QByteArray scratch;
    const qint64 available = m_socket->bytesAvailable();
    scratch.resize(qMin<qint64>(available, 64 << 10));
    for (qint64 left = available; left > 0;) {
        const qint64 read = m_socket->read(scratch.data(), qMin<qint64>(left, scratch.size()));
        if (read <= 0)
            break;
        left -= read;
    }
}

void Connection::maybeResume()
{
    if (!m_paused || m_refused || m_closing)
        return;
    if (m_pending.size() >= m_context.maxPipelined ||
        unsentBytes(m_socket) > m_context.maxOutputBytes / 2)
        return;
    m_paused = false;
    m_socket->rollbackTransaction();
    m_unparsed = m_pausedFramed;
    if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(m_socket, &QAbstractSocket::readyRead, Qt::QueuedConnection);
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
    } else if (!m_paused && (m_pending.size() >= m_context.maxPipelined ||
                             unsentBytes(m_socket) >= m_context.maxOutputBytes)) {
        pause(); // the client sends faster than it reads: it waits
    }
    restartIdle();
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
            restartIdle(); // a client that never reads the last answer is closed
            return;
        }
    }
    restartIdle();
    // Sent now, in one write() for every answer that became ready together, instead of
    // once the event loop has polled the socket for writability again.
    m_socket->flush();
    maybeResume();
}
