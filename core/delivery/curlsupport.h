// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <atomic>

// What the delivery code shares around libcurl: one global initialisation, and easy
// handles that never raise signals, give up on slow peers, and can be cancelled.
namespace CurlSupport {
struct Easy
{
    Easy();
    ~Easy();
    Easy(const Easy &) = delete;
    Easy &operator=(const Easy &) = delete;
    void *handle; // CURL *, kept out of this header
    char errorBuffer[256] = {};
    QString error(int code) const;
};
// Makes the transfer abort soon after `*cancel` turns true.
void setCancel(Easy &easy, const std::atomic<bool> *cancel);
} // namespace CurlSupport
