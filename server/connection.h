// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/response.h"
#include "requestframer.h"

#include <QList>
#include <QObject>
#include <memory>
#include <optional>

class Link;
struct ListenerContext;

// The clock of every connection deadline (Connection::tick), in milliseconds.
qint64 steadyMs();

// One client connection, living on its listener thread: Gatehouse's HTTP/1.1 server
// side over a Link. It parses requests (RequestFramer), refuses oversized or malformed
// ones in the surface's error shape, hands the rest to the listener's dispatch, and
// writes the answers in request order even when they finish out of order on the worker
// pool. It closes idle and slow clients (deadlines the listener checks with tick()).
//
// A client that sends faster than it reads its answers is held back: past maxPipelined
// unanswered requests or maxOutputBytes of unsent answers, nothing more is parsed or
// read, so TCP itself makes the client wait. A client that reads nothing for
// idleTimeoutMs is closed.
//
// A connection ends with close(): it leaves the listener's table at once and is
// deleted by the event loop, so a pool result for it later finds nothing.
class Connection : public QObject
{
    Q_OBJECT
public:
    // `counted`: open connections and the connection cap include it (a turned-away
    // client is answered but not counted).
    Connection(std::unique_ptr<Link> link, ListenerContext &context, quint64 id,
               bool counted = true);
    ~Connection() override;

    quint64 id() const { return m_id; }
    const QString &peerIp() const { return m_peerIp; }
    // The answer to request `sequence` (given to the listener's dispatch).
    void complete(quint64 sequence, const Response &response);
    // Answers `status` with `reason` and closes, without reading a request.
    void turnAway(int status, const QByteArray &reason);
    // Deadlines: request, idle and lingering close. `nowMs` is a steady clock.
    void tick(qint64 nowMs);
    // Ends the connection now.
    void close();

    // From the link.
    void onInput(QByteArrayView data);
    void onSent();
    void onPeerClosed();
    void onBroken();

private:
    void detach();
    void parse(QByteArrayView data);
    void dispatchArrived();
    quint64 begin(const RequestFramer::RequestInfo &info);
    void noteProgress(bool completedRequest);
    void refuse(int status, const QByteArray &reason, const QByteArray &path);
    void onIdle();
    void onRequestTimeout();
    void pause();
    void maybeResume();
    // Queues bytes that are ready now, behind every answer still owed.
    void enqueue(QByteArray bytes, bool closeAfter);
    void writeReady();
    void closeAfterSending();
    void restartIdle();

    std::unique_ptr<Link> m_link;
    ListenerContext &m_context;
    quint64 m_id;
    QString m_peerIp;
    bool m_counted;
    RequestFramer m_framer;
    QByteArray m_held; // received, not parsed yet (held back while paused)
    struct Pending
    {
        bool head = false;
        bool closeAfter = false;
        bool keepAlive = false; // say so: an HTTP/1.0 client that asked to keep the connection
        bool ready = false;
        QByteArray bytes; // filled when the answer is ready
    };
    // Answers owed, in request order.
    QList<Pending> m_pending;
    quint64 m_firstSequence = 0; // sequence number of m_pending.first()
    quint64 m_nextSequence = 0;
    std::optional<RequestFramer::Verdict> m_deferred; // a refusal behind complete requests
    bool m_refused = false;
    // A request that ends the connection was dispatched: nothing after it is read.
    bool m_lastRequest = false;
    bool m_closing = false;  // the last answer is queued: FIN, then drain until closed
    bool m_peerDone = false; // the client sent its FIN: answer what is owed, then close
    bool m_paused = false;
    bool m_closed = false;
    bool m_wrote = false; // the client took some of its answers since restartIdle()
    qint64 m_idleAt = 0;  // deadlines, steady ms; 0: none
    qint64 m_requestAt = 0;
    qint64 m_lingerAt = 0;
};
