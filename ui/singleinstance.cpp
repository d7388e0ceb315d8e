// SPDX-License-Identifier: GPL-3.0-or-later
#include "singleinstance.h"

#include <QCryptographicHash>
#include <QDir>
#include <QLocalServer>
#include <QLocalSocket>
#include <QLoggingCategory>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcInstance, "gatehouse.console")

namespace {
const QByteArray kRaise = "raise\n";
const QByteArray kRaised = "ok\n";
} // namespace

QString SingleInstance::socketName(const QString &dataDir)
{
    const QByteArray folder = QDir(dataDir).absolutePath().toUtf8();
    const QByteArray hash = QCryptographicHash::hash(folder, QCryptographicHash::Sha256).toHex();
    return u"gatehouse-"_s + QString::fromLatin1(hash.left(20));
}

bool SingleInstance::raiseRunning(const QString &dataDir, int timeoutMs)
{
    QLocalSocket socket;
    socket.connectToServer(socketName(dataDir));
    if (!socket.waitForConnected(timeoutMs))
        return false;
    socket.write(kRaise);
    if (!socket.waitForBytesWritten(timeoutMs))
        return false;
    // Wait for the answer, so a stale socket file is not taken for a running console.
    while (socket.bytesAvailable() < kRaised.size())
        if (!socket.waitForReadyRead(timeoutMs))
            return false;
    return socket.readAll().startsWith(kRaised);
}

SingleInstance::SingleInstance(const QString &dataDir, QObject *parent)
    : QObject(parent), m_name(socketName(dataDir)), m_server(new QLocalServer(this))
{
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    connect(m_server, &QLocalServer::newConnection, this, [this] {
        while (QLocalSocket *socket = m_server->nextPendingConnection()) {
            connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
            connect(socket, &QLocalSocket::readyRead, this, [this, socket] {
                if (!socket->canReadLine())
                    return;
                if (socket->readLine() == kRaise) {
                    socket->write(kRaised);
                    socket->flush();
                    Q_EMIT raiseRequested();
                }
                socket->disconnectFromServer();
            });
        }
    });
}

bool SingleInstance::listen()
{
    if (m_server->listen(m_name))
        return true;
    // No console answered (raiseRunning said so): the socket is left over from a crash.
    QLocalServer::removeServer(m_name);
    if (m_server->listen(m_name))
        return true;
    qCWarning(lcInstance).noquote()
        << "cannot listen on local socket" << m_name << ":" << m_server->errorString();
    return false;
}
