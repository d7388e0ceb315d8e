// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "link.h"

#include <QByteArray>
#include <QObject>
#include <cstdint>
#include <memory>

class PeerCounter;
class QSocketNotifier;
class FdLink;

// One listener thread's epoll set of plain client sockets. Qt's event loop watches the
// epoll descriptor alone; when it is readable, every ready socket is served in one
// pass, so a busy listener pays the event loop once per batch instead of once per
// socket and per signal.
class Poller : public QObject
{
    Q_OBJECT
public:
    explicit Poller(QObject *parent);
    ~Poller() override;
    bool isValid() const { return m_epoll >= 0; }
    bool watch(int fd, FdLink *link, std::uint32_t events);
    void change(int fd, FdLink *link, std::uint32_t events);
    void forget(int fd);

private:
    void poll();

    int m_epoll = -1;
    QSocketNotifier *m_notifier = nullptr;
};

// A plain TCP client socket served through the Poller with plain read/send calls.
class FdLink final : public Link
{
public:
    FdLink(int fd, Poller &poller, QString peerIp);
    ~FdLink() override;
    // Keeps one of the client address's connection slots until the link is gone.
    void holdSlot(std::shared_ptr<PeerCounter> peers, QByteArray key);
    // False when the poller could not take the socket: close the link.
    bool isWatched() const { return !m_broken; }
    // From the Poller.
    void onEvents(std::uint32_t events);

    QString peerIp() const override { return m_peerIp; }
    void send(QByteArrayView bytes) override;
    qint64 unsent() const override { return m_out.size() - m_outPos; }
    void setReading(bool on) override;
    void shutdownWrite() override;
    void close() override;

private:
    void readInput();
    void flush();
    void updateInterest();
    // Sends from `data` until done or the socket is full; false when the socket failed.
    bool sendSome(QByteArrayView data, qsizetype &done);

    int m_fd;
    Poller &m_poller;
    QString m_peerIp;
    std::shared_ptr<PeerCounter> m_peers;
    QByteArray m_peerKey;
    QByteArray m_out; // unsent bytes from m_outPos on
    qsizetype m_outPos = 0;
    std::uint32_t m_interest = 0;
    bool m_reading = true;
    bool m_wantFin = false;
    bool m_finSent = false;
    bool m_broken = false;
    bool m_closed = false;
};
