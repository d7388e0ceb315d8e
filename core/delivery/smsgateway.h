// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"

#include <QString>
#include <atomic>

struct Settings;

// Sends one SMS through the admin's HTTP gateway: POST {"to": "...", "text": "..."} as
// JSON to Settings::smsWebhookUrl; any 2xx answer counts as sent. Blocking: only the
// Outbox's delivery thread calls send().
class SmsGateway
{
public:
    explicit SmsGateway(const Settings &settings) : m_settings(settings) {}

    bool configured() const;
    Result<Done> send(const QString &to, const QString &text,
                      const std::atomic<bool> *cancel = nullptr) const;

private:
    const Settings &m_settings;
};
