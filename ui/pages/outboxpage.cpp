// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/outboxpage.h"

#include "adminaudit.h"
#include "consolecontext.h"
#include "format.h"
#include "livefeed.h"
#include "services.h"
#include "widgets/tables.h"
#include "workers.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {
constexpr int kLimit = 1000;

QString stateName(const QString &state)
{
    if (state == u"held")
        return QObject::tr("Held (no gateway)");
    if (state == u"queued")
        return QObject::tr("Queued");
    if (state == u"sending")
        return QObject::tr("Sending");
    if (state == u"sent")
        return QObject::tr("Sent");
    if (state == u"failed")
        return QObject::tr("Failed");
    return state;
}

QVariant outboxCell(const OutboxMessage &m, int column, int role)
{
    if (role == Qt::ForegroundRole && m.state == u"failed")
        return QBrush(QColor(0xb3, 0x26, 0x1e));
    if (role == Qt::ToolTipRole && column == 6)
        return m.lastError;
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case 0:
        return Format::dateTime(m.createdAt);
    case 1:
        return m.channel == u"sms" ? QObject::tr("SMS") : QObject::tr("Email");
    case 2:
        return m.recipient;
    case 3:
        return m.subject;
    case 4:
        return stateName(m.state);
    case 5:
        return m.attempts;
    case 6:
        return m.lastError;
    }
    return {};
}
} // namespace

OutboxPage::OutboxPage(ConsoleContext &context, QWidget *parent)
    : QWidget(parent), m_context(context),
      m_model(
          new ListTableModel<OutboxMessage>({tr("Created"), tr("Channel"), tr("To"), tr("Subject"),
                                             tr("State"), tr("Attempts"), tr("Last error")},
                                            outboxCell, this)),
      m_view(new QTableView), m_state(new QComboBox), m_notice(new QLabel), m_status(new QLabel),
      m_body(new QPlainTextEdit), m_resend(new QPushButton(tr("&Resend")))
{
    buildUi();
    connectSignals();
    selectionChanged();
    reload();
}

void OutboxPage::buildUi()
{
    m_state->addItem(tr("Every state"), QString());
    for (const char *state : {"held", "queued", "sending", "sent", "failed"})
        m_state->addItem(stateName(QString::fromLatin1(state)), QString::fromLatin1(state));
    m_state->setAccessibleName(tr("Filter by state"));
    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Show:")));
    bar->addWidget(m_state);
    bar->addStretch();
    bar->addWidget(m_resend);

    showDeliveryNotice();

    m_view->setModel(m_model);
    Tables::setUp(m_view);
    const int widths[] = {150, 70, 220, 260, 130, 70};
    for (int c = 0; c < 6; ++c)
        m_view->horizontalHeader()->resizeSection(c, widths[c]);
    m_body->setReadOnly(true);
    m_body->setPlaceholderText(tr("Select a message to read it."));
    m_body->setAccessibleName(tr("Message text"));

    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(m_view);
    split->addWidget(m_body);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(PageUi::title(tr("Outbox")));
    layout->addWidget(m_notice);
    layout->addLayout(bar);
    layout->addWidget(split, 1);
    layout->addWidget(m_status);
}

// Says which deliveries are not set up, since their messages are held here.
void OutboxPage::showDeliveryNotice()
{
    const Settings &settings = m_context.services.settings;
    if (settings.smtpUrl.isEmpty() || settings.smsWebhookUrl.isEmpty()) {
        QStringList missing;
        if (settings.smtpUrl.isEmpty())
            missing << tr("no SMTP server");
        if (settings.smsWebhookUrl.isEmpty())
            missing << tr("no SMS gateway");
        m_notice->setText(tr("Mail delivery is not fully set up (%1): such messages are held "
                             "here. Read a code or open a link from the message below, or set "
                             "delivery up under Settings.")
                              .arg(missing.join(u", "_s)));
        m_notice->setWordWrap(true);
        m_notice->setStyleSheet(
            u"background: #fff4ce; color: #4d3b00; border: 1px solid #e6d28a; border-radius: 4px; padding: 6px;"_s);
    } else {
        m_notice->hide();
    }
}

void OutboxPage::connectSignals()
{
    connect(m_state, &QComboBox::currentIndexChanged, this, &OutboxPage::reload);
    connect(m_resend, &QPushButton::clicked, this, [this] {
        if (const OutboxMessage *m = m_model->at(Tables::currentRow(m_view)))
            resend(m->id);
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &OutboxPage::selectionChanged);
    connect(&m_context.live, &LiveFeed::outboxChanged, this, &OutboxPage::reload);
}

void OutboxPage::reload()
{
    Outbox &outbox = m_context.services.outbox;
    const QString state = m_state->currentData().toString();
    m_context.workers.run(
        this, [&outbox, state] { return outbox.list(kLimit, state); },
        [this](Result<QList<OutboxMessage>> list) {
            if (!list) {
                m_status->setText(tr("Could not read the outbox: %1").arg(list.error()));
                return;
            }
            const OutboxMessage *current = m_model->at(Tables::currentRow(m_view));
            const qint64 keep = current ? current->id : 0;
            m_model->setRows(*list);
            for (int r = 0; keep && r < m_model->rowCount(); ++r)
                if (m_model->at(r)->id == keep)
                    m_view->selectRow(r);
            selectionChanged();
            m_status->setText(list->size() >= kLimit
                                  ? tr("The newest %1 messages").arg(kLimit)
                                  : Format::items(list->size(), tr("message"), tr("messages")));
            Q_EMIT reloaded();
        });
}

void OutboxPage::selectionChanged()
{
    const OutboxMessage *m = m_model->at(Tables::currentRow(m_view));
    // Held messages can go once their channel is set up (Settings, then a restart).
    const Settings &s = m_context.services.settings;
    const bool channelReady =
        m && (m->channel == u"sms" ? !s.smsWebhookUrl.isEmpty() : !s.smtpUrl.isEmpty());
    m_resend->setEnabled(m && channelReady && (m->state == u"held" || m->state == u"failed"));
    m_resend->setToolTip(m && !channelReady ? tr("Set up SMTP or the SMS webhook under Settings "
                                                 "first")
                                            : QString());
    if (!m) {
        m_body->clear();
        return;
    }
    QString text = tr("To: %1\n").arg(m->recipient);
    if (!m->subject.isEmpty())
        text += tr("Subject: %1\n").arg(m->subject);
    text +=
        tr("State: %1, %2")
            .arg(stateName(m->state), Format::items(m->attempts, tr("attempt"), tr("attempts")));
    if (m->sentAt > 0)
        text += tr(", sent %1").arg(Format::dateTime(m->sentAt));
    if (!m->lastError.isEmpty())
        text += tr("\nLast error: %1").arg(m->lastError);
    text += u"\n\n"_s + m->body;
    m_body->setPlainText(text);
}

void OutboxPage::resend(qint64 id)
{
    Services &s = m_context.services;
    m_context.workers.run(
        this,
        [&s, id] {
            const bool done = s.outbox.resend(id);
            AdminAudit::record(s.audit, {.action = u"outbox.resend"_s,
                                         .subject = QString::number(id),
                                         .result = done ? u"ok"_s : u"error"_s});
            if (!done)
                throw Refusal(Refusal::Kind::NotConfigured,
                              QObject::tr("The message cannot be sent again: its channel "
                                          "(SMTP or SMS gateway) is not set up, or it is "
                                          "being sent right now."));
            return true;
        },
        [this](Result<bool> r) {
            if (!r)
                PageUi::showError(this, tr("Resend"), r.error());
            reload();
            Q_EMIT actionDone(u"outbox.resend"_s, bool(r));
        });
}
