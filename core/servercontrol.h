// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"

#include <QObject>

// How the console starts and stops the HTTP server without knowing about HTTP: the
// app adapts its HttpServer to this.
class ServerControl : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    virtual Result<quint16> start() = 0;
    virtual void stop() = 0;
    virtual bool isRunning() const = 0;
    virtual quint16 port() const = 0;

Q_SIGNALS:
    void stateChanged();
};
