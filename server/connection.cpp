// SPDX-License-Identifier: GPL-3.0-or-later
#include "connection.h"

#include "http/apierror.h"
#include "listenercontext.h"
#include "metrics.h"
#include "router.h"

#include <QTcpSocket>

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
    if (m_refused) { // draining a refused request until the socket closes
        m_socket->read(m_socket->bytesAvailable());
        return;
    }
    const qint64 available = m_socket->bytesAvailable();
    if (available <= 0)
        return;
    const bool wasMidRequest = m_framer.midRequest();
    const RequestFramer::Verdict verdict = m_framer.feed(m_socket->peek(available));
    if (verdict.rejectStatus != 0)
        return refuse(verdict.rejectStatus, verdict.reason, verdict.path);
    if (verdict.sendContinue)
        m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
    m_idleTimer.start(m_context.idleTimeoutMs);
    if (m_framer.midRequest()) {
        if (!wasMidRequest || !m_requestTimer.isActive())
            m_requestTimer.start(m_context.requestTimeoutMs);
    } else {
        m_requestTimer.stop();
    }
}

void Connection::refuse(int status, const QByteArray &reason, const QByteArray &path)
{
    m_refused = true;
    m_requestTimer.stop();
    m_socket->read(m_socket->bytesAvailable()); // QtHttpServer never sees the request
    m_context.metrics->countRejected(status);
    const ErrorShape shape = m_context.router->shapeFor(QString::fromUtf8(path));
    const Response response = errorResponse(shape, ApiError(status, QString::fromLatin1(reason)));
    m_socket->write(serializeResponse(response, false, true, {}));
    m_closing = true;
    m_socket->disconnectFromHost();
}

void Connection::onIdle()
{
    if (!m_pending.empty()) { // still working on an answer
        m_idleTimer.start(m_context.idleTimeoutMs);
        return;
    }
    m_socket->disconnectFromHost();
}

void Connection::onRequestTimeout()
{
    if (m_framer.midRequest())
        refuse(408, "Request timed out", QByteArray());
}

quint64 Connection::beginRequest(bool headRequest)
{
    Pending pending;
    pending.head = headRequest;
    QList<RequestFramer::RequestInfo> &arrived = m_framer.arrived();
    if (!arrived.isEmpty())
        pending.closeAfter = arrived.takeFirst().closeAfter;
    const quint64 sequence = m_nextSequence++;
    m_pending.emplace(sequence, std::move(pending));
    return sequence;
}

void Connection::complete(quint64 sequence, const Response &response)
{
    const auto it = m_pending.find(sequence);
    if (it == m_pending.end() || m_closing)
        return;
    QList<std::pair<QByteArray, QByteArray>> extra;
    it->second.bytes = serializeResponse(response, it->second.head, it->second.closeAfter, extra);
    it->second.ready = true;
    writeReady();
}

void Connection::writeReady()
{
    while (!m_pending.empty() && m_pending.begin()->second.ready) {
        Pending done = std::move(m_pending.begin()->second);
        m_pending.erase(m_pending.begin());
        m_socket->write(done.bytes);
        if (done.closeAfter) {
            m_closing = true;
            m_pending.clear();
            m_socket->disconnectFromHost();
            return;
        }
    }
    m_idleTimer.start(m_context.idleTimeoutMs);
}
