// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>

// Time source handed to every service, so tests can move time instead of sleeping.
class Clock
{
public:
    virtual ~Clock() = default;
    virtual qint64 nowMs() const { return QDateTime::currentMSecsSinceEpoch(); }
    qint64 nowSecs() const { return nowMs() / 1000; }
};
