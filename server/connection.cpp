// SPDX-License-Identifier: GPL-3.0-or-later
#include "connection.h"

#include "http/apierror.h"
#include "link.h"
#include "listenercontext.h"
#include "logging.h"
#include "metrics.h"
#include "router.h"

#include <chrono>

using namespace Qt::StringLiterals;

namespace {

constexpr int kLingerMs = 2000;

} // namespace

qint64 steadyMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

Connection::Connection(std::unique_ptr<Link> link, ListenerContext &context, quint64 id,
                       bool counted)
    : m_link(std::move(link)), m_context(context), m_id(id), m_peerIp(m_link->peerIp()),
      m_counted(counted),
      m_framer({context.maxHeaderBytes, context.maxBodyBytes, context.maxBodyChunks})
{
    m_link->attach(this);
    m_context.connections.insert(m_id, this);
    if (m_counted)
        m_context.metrics->connectionOpened();
    restartIdle();
}

Connection::~Connection()
{
    if (!m_closed) // the listener is closing every connection
        detach();
}

// After this the object touches nothing of its listener: a closed connection may be
// deleted after the listener is gone (deferred deletes run when its thread ends).
void Connection::detach()
{
    m_closed = true;
    m_link->close();
    m_context.connections.remove(m_id);
    if (m_counted)
        m_context.metrics->connectionClosed();
}

void Connection::close()
{
    if (m_closed)
        return;
    detach();
    deleteLater();
}

void Connection::restartIdle()
{
    m_wrote = false;
    m_idleAt = steadyMs() + m_context.idleTimeoutMs;
}

void Connection::onInput(QByteArrayView data)
{
    if (m_closed || m_refused || m_closing || m_peerDone || m_lastRequest)
        return; // draining until the socket closes
    if (m_paused || !m_held.isEmpty()) {
        m_held.append(data);
        return;
    }
    parse(data);
}

// Parses until the input is used up or the client must wait; what is left waits in
// m_held, and the link stops reading.
void Connection::parse(QByteArrayView data)
{
    while (!m_closed && !m_refused && !m_closing && !m_deferred && !m_lastRequest) {
        if (m_paused) {
            m_held = data.toByteArray();
            return;
        }
        if (data.isEmpty())
            break;
        const bool wasMidRequest = m_framer.midRequest();
        const qsizetype arrivedBefore = m_framer.arrived().size();
        qsizetype used = 0;
        const RequestFramer::Verdict verdict = m_framer.feed(data, &used);
        data = data.sliced(used);
        if (verdict.rejectStatus != 0) {
            // Complete requests before the bad one are answered first.
            m_deferred = verdict;
            m_requestAt = 0;
        } else if (verdict.sendContinue && m_framer.inBody() && m_framer.arrived().size() == 1) {
            // The interim answer goes out in order: only for the one request waiting.
            enqueue("HTTP/1.1 100 Continue\r\n\r\n"_ba, false);
        }
        const bool completed = m_framer.arrived().size() > arrivedBefore && !m_framer.inBody();
        noteProgress(completed || (wasMidRequest && !m_framer.midRequest()));
        dispatchArrived();
    }
    m_held.clear();
    if (m_deferred && !m_refused && !m_closed)
        dispatchArrived(); // the refusal follows the requests before it
}

// A deadline for the whole request, not per byte; blank lines before a request start
// it too, so they cannot hold a connection open.
void Connection::noteProgress(bool completedRequest)
{
    if (m_deferred)
        return;
    if (m_framer.midRequest() || !completedRequest) {
        if (m_requestAt == 0)
            m_requestAt = steadyMs() + m_context.requestTimeoutMs;
    } else {
        m_requestAt = 0;
    }
    restartIdle();
}

void Connection::dispatchArrived()
{
    QList<RequestFramer::RequestInfo> &arrived = m_framer.arrived();
    while (!m_closed && !m_refused && !m_closing && !m_paused && !m_lastRequest) {
        const qsizetype complete = arrived.size() - (m_framer.inBody() && !m_deferred ? 1 : 0);
        if (complete <= 0)
            break;
        RequestFramer::RequestInfo info = std::move(arrived.first());
        arrived.removeFirst();
        const quint64 sequence = begin(info);
        m_context.dispatch(*this, sequence, info); // may answer at once
        if (!m_paused && (m_pending.size() >= m_context.maxPipelined ||
                          m_link->unsent() >= m_context.maxOutputBytes))
            pause(); // the client sends faster than it reads: it waits
    }
    if (m_deferred && arrived.isEmpty() && !m_refused && !m_closing && !m_closed) {
        const RequestFramer::Verdict refusal = *m_deferred;
        refuse(refusal.rejectStatus, refusal.reason, refusal.path);
    }
}

quint64 Connection::begin(const RequestFramer::RequestInfo &info)
{
    Pending pending;
    pending.head = info.method == "HEAD";
    pending.closeAfter = info.closeAfter;
    pending.keepAlive = info.http10 && !info.closeAfter;
    m_lastRequest = info.closeAfter; // what follows it is neither answered nor run
    m_pending.append(std::move(pending));
    restartIdle();
    return m_nextSequence++;
}

void Connection::turnAway(int status, const QByteArray &reason)
{
    refuse(status, reason, QByteArray());
}

void Connection::refuse(int status, const QByteArray &reason, const QByteArray &path)
{
    m_refused = true;
    m_deferred.reset();
    m_requestAt = 0;
    m_held.clear();
    m_context.metrics->countRejected(status);
    const ErrorShape shape = m_context.router->shapeFor(QString::fromUtf8(path));
    Response response = errorResponse(shape, ApiError(status, QString::fromLatin1(reason)));
    response.header("X-Request-Id", Logging::newRequestId()); // every answer has one
    enqueue(serializeResponse(response, false, true, {}), true);
}

void Connection::tick(qint64 nowMs)
{
    if (m_closed)
        return;
    if (m_lingerAt != 0 && nowMs >= m_lingerAt)
        return close();
    if (m_requestAt != 0 && nowMs >= m_requestAt)
        onRequestTimeout();
    if (!m_closed && nowMs >= m_idleAt)
        onIdle();
}

void Connection::onIdle()
{
    // Answers wait and the client took none of them for a whole idle period: it stopped
    // reading (with the connection closing too, or it would wait forever).
    if (m_link->unsent() > 0 && !m_wrote)
        return close();
    // Still working on an answer or sending one, or a request is on its way (the request
    // deadline owns it).
    if (m_closing || !m_pending.isEmpty() || m_link->unsent() > 0 ||
        (!m_refused && !m_deferred && m_framer.midRequest())) {
        restartIdle();
        return;
    }
    closeAfterSending();
}

void Connection::onRequestTimeout()
{
    m_requestAt = 0;
    if (m_refused || m_closing)
        return;
    if (m_framer.midRequest())
        return refuse(408, "Request timed out", m_framer.pathInBody());
    // Only blank lines came: nothing to answer, the connection just closes once its
    // answers are out.
    if (m_pending.isEmpty())
        closeAfterSending();
    else
        m_requestAt = steadyMs() + m_context.requestTimeoutMs;
}

void Connection::onSent()
{
    m_wrote = true;
    if (m_closed)
        return;
    if ((m_closing || m_peerDone) && m_pending.isEmpty() && m_link->unsent() == 0 && m_peerDone)
        return close();
    maybeResume();
}

void Connection::onPeerClosed()
{
    // The client will send nothing more; what it asked for is still answered.
    m_peerDone = true;
    m_link->setReading(false);
    if (m_closing || (m_pending.isEmpty() && m_link->unsent() == 0))
        close();
}

void Connection::onBroken()
{
    close();
}

void Connection::pause()
{
    m_paused = true;
    m_link->setReading(false);
}

void Connection::maybeResume()
{
    if (!m_paused || m_refused || m_closing || m_closed)
        return;
    if (m_pending.size() >= m_context.maxPipelined ||
        m_link->unsent() > m_context.maxOutputBytes / 2)
        return;
    m_paused = false;
    dispatchArrived();
    const QByteArray held = std::exchange(m_held, QByteArray());
    parse(held);
    if (!m_paused && !m_closed && !m_peerDone)
        m_link->setReading(true);
}

void Connection::complete(quint64 sequence, const Response &response)
{
    if (m_closed || m_closing || sequence < m_firstSequence ||
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
    if (m_pending.isEmpty() || !m_pending.first().ready)
        return;
    // Every answer that is ready leaves in one write.
    QByteArray batch = std::move(m_pending.first().bytes);
    bool closeAfter = m_pending.first().closeAfter;
    m_pending.removeFirst();
    ++m_firstSequence;
    while (!closeAfter && !m_pending.isEmpty() && m_pending.first().ready) {
        batch.append(m_pending.first().bytes);
        closeAfter = m_pending.first().closeAfter;
        m_pending.removeFirst();
        ++m_firstSequence;
    }
    m_link->send(batch);
    restartIdle();
    if (closeAfter) {
        m_pending.clear();
        closeAfterSending();
        return;
    }
    if (m_peerDone && m_pending.isEmpty() && m_link->unsent() == 0)
        return close();
    maybeResume();
}

// The answer goes out, then a FIN, and whatever the client still sends is read and
// dropped for up to kLingerMs before the socket closes. Closing at once with unread
// bytes makes the kernel reset the connection, and the reset can destroy the answer
// before the client has read it (nginx's "lingering close").
void Connection::closeAfterSending()
{
    if (m_closing || m_closed)
        return;
    m_closing = true;
    m_paused = false;
    m_held.clear();
    m_requestAt = 0;
    if (m_peerDone && m_link->unsent() == 0)
        return close();
    m_link->setReading(!m_peerDone);
    m_link->shutdownWrite();
    m_lingerAt = steadyMs() + qMin(kLingerMs, m_context.idleTimeoutMs) +
                 (m_link->unsent() > 0 ? m_context.idleTimeoutMs : 0);
}
