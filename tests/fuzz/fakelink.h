// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A Link for fuzz_connection that behaves as FdLink does over a socket, without one: the
// client's bytes wait in a receive buffer and are read in chunks only while reading is
// on (at most 4 reads per readiness, stopping as soon as reading goes off), answers go
// into a send buffer of a fixed size that the client empties as it reads, and what does
// not fit waits in the link (unsent()) until the client reads. It never calls back from
// inside its own methods: the fuzz target calls poll() and clientReads() between events.

#include "connection.h"
#include "fuzzsupport.h"
#include "link.h"

#include <QByteArray>
#include <functional>

class FakeLink : public Link
{
public:
    FakeLink(qsizetype readChunk, qsizetype window) : m_readChunk(readChunk), m_window(window) {}

    // Called with every batch given to send(), in order.
    std::function<void(QByteArrayView)> onWire;

    QString peerIp() const override { return QString::fromLatin1("192.0.2.1"); }
    void send(QByteArrayView bytes) override
    {
        if (closed || bytes.isEmpty())
            return;
        FUZZ_CHECK(!wantFin); // nothing after the FIN
        onWire(bytes);
        if (m_out.isEmpty()) {
            const qsizetype fits = qMin(bytes.size(), m_window - m_inKernel);
            m_inKernel += fits;
            bytes = bytes.sliced(fits);
        }
        m_out.append(bytes);
    }
    qint64 unsent() const override { return m_out.size(); }
    void setReading(bool on) override { reading = on; }
    void shutdownWrite() override { wantFin = true; }
    void close() override { closed = true; }

    // The client.
    void clientWrites(QByteArrayView bytes) { m_inbound.append(bytes); }
    void clientCloses() { m_finPending = true; }
    bool clientClosed() const { return m_finPending; }
    // Input readiness, as FdLink::readInput. Returns whether anything was reported.
    bool poll()
    {
        bool reported = false;
        for (int reads = 0; reads < 4 && reading && !closed; ++reads) {
            if (m_inbound.isEmpty()) {
                if (m_finPending && !m_finReported) {
                    m_finReported = true;
                    m_connection->onPeerClosed();
                    return true;
                }
                return reported;
            }
            const QByteArray chunk = m_inbound.first(qMin(m_readChunk, m_inbound.size()));
            m_inbound.remove(0, chunk.size());
            delivered.append(chunk);
            m_connection->onInput(chunk);
            reported = true;
            if (chunk.size() < m_readChunk)
                return true;
        }
        return reported;
    }
    // The client reads up to `n` bytes; what waits moves into the socket, and as
    // FdLink::flush, onSent() follows when any of it moved.
    void clientReads(qsizetype n)
    {
        m_inKernel -= qMin(n, m_inKernel);
        if (closed || m_out.isEmpty())
            return;
        const qsizetype moved = qMin(m_out.size(), m_window - m_inKernel);
        m_inKernel += moved;
        m_out.remove(0, moved);
        if (moved > 0 || m_out.isEmpty())
            m_connection->onSent();
    }
    qsizetype waitingInput() const { return m_inbound.size(); }

    bool reading = true;
    bool wantFin = false;
    bool closed = false;
    QByteArray delivered; // every byte given to onInput, in order

private:
    qsizetype m_readChunk;
    qsizetype m_window;
    qsizetype m_inKernel = 0; // sent, not read by the client yet
    QByteArray m_out;         // unsent
    QByteArray m_inbound;     // written by the client, not read yet
    bool m_finPending = false;
    bool m_finReported = false;
};
