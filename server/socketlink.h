// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "link.h"

#include <QObject>

class QTcpSocket;

// A Qt socket as a Connection's link: HTTPS (a QSslSocket), and plain HTTP where there
// is no epoll. It owns the socket.
class SocketLink final : public QObject, public Link
{
    Q_OBJECT
public:
    explicit SocketLink(QTcpSocket *socket);
    ~SocketLink() override;

    QString peerIp() const override;
    void send(QByteArrayView bytes) override;
    qint64 unsent() const override;
    void setReading(bool on) override;
    void shutdownWrite() override;
    void close() override;

private:
    void readAvailable();
    void onWritten();
    void finIfSent();

    QTcpSocket *m_socket;
    bool m_reading = true;
    bool m_wantFin = false;
    bool m_closed = false;
};
