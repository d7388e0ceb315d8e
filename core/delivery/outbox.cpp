// SPDX-License-Identifier: GPL-3.0-or-later
#include "delivery/outbox.h"

#include "clock.h"
#include "config/secrets.h"
#include "config/settings.h"
#include "delivery/mailer.h"
#include "delivery/smsgateway.h"
#include "storage/database.h"
#include "storage/storageerror.h"
#include "storage/table.h"
#include "workerthread.h"

#include <QLoggingCategory>
#include <QThread>
#include <QTimer>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcOutbox, "gatehouse.outbox")

namespace {

constexpr int kPollIntervalMs = 1000;
constexpr qint64 kStaleClaimMs = 10 * 60 * 1000; // a sender that died mid-message
constexpr int kBatch = 20;

const Table<OutboxMessage> kOutbox{u"outbox"_s,
                                   {
                                       {u"id"_s, &OutboxMessage::id, Stored::ByDatabase},
                                       {u"channel"_s, &OutboxMessage::channel},
                                       {u"recipient"_s, &OutboxMessage::recipient},
                                       {u"subject"_s, &OutboxMessage::subject},
                                       {u"body"_s, &OutboxMessage::body},
                                       {u"state"_s, &OutboxMessage::state},
                                       {u"attempts"_s, &OutboxMessage::attempts},
                                       {u"last_error"_s, &OutboxMessage::lastError},
                                       {u"created_at"_s, &OutboxMessage::createdAt},
                                       {u"next_attempt_at"_s, &OutboxMessage::nextAttemptAt},
                                       {u"sent_at"_s, &OutboxMessage::sentAt},
                                   }};

// A message as it is shown and sent: the secret-part markers taken out.
OutboxMessage fromRow(const Sql &q)
{
    OutboxMessage m = kOutbox.read(q);
    m.body = Outbox::plainText(m.body);
    return m;
}

// Private-use characters around a secret part: no sender puts them in a message.
constexpr char16_t kSecretOpen = u'\uE000';
constexpr char16_t kSecretClose = u'\uE001';

QString notNull(const QString &s)
{
    return s.isNull() ? u""_s : s;
}

} // namespace

QString Outbox::secret(const QString &part)
{
    return QChar(kSecretOpen) + part + QChar(kSecretClose);
}

QString Outbox::plainText(const QString &stored)
{
    QString text = stored;
    text.remove(QChar(kSecretOpen)).remove(QChar(kSecretClose));
    return text;
}

QString Outbox::redactedText(const QString &stored)
{
    QString out;
    out.reserve(stored.size());
    qsizetype from = 0;
    while (true) {
        const qsizetype open = stored.indexOf(QChar(kSecretOpen), from);
        if (open < 0)
            break;
        const qsizetype close = stored.indexOf(QChar(kSecretClose), open);
        out += QStringView(stored).mid(from, open - from);
        out += kRedacted;
        if (close < 0) { // unterminated: redact to the end rather than keep a secret
            from = stored.size();
            break;
        }
        from = close + 1;
    }
    out += QStringView(stored).mid(from);
    return out;
}

Outbox::Outbox(const Database &db, const Clock &clock, const Settings &settings,
               const Secrets &secrets, QObject *parent)
    : QObject(parent), m_db(db), m_clock(clock), m_settings(settings), m_secrets(secrets)
{}

Outbox::~Outbox()
{
    stop();
}

qint64 Outbox::depth() const
{
    Sql q(m_db, u"SELECT COUNT(*) AS n FROM outbox WHERE state = 'queued' OR state = 'sending'"_s);
    q.exec();
    return q.next() ? q.value(u"n"_s).toLongLong() : 0;
}

qint64 Outbox::backoffMs(int attempt)
{
    static const qint64 steps[] = {30'000, 120'000, 600'000, 1'800'000, 7'200'000};
    return steps[qBound(0, attempt - 1, int(std::size(steps)) - 1)];
}

bool Outbox::channelConfigured(const QString &channel) const
{
    if (channel == OutboxChannel::email)
        return Mailer(m_settings, m_secrets).configured();
    return SmsGateway(m_settings).configured();
}

qint64 Outbox::enqueueEmail(const QString &to, const QString &subject, const QString &textBody)
{
    return enqueue(OutboxChannel::email, to, subject, textBody);
}

qint64 Outbox::enqueueSms(const QString &to, const QString &text)
{
    return enqueue(OutboxChannel::sms, to, QString(), text);
}

qint64 Outbox::enqueue(const QString &channel, const QString &to, const QString &subject,
                       const QString &body)
{
    const bool configured = channelConfigured(channel);
    const qint64 now = m_clock.nowMs();
    qint64 id = 0;
    m_db.write([&] {
        const QString held = channel == OutboxChannel::email ? u"no SMTP server configured"_s
                                                             : u"no SMS gateway configured"_s;
        Sql insert(m_db, kOutbox.insert({u"claimed_at"_s}));
        kOutbox.bind(insert, {.channel = channel,
                              .recipient = to,
                              .subject = subject,
                              .body = body,
                              .state = configured ? u"queued"_s : u"held"_s,
                              .lastError = configured ? u""_s : held,
                              .createdAt = now,
                              .nextAttemptAt = now});
        insert.bind(u":claimed_at"_s, 0).exec();
        Sql last(m_db, m_db.dialect() == Dialect::Sqlite ? u"SELECT last_insert_rowid() AS id"_s
                                                         : u"SELECT lastval() AS id"_s);
        last.exec();
        if (last.next())
            id = last.value(u"id"_s).toLongLong();
    });
    if (!configured) {
        // Never the text: it carries codes and links.
        qCWarning(lcOutbox).noquote()
            << u"%1 #%2 is held: no %3 is configured (%4). See it in the "
               u"console's Outbox page or with `gatehouse outbox show %2`."_s
                   .arg(channel == OutboxChannel::email ? u"email"_s : u"SMS"_s)
                   .arg(id)
                   .arg(channel == OutboxChannel::email ? u"SMTP server"_s : u"SMS gateway"_s,
                        channel == OutboxChannel::email ? u"GATEHOUSE_SMTP_URL"_s
                                                        : u"GATEHOUSE_SMS_WEBHOOK_URL"_s);
    }
    Q_EMIT changed(id);
    if (configured)
        wake();
    return id;
}

QList<OutboxMessage> Outbox::list(int limit, const QString &state) const
{
    QString sql = kOutbox.select();
    if (!state.isEmpty())
        sql += u" WHERE state = :state"_s;
    sql += u" ORDER BY id DESC LIMIT :limit"_s;
    Sql q(m_db, sql);
    if (!state.isEmpty())
        q.bind(u":state"_s, state);
    q.bind(u":limit"_s, qBound(1, limit, 10000)).exec();
    QList<OutboxMessage> out;
    while (q.next())
        out.append(fromRow(q));
    return out;
}

std::optional<OutboxMessage> Outbox::byId(qint64 id) const
{
    Sql q(m_db, kOutbox.select(u"WHERE id = :id"_s));
    q.bind(u":id"_s, id).exec();
    return q.next() ? std::optional(fromRow(q)) : std::nullopt;
}

bool Outbox::resend(qint64 id)
{
    const auto message = byId(id);
    // A redacted message lost its code or link: resending it would help nobody.
    if (!message || !channelConfigured(message->channel) || message->state == u"sending" ||
        message->body.contains(kRedacted))
        return false;
    int changed = 0;
    m_db.write([&] {
        Sql q(m_db,
              u"UPDATE outbox SET state = 'queued', attempts = 0, last_error = '', "
              u"next_attempt_at = :now, claimed_at = 0 WHERE id = :id AND state <> 'sending'"_s);
        changed = q.bind(u":now"_s, m_clock.nowMs()).bind(u":id"_s, id).exec().rowsAffected();
    });
    if (changed > 0) {
        Q_EMIT this->changed(id);
        wake();
    }
    return changed > 0;
}

void Outbox::start()
{
    if (m_thread)
        return;
    m_stopping = false;
    m_thread = std::make_unique<WorkerThread>(u"outbox-delivery"_s);
    m_timer = m_thread->adopt(new QTimer);
    m_timer->setInterval(kPollIntervalMs);
    connect(m_timer, &QTimer::timeout, m_timer, [this] {
        try {
            deliverDue();
        } catch (const StorageError &error) {
            qCWarning(lcOutbox) << "outbox delivery:" << error.what();
        }
    });
    connect(m_thread->thread(), &QThread::started, m_timer, qOverload<>(&QTimer::start));
    m_thread->start();
}

void Outbox::stop()
{
    if (!m_thread)
        return;
    m_stopping = true; // aborts a transfer in flight
    m_thread.reset();  // waits for it; the timer goes with the thread
    m_timer = nullptr;
    m_stopping = false; // deliverDue() may still be called by hand
}

void Outbox::wake()
{
    if (m_timer)
        QMetaObject::invokeMethod(
            m_timer,
            [this] {
                try {
                    deliverDue();
                } catch (const StorageError &error) {
                    qCWarning(lcOutbox) << "outbox delivery:" << error.what();
                }
            },
            Qt::QueuedConnection);
}

bool Outbox::claim(qint64 id)
{
    const qint64 now = m_clock.nowMs();
    int changed = 0;
    m_db.write([&] {
        Sql q(m_db, u"UPDATE outbox SET state = 'sending', claimed_at = :now WHERE id = :id AND "
                    u"(state = 'queued' OR (state = 'sending' AND claimed_at < :stale))"_s);
        changed = q.bind(u":now"_s, now)
                      .bind(u":id"_s, id)
                      .bind(u":stale"_s, now - kStaleClaimMs)
                      .exec()
                      .rowsAffected();
    });
    return changed == 1;
}

int Outbox::deliverDue()
{
    const qint64 now = m_clock.nowMs();
    Sql q(m_db, kOutbox.select(u"WHERE (state = 'queued' AND next_attempt_at <= :now) OR "
                               u"(state = 'sending' AND claimed_at < :stale) ORDER BY id "
                               u"LIMIT :limit"_s));
    q.bind(u":now"_s, now).bind(u":stale"_s, now - kStaleClaimMs).bind(u":limit"_s, kBatch);
    q.exec();
    QList<OutboxMessage> due;
    while (q.next())
        due.append(fromRow(q));
    int tried = 0;
    for (const OutboxMessage &message : std::as_const(due)) {
        if (m_stopping)
            break;
        if (!claim(message.id))
            continue; // another instance has it
        deliver(message);
        ++tried;
    }
    return tried;
}

void Outbox::deliver(const OutboxMessage &message)
{
    Result<Done> sent = Result<Done>::failure(Refusal::Kind::Internal, u"unknown channel"_s);
    if (message.channel == OutboxChannel::email)
        sent = Mailer(m_settings, m_secrets)
                   .send(message.recipient, message.subject, message.body, &m_stopping);
    else if (message.channel == OutboxChannel::sms)
        sent = SmsGateway(m_settings).send(message.recipient, message.body, &m_stopping);

    const qint64 now = m_clock.nowMs();
    const int attempts = message.attempts + 1;
    QString state = u"sent"_s;
    qint64 next = 0;
    if (!sent) {
        if (m_stopping) { // cancelled by shutdown: not the recipient's fault
            state = u"queued"_s;
            next = now;
        } else {
            state = attempts >= kMaxAttempts ? u"failed"_s : u"queued"_s;
            next = now + backoffMs(attempts);
            m_sendFailures.fetch_add(1, std::memory_order_relaxed);
            if (state == u"failed")
                m_failedForGood.fetch_add(1, std::memory_order_relaxed);
            qCWarning(lcOutbox).noquote() << u"%1 #%2: attempt %3 failed: %4"_s.arg(message.channel)
                                                 .arg(message.id)
                                                 .arg(attempts)
                                                 .arg(sent.error());
        }
    }
    const bool finished = state == u"sent" || state == u"failed";
    m_db.write([&] {
        if (finished) { // its secret parts are no longer needed: keep the rest only
            Sql stored(m_db, u"SELECT body FROM outbox WHERE id = :id"_s);
            stored.bind(u":id"_s, message.id).exec();
            if (stored.next())
                Sql(m_db, u"UPDATE outbox SET body = :body WHERE id = :id"_s)
                    .bind(u":body"_s, redactedText(stored.value(u"body"_s).toString()))
                    .bind(u":id"_s, message.id)
                    .exec();
        }
        Sql(m_db, u"UPDATE outbox SET state = :state, attempts = :attempts, last_error = :error, "
                  u"next_attempt_at = :next, sent_at = :sent, claimed_at = 0 WHERE id = :id"_s)
            .bind(u":state"_s, state)
            .bind(u":attempts"_s, m_stopping && !sent ? message.attempts : attempts)
            .bind(u":error"_s, sent ? u""_s : notNull(sent.error()))
            .bind(u":next"_s, next)
            .bind(u":sent"_s, sent ? now : qint64(0))
            .bind(u":id"_s, message.id)
            .exec();
    });
    Q_EMIT changed(message.id);
}
