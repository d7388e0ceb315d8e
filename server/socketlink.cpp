// SPDX-License-Identifier: GPL-3.0-or-later
#include "socketlink.h"

#include "connection.h"
#include "http/clientaddress.h"

#include <QHostAddress>
#include <QSslSocket>
#include <QTcpSocket>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

namespace {

constexpr qint64 kReadChunk = 64 << 10;

} // namespace

SocketLink::SocketLink(QTcpSocket *socket) : m_socket(socket)
{
    m_socket->setParent(this);
    // Bounded, the socket stops reading from the kernel while the Connection holds the
    // client back, so TCP makes the client wait.
    m_socket->setReadBufferSize(kReadChunk);
    connect(m_socket, &QTcpSocket::readyRead, this, &SocketLink::readAvailable);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &SocketLink::onWritten);
    if (auto *tls = qobject_cast<QSslSocket *>(m_socket)) // its bytesWritten is plaintext
        connect(tls, &QSslSocket::encryptedBytesWritten, this, &SocketLink::onWritten);
    // Qt closes the socket itself once the client has closed: nothing more can be sent.
    connect(m_socket, &QTcpSocket::disconnected, this, [this] {
        if (!m_closed && m_connection)
            m_connection->onBroken();
    });
}

SocketLink::~SocketLink()
{
    close();
}

QString SocketLink::peerIp() const
{
    return unmapped(m_socket->peerAddress()).toString();
}

void SocketLink::send(QByteArrayView bytes)
{
    if (m_closed)
        return;
    m_socket->write(bytes.data(), bytes.size());
    // Now, in one write, instead of once the event loop has polled the socket again.
    m_socket->flush();
}

qint64 SocketLink::unsent() const
{
    qint64 bytes = m_socket->bytesToWrite();
    if (const auto *tls = qobject_cast<const QSslSocket *>(m_socket))
        bytes += tls->encryptedBytesToWrite(); // bytesToWrite() counts only plaintext
    return bytes;
}

void SocketLink::setReading(bool on)
{
    const bool resumed = on && !m_reading;
    m_reading = on;
    if (resumed && m_socket->bytesAvailable() > 0) // never a call back from in here
        QMetaObject::invokeMethod(this, &SocketLink::readAvailable, Qt::QueuedConnection);
}

void SocketLink::readAvailable()
{
    while (m_reading && !m_closed && m_socket->bytesAvailable() > 0) {
        const QByteArray chunk = m_socket->read(kReadChunk);
        if (chunk.isEmpty())
            break;
        m_connection->onInput(chunk);
    }
}

void SocketLink::onWritten()
{
    if (m_closed)
        return;
    finIfSent();
    m_connection->onSent();
}

void SocketLink::shutdownWrite()
{
    m_wantFin = true;
    finIfSent();
}

void SocketLink::finIfSent()
{
#ifdef Q_OS_UNIX
    if (m_wantFin && unsent() == 0 && m_socket->state() == QAbstractSocket::ConnectedState)
        ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
#else
    if (m_wantFin && unsent() == 0)
        m_socket->disconnectFromHost();
#endif
}

void SocketLink::close()
{
    if (m_closed)
        return;
    m_closed = true;
    disconnect(m_socket, nullptr, this, nullptr);
    m_socket->abort();
}
