// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>

class QLocalServer;

// One console per data folder. The first one listens on a local socket named from a
// hash of the folder; a second launch connects, asks it to raise its window, and
// exits instead of starting a second server on the same database and port.
class SingleInstance : public QObject
{
    Q_OBJECT
public:
    static QString socketName(const QString &dataDir);
    // True when a running console answered and was asked to show itself.
    static bool raiseRunning(const QString &dataDir, int timeoutMs = 1500);

    explicit SingleInstance(const QString &dataDir, QObject *parent = nullptr);
    // Starts listening; false (with a warning logged) when the socket cannot be made.
    bool listen();

Q_SIGNALS:
    void raiseRequested();

private:
    QString m_name;
    QLocalServer *m_server;
};
