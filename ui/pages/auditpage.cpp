// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/auditpage.h"

#include "consolecontext.h"
#include "format.h"
#include "livefeed.h"
#include "services.h"
#include "widgets/tables.h"
#include "workers.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {
constexpr int kPageSize = 200;
namespace Column {
enum { Time, Actor, Action, Subject, Surface, From, Result, Times, Detail };
}
} // namespace

QStringList AuditPage::headers()
{
    return {tr("Time"), tr("Actor"),  tr("Action"), tr("Subject"), tr("Surface"),
            tr("From"), tr("Result"), tr("Times"),  tr("Detail")};
}

void AuditPage::setColumnWidths(QTableView *view)
{
    const int widths[] = {145, 120, 170, 170, 85, 105, 65, 60}; // Detail takes the rest
    for (int c = 0; c < Column::Detail; ++c)
        view->horizontalHeader()->resizeSection(c, widths[c]);
}

QVariant AuditPage::cell(const AuditEvent &e, int column, int role)
{
    if (role == Qt::ForegroundRole && (e.result == u"denied" || e.result == u"error"))
        return QBrush(QColor(0xb3, 0x26, 0x1e));
    if (role == Qt::ToolTipRole && column == Column::Detail && !e.detail.isEmpty())
        return e.detail;
    if (role == Qt::ToolTipRole && column == Column::Times && e.repeats > 1)
        return tr("%1 identical events within about 200 ms; the time is the first one's")
            .arg(Format::count(e.repeats));
    if (role == Qt::TextAlignmentRole && column == Column::Times)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case Column::Time:
        return Format::dateTime(e.at);
    case Column::Actor:
        return e.actor;
    case Column::Action:
        return e.action;
    case Column::Subject:
        return e.subject;
    case Column::Surface:
        return e.surface;
    case Column::From:
        return e.ip;
    case Column::Result:
        return e.result;
    case Column::Times: // a flood of one event is one row (AuditEvent::repeats)
        return e.repeats > 1 ? u"×"_s + Format::count(e.repeats) : QString();
    case Column::Detail:
        return e.detail;
    }
    return {};
}

AuditPage::AuditPage(ConsoleContext &context, QWidget *parent)
    : QWidget(parent), m_context(context),
      m_model(new ListTableModel<AuditEvent>(headers(), &AuditPage::cell, this)),
      m_view(new QTableView), m_text(new QLineEdit), m_surface(new QComboBox),
      m_result(new QComboBox), m_status(new QLabel)
{
    m_model->onFetchMore = [this] { fetchOlder(); };
    buildUi();
    connectSignals();
    reload();
}

void AuditPage::buildUi()
{
    m_text->setPlaceholderText(tr("Filter: actor, action, subject, address or detail contains…"));
    m_text->setClearButtonEnabled(true);
    m_text->setAccessibleName(tr("Filter text"));
    m_surface->addItem(tr("Every surface"), QString());
    for (const char *s : {"console", "cli", "namespace", "wallet", "pin", "device", "account"})
        m_surface->addItem(QString::fromLatin1(s), QString::fromLatin1(s));
    m_surface->setAccessibleName(tr("Filter by surface"));
    m_result->addItem(tr("Every result"), QString());
    for (const char *r : {"ok", "denied", "error"})
        m_result->addItem(QString::fromLatin1(r), QString::fromLatin1(r));
    m_result->setAccessibleName(tr("Filter by result"));
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_text, 1);
    bar->addWidget(m_surface);
    bar->addWidget(m_result);

    m_view->setModel(m_model);
    Tables::setUp(m_view);
    setColumnWidths(m_view);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(PageUi::title(tr("Audit log")));
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_status);
}

void AuditPage::connectSignals()
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(250);
    connect(&m_debounce, &QTimer::timeout, this, &AuditPage::reload);
    connect(m_text, &QLineEdit::textChanged, this, [this] { m_debounce.start(); });
    connect(m_surface, &QComboBox::currentIndexChanged, this, &AuditPage::reload);
    connect(m_result, &QComboBox::currentIndexChanged, this, &AuditPage::reload);
    connect(&m_context.live, &LiveFeed::auditChanged, this, &AuditPage::fetchNewer);
}

AuditFilter AuditPage::filter() const
{
    AuditFilter f;
    f.text = m_text->text().trimmed();
    f.surface = m_surface->currentData().toString();
    f.result = m_result->currentData().toString();
    f.limit = kPageSize;
    return f;
}

void AuditPage::reload()
{
    m_debounce.stop();
    const quint64 generation = ++m_generation;
    const AuditFilter f = filter();
    AuditLog &audit = m_context.services.audit;
    m_context.workers.run(
        this, [&audit, f] { return audit.query(f); },
        [this, generation](Result<QList<AuditEvent>> events) {
            if (generation != m_generation)
                return;
            if (!events) {
                m_status->setText(tr("Could not read the audit log: %1").arg(events.error()));
                return;
            }
            m_model->setRows(*events);
            m_model->setMoreAvailable(events->size() == kPageSize);
            m_status->setText(
                Format::items(m_model->rowCount(), tr("event"), tr("events")) +
                (m_model->moreAvailable() ? tr("; scroll down for older ones") : QString()));
            Q_EMIT reloaded();
        });
}

void AuditPage::fetchOlder()
{
    const AuditEvent *last = m_model->at(m_model->rowCount() - 1);
    if (!last)
        return;
    AuditFilter f = filter();
    f.beforeId = last->id;
    const quint64 generation = m_generation;
    AuditLog &audit = m_context.services.audit;
    m_context.workers.run(
        this, [&audit, f] { return audit.query(f); },
        [this, generation](Result<QList<AuditEvent>> events) {
            if (generation != m_generation)
                return;
            if (!events) {
                m_model->setMoreAvailable(false);
                return;
            }
            m_model->appendRows(*events);
            m_model->setMoreAvailable(events->size() == kPageSize);
            m_status->setText(
                Format::items(m_model->rowCount(), tr("event"), tr("events")) +
                (m_model->moreAvailable() ? tr("; scroll down for older ones") : QString()));
        });
}

// New events (from here, the server, the CLI) go on top without disturbing the rest.
void AuditPage::fetchNewer()
{
    if (m_fetchingNewer)
        return;
    const AuditEvent *first = m_model->at(0);
    if (!first)
        return reload();
    m_fetchingNewer = true;
    const qint64 newestId = first->id;
    const AuditFilter f = filter();
    const quint64 generation = m_generation;
    AuditLog &audit = m_context.services.audit;
    m_context.workers.run(
        this, [&audit, f] { return audit.query(f); },
        [this, generation, newestId](Result<QList<AuditEvent>> events) {
            m_fetchingNewer = false;
            if (generation != m_generation || !events)
                return;
            QList<AuditEvent> fresh;
            for (const AuditEvent &e : *events)
                if (e.id > newestId)
                    fresh.append(e);
            if (fresh.size() == events->size() && !fresh.isEmpty())
                return reload(); // more than a page arrived: start over
            m_model->prependRows(fresh);
            Q_EMIT reloaded();
        });
}
