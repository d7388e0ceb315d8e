// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArrayView>
#include <QString>

class Connection;

// The byte stream under one Connection: a plain socket the listener polls itself
// (FdLink), or a Qt socket (SocketLink, for TLS). The Connection speaks HTTP; the link
// moves bytes and reports back through Connection::onInput, onSent, onPeerClosed and
// onBroken. A link never calls back from inside one of its own methods below, so the
// Connection can call them from anywhere.
class Link
{
public:
    virtual ~Link() = default;
    void attach(Connection *connection) { m_connection = connection; }
    // The client's address, IPv4-mapped IPv6 shown as IPv4.
    virtual QString peerIp() const = 0;
    // Sends what the socket takes now and keeps the rest for later.
    virtual void send(QByteArrayView bytes) = 0;
    // Bytes given to send() that have not left the process yet.
    virtual qint64 unsent() const = 0;
    // Off: no more input is read, so TCP holds the client back.
    virtual void setReading(bool on) = 0;
    // A FIN once everything is sent; input is still read.
    virtual void shutdownWrite() = 0;
    // Closes now; nothing more is reported.
    virtual void close() = 0;

protected:
    Connection *m_connection = nullptr;
};
