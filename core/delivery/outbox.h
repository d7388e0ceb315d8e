// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <atomic>
#include <memory>
#include <optional>

using namespace Qt::StringLiterals;

class Clock;
class Database;
class WorkerThread;
class QTimer;
class Secrets;
struct Settings;

// Every email and SMS Gatehouse sends. enqueue*() records the message (state "queued")
// and returns at once; a delivery thread sends it (SMTP through libcurl, or the SMS
// webhook), retrying with backoff, and records "sent" or "failed" with the error.
// With no SMTP server or SMS gateway configured, messages stay in the Outbox (state
// "held") and a warning is logged: the console shows them so a person can still
// finish every flow on one machine. The log never carries a message's text (it holds
// codes and links); `gatehouse outbox show ID` prints it on the server's own terminal.
struct OutboxMessage
{
    qint64 id = 0;
    QString channel = {}; // "email" or "sms"
    QString recipient = {};
    QString subject = {};
    QString body = {};
    QString state = {}; // queued, sending, sent, failed, held
    int attempts = 0;
    QString lastError = {};
    qint64 createdAt = 0;
    qint64 nextAttemptAt = 0;
    qint64 sentAt = 0;
};

namespace OutboxChannel {
inline const QString email = u"email"_s;
inline const QString sms = u"sms"_s;
} // namespace OutboxChannel

class Outbox : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxAttempts = 6;

    Outbox(const Database &db, const Clock &clock, const Settings &settings, const Secrets &secrets,
           QObject *parent = nullptr);
    ~Outbox() override;

    // A message's secret part (a code, a link carrying a token), wrapped by secret(),
    // is stored only until the message is sent or fails for good; then the stored text
    // has "[redacted]" in its place, so a copy of the database yields no usable token.
    // Held messages (no SMTP server or SMS gateway) keep it, for a person to read, until
    // the retention purge removes them.
    static QString secret(const QString &part);
    static QString plainText(const QString &stored); // as sent and shown: markers removed
    static QString redactedText(const QString &stored);
    static inline const QString kRedacted = u"[redacted]"_s;

    qint64 enqueueEmail(const QString &to, const QString &subject, const QString &textBody);
    qint64 enqueueSms(const QString &to, const QString &text);

    QList<OutboxMessage> list(int limit = 200, const QString &state = QString()) const;
    std::optional<OutboxMessage> byId(qint64 id) const;
    // Queues a held or failed message again (when its channel is configured now).
    bool resend(qint64 id);

    void start(); // starts the delivery thread
    void stop();
    // Sends every due message on the calling thread; returns how many were tried.
    // The delivery thread calls it; tests and the CLI may too.
    int deliverDue();

    // Delay before attempt `attempt + 1` after `attempt` failures.
    static qint64 backoffMs(int attempt);

    // For /metrics: messages queued or being sent (from the database, so every
    // instance's), and this instance's failed attempts and messages given up on.
    qint64 depth() const;
    quint64 sendFailures() const { return m_sendFailures.load(std::memory_order_relaxed); }
    quint64 failedForGood() const { return m_failedForGood.load(std::memory_order_relaxed); }

Q_SIGNALS:
    void changed(qint64 id);

private:
    qint64 enqueue(const QString &channel, const QString &to, const QString &subject,
                   const QString &body);
    bool channelConfigured(const QString &channel) const;
    bool claim(qint64 id);
    void deliver(const OutboxMessage &message);
    void wake();

    const Database &m_db;
    const Clock &m_clock;
    const Settings &m_settings;
    const Secrets &m_secrets;
    std::unique_ptr<WorkerThread> m_thread;
    QTimer *m_timer = nullptr;
    std::atomic<bool> m_stopping{false};
    std::atomic<quint64> m_sendFailures{0};
    std::atomic<quint64> m_failedForGood{0};
};
