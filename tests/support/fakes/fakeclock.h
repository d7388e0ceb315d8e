// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "clock.h"

#include <atomic>

// A clock tests move by hand, to expire codes and tokens without sleeping.
class FakeClock : public Clock
{
public:
    explicit FakeClock(qint64 startMs = 1'790'000'000'000) : m_now(startMs) {}
    qint64 nowMs() const override { return m_now.load(); }
    void advanceSecs(qint64 secs) { m_now += secs * 1000; }
    void advanceMs(qint64 ms) { m_now += ms; }
    void setMs(qint64 ms) { m_now = ms; }

private:
    std::atomic<qint64> m_now;
};
