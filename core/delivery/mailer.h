// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"

#include <QByteArray>
#include <QString>
#include <atomic>

class Secrets;
struct Settings;

// Sends one plain-text email over SMTP with libcurl, as Settings::smtpUrl says:
//   smtp://[user[:pass]@]host[:port]   STARTTLS when the server offers it
//   smtp://…?starttls=required         refuse to send without STARTTLS
//   smtps://…                           TLS from the first byte (port 465)
// The password comes from the URL or else from the "smtp-password" secret.
// Blocking: only the Outbox's delivery thread calls send().
class Mailer
{
public:
    Mailer(const Settings &settings, const Secrets &secrets);

    bool configured() const;
    Result<Done> send(const QString &to, const QString &subject, const QString &body,
                      const std::atomic<bool> *cancel = nullptr) const;

    // The sender address: Settings::mailFrom, or gatehouse@<public host>.
    QString fromAddress() const;
    // The RFC 5322 message (CRLF line ends, encoded words for non-ASCII subjects,
    // base64 for non-ASCII bodies); CR and LF are removed from header values.
    static QByteArray buildMessage(const QString &from, const QString &to, const QString &subject,
                                   const QString &body, qint64 nowMs);

private:
    const Settings &m_settings;
    const Secrets &m_secrets;
};
