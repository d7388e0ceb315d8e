// SPDX-License-Identifier: GPL-3.0-or-later
#include "fdlink.h"

#include "connection.h"
#include "peercounter.h"

#include <QSocketNotifier>
#include <cerrno>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

constexpr qsizetype kReadChunk = 64 << 10;
constexpr int kBatch = 64;

// One read buffer per listener thread, made on first use.
char *readBuffer()
{
    thread_local std::unique_ptr<char[]> buffer;
    if (!buffer)
        buffer = std::make_unique<char[]>(kReadChunk);
    return buffer.get();
}

} // namespace

Poller::Poller(QObject *parent) : QObject(parent), m_epoll(::epoll_create1(EPOLL_CLOEXEC))
{
    if (m_epoll < 0)
        return;
    m_notifier = new QSocketNotifier(m_epoll, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &Poller::poll);
}

Poller::~Poller()
{
    delete m_notifier;
    if (m_epoll >= 0)
        ::close(m_epoll);
}

bool Poller::watch(int fd, FdLink *link, std::uint32_t events)
{
    epoll_event event{};
    event.events = events;
    event.data.ptr = link;
    return ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &event) == 0;
}

void Poller::change(int fd, FdLink *link, std::uint32_t events)
{
    epoll_event event{};
    event.events = events;
    event.data.ptr = link;
    ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &event);
}

void Poller::forget(int fd)
{
    ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
}

// A link closed in this pass is out of the set before the next epoll_wait, and its
// object lives on until the event loop deletes its Connection, after this pass.
void Poller::poll()
{
    epoll_event events[kBatch];
    for (int round = 0; round < 8; ++round) { // then let timers and queued calls run
        const int ready = ::epoll_wait(m_epoll, events, kBatch, 0);
        for (int i = 0; i < ready; ++i)
            static_cast<FdLink *>(events[i].data.ptr)->onEvents(events[i].events);
        if (ready < kBatch)
            break;
    }
}

FdLink::FdLink(int fd, Poller &poller, QString peerIp)
    : m_fd(fd), m_poller(poller), m_peerIp(std::move(peerIp))
{
    m_interest = EPOLLIN;
    if (!m_poller.watch(m_fd, this, m_interest))
        m_broken = true; // the Connection finds out on its first send
}

FdLink::~FdLink()
{
    close();
    if (m_peers)
        m_peers->release(m_peerKey);
}

void FdLink::holdSlot(std::shared_ptr<PeerCounter> peers, QByteArray key)
{
    m_peers = std::move(peers);
    m_peerKey = std::move(key);
}

void FdLink::onEvents(std::uint32_t events)
{
    if (m_closed)
        return;
    if (m_broken || (events & EPOLLERR))
        return m_connection->onBroken();
    if (events & EPOLLOUT) {
        flush();
        if (m_closed)
            return;
    }
    if (m_reading && (events & (EPOLLIN | EPOLLHUP)))
        readInput();
    else if (events & EPOLLHUP) // both ways closed, and nothing more will be read
        m_connection->onBroken();
}

void FdLink::readInput()
{
    char *buffer = readBuffer();
    for (int reads = 0; reads < 4 && m_reading && !m_closed; ++reads) {
        const ssize_t got = ::recv(m_fd, buffer, kReadChunk, 0);
        if (got > 0) {
            m_connection->onInput(QByteArrayView(buffer, got));
            if (got < kReadChunk)
                return; // most likely all there was; epoll says if not
            continue;
        }
        if (got == 0)
            return m_connection->onPeerClosed();
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            m_connection->onBroken();
        return;
    }
}

bool FdLink::sendSome(QByteArrayView data, qsizetype &done)
{
    while (done < data.size()) {
        const ssize_t sent =
            ::send(m_fd, data.data() + done, size_t(data.size() - done), MSG_NOSIGNAL);
        if (sent > 0) {
            done += sent;
        } else if (sent < 0 && errno == EINTR) {
            continue;
        } else if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return true;
        } else {
            return false;
        }
    }
    return true;
}

void FdLink::send(QByteArrayView bytes)
{
    if (m_closed || m_broken || bytes.isEmpty())
        return;
    if (unsent() > 0) { // the socket is full: in order, behind what waits
        m_out.append(bytes);
        return;
    }
    qsizetype done = 0;
    if (!sendSome(bytes, done)) {
        m_broken = true; // reported through the poller, never from inside send()
        return updateInterest();
    }
    if (done < bytes.size()) {
        m_out = bytes.sliced(done).toByteArray();
        m_outPos = 0;
        return updateInterest();
    }
    if (m_wantFin && !m_finSent) {
        m_finSent = true;
        ::shutdown(m_fd, SHUT_WR);
    }
}

void FdLink::flush()
{
    qsizetype done = m_outPos;
    const qsizetype before = m_outPos;
    if (!sendSome(m_out, done)) {
        m_broken = true;
        return m_connection->onBroken();
    }
    m_outPos = done;
    if (m_outPos == m_out.size()) {
        m_out = QByteArray();
        m_outPos = 0;
        if (m_wantFin && !m_finSent) {
            m_finSent = true;
            ::shutdown(m_fd, SHUT_WR);
        }
    }
    updateInterest();
    if (m_outPos != before || m_out.isEmpty())
        m_connection->onSent();
}

void FdLink::setReading(bool on)
{
    m_reading = on;
    updateInterest();
}

void FdLink::shutdownWrite()
{
    m_wantFin = true;
    if (unsent() == 0 && !m_finSent && !m_closed) {
        m_finSent = true;
        ::shutdown(m_fd, SHUT_WR);
    }
}

void FdLink::updateInterest()
{
    if (m_closed)
        return;
    const std::uint32_t wanted =
        (m_reading ? EPOLLIN : 0u) | (unsent() > 0 || m_broken ? EPOLLOUT : 0u);
    if (wanted != m_interest) {
        m_interest = wanted;
        m_poller.change(m_fd, this, wanted);
    }
}

void FdLink::close()
{
    if (m_closed)
        return;
    m_closed = true;
    m_poller.forget(m_fd);
    ::close(m_fd);
}
