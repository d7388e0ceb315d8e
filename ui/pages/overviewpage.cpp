// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/overviewpage.h"

#include "adminaudit.h"
#include "config/secretstore.h"
#include "consolecontext.h"
#include "format.h"
#include "livefeed.h"
#include "pages/auditpage.h"
#include "servercontrol.h"
#include "services.h"
#include "widgets/ratechart.h"
#include "widgets/tables.h"
#include "workers.h"

#include <QDesktopServices>
#include <QDir>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QUrl>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {
constexpr int kRecentEvents = 50;

// Events of the API surfaces: sign-ins and their refusals, not console or CLI chores.
bool isAuthEvent(const AuditEvent &e)
{
    return e.surface != AdminAudit::kSurface && e.surface != u"cli";
}

QFrame *card()
{
    auto *frame = new QFrame;
    frame->setObjectName(u"card"_s);
    frame->setFrameShape(QFrame::StyledPanel);
    return frame;
}

QLabel *selectable(const QString &text = QString())
{
    auto *label = new QLabel(text);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}
} // namespace

OverviewPage::OverviewPage(ConsoleContext &context, QWidget *parent)
    : QWidget(parent), m_context(context), m_state(new QLabel), m_address(selectable()),
      m_uptime(new QLabel), m_startStop(new QPushButton), m_warning(new QWidget),
      m_requests(new RateChart(tr("Requests per second"), QColor(0x2f, 0x6f, 0xd6))),
      m_failures(new RateChart(tr("Failed sign-ins per second"), QColor(0xc4, 0x3d, 0x2f))),
      m_events(new ListTableModel<AuditEvent>(AuditPage::headers(), &AuditPage::cell, this))
{
    buildUi();
    connectSignals();
    updateServerState();
    reloadEvents();
    reloadCounts();
}

void OverviewPage::buildUi()
{
    auto *cards = new QHBoxLayout;
    cards->addWidget(serverCard(), 1);
    cards->addWidget(storageCard(), 1);

    auto *charts = new QHBoxLayout;
    charts->addWidget(m_requests);
    charts->addWidget(m_failures);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(PageUi::title(tr("Overview")));
    layout->addWidget(warningBar());
    layout->addLayout(cards);
    layout->addWidget(countsRow());
    layout->addLayout(charts);
    layout->addWidget(new QLabel(tr("<b>Recent sign-in events</b>")));
    layout->addWidget(eventsView(), 1);
}

// The default-password nag.
QWidget *OverviewPage::warningBar()
{
    auto *warningLayout = new QHBoxLayout(m_warning);
    m_warning->setObjectName(u"warningBar"_s);
    m_warning->setStyleSheet(u"#warningBar { background: #fff4ce; border: 1px solid #e6d28a; "
                             u"border-radius: 4px; } #warningBar QLabel { color: #4d3b00; }"_s);
    auto *warningText = new QLabel(
        tr("<b>The admin account still has the password “admin”.</b> Anyone who can reach "
           "the server can sign in as administrator, and Gatehouse will not listen beyond this "
           "computer until it is changed."));
    warningText->setWordWrap(true);
    auto *change = new QPushButton(tr("Change it now…"));
    warningLayout->addWidget(warningText, 1);
    warningLayout->addWidget(change);
    m_warning->hide();
    connect(change, &QPushButton::clicked, this, &OverviewPage::changeAdminPasswordRequested);
    return m_warning;
}

QWidget *OverviewPage::eventsView()
{
    auto *eventsView = new QTableView;
    eventsView->setModel(m_events);
    Tables::setUp(eventsView);
    AuditPage::setColumnWidths(eventsView);
    eventsView->setAccessibleName(tr("Recent sign-in events"));
    return eventsView;
}

void OverviewPage::connectSignals()
{
    m_lastRequests = m_context.services.metrics.requestsTotal();
    m_lastFailures = m_context.services.metrics.loginFailuresTotal();
    m_runningSince = m_context.server.isRunning() ? m_context.services.startedAtMs : 0;
    connect(&m_timer, &QTimer::timeout, this, &OverviewPage::sample);
    m_timer.start(1000);
    connect(&m_context.server, &ServerControl::stateChanged, this,
            &OverviewPage::updateServerState);
    connect(m_startStop, &QPushButton::clicked, this, &OverviewPage::toggleServer);
    connect(&m_context.live, &LiveFeed::auditRecorded, this, &OverviewPage::addEvents);
    // Events written by another process (the CLI, a second instance) come by polling.
    connect(&m_context.live, &LiveFeed::auditChanged, this, [this] {
        if (m_context.live.signalsBlocked())
            return;
        reloadEvents();
    });
    for (auto signal : {&LiveFeed::usersChanged, &LiveFeed::namespacesChanged,
                        &LiveFeed::tokensChanged, &LiveFeed::outboxChanged})
        connect(&m_context.live, signal, this, &OverviewPage::reloadCounts);
}

QWidget *OverviewPage::serverCard()
{
    auto *frame = card();
    QFont big = m_state->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    big.setWeight(QFont::DemiBold);
    m_state->setFont(big);
    auto *grid = new QGridLayout(frame);
    grid->addWidget(m_state, 0, 0, 1, 2);
    grid->addWidget(new QLabel(tr("Address:")), 1, 0);
    grid->addWidget(m_address, 1, 1);
    grid->addWidget(new QLabel(tr("Uptime:")), 2, 0);
    grid->addWidget(m_uptime, 2, 1);
    grid->addWidget(m_startStop, 3, 0, 1, 2, Qt::AlignLeft);
    grid->setColumnStretch(1, 1);
    return frame;
}

QWidget *OverviewPage::storageCard()
{
    const Settings &s = m_context.services.settings;
    auto *frame = card();
    auto *grid = new QGridLayout(frame);
    auto *heading = new QLabel(tr("<b>Where your data lives</b>"));
    grid->addWidget(heading, 0, 0, 1, 2);
    grid->addWidget(new QLabel(tr("Data folder:")), 1, 0);
    grid->addWidget(selectable(QDir::toNativeSeparators(s.dataDir)), 1, 1);
    grid->addWidget(new QLabel(tr("Database:")), 2, 0);
    grid->addWidget(selectable(m_context.services.db->url().redacted()), 2, 1);
    grid->addWidget(new QLabel(tr("Secrets:")), 3, 0);
    grid->addWidget(selectable(m_context.secretStore.backend() == SecretStore::Backend::Keychain
                                   ? tr("the desktop keychain")
                                   : QDir::toNativeSeparators(m_context.secretStore.filePath())),
                    3, 1);
    auto *open = new QPushButton(tr("Open data folder"));
    connect(open, &QPushButton::clicked, this,
            [dir = s.dataDir] { QDesktopServices::openUrl(QUrl::fromLocalFile(dir)); });
    grid->addWidget(open, 4, 0, 1, 2, Qt::AlignLeft);
    grid->setColumnStretch(1, 1);
    return frame;
}

QWidget *OverviewPage::countsRow()
{
    auto *row = new QWidget;
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    const QString names[] = {tr("Users"), tr("Namespaces"), tr("Live tokens"), tr("Held messages")};
    for (int i = 0; i < 4; ++i) {
        auto *frame = card();
        auto *box = new QVBoxLayout(frame);
        m_counts[i] = new QLabel(u"…"_s);
        QFont big = m_counts[i]->font();
        big.setPointSizeF(big.pointSizeF() * 1.6);
        big.setWeight(QFont::DemiBold);
        m_counts[i]->setFont(big);
        box->addWidget(m_counts[i]);
        box->addWidget(new QLabel(names[i]));
        layout->addWidget(frame, 1);
    }
    return row;
}

void OverviewPage::sample()
{
    const Metrics &metrics = m_context.services.metrics;
    const quint64 requests = metrics.requestsTotal();
    const quint64 failures = metrics.loginFailuresTotal();
    m_requests->addSample(double(requests - qMin(requests, m_lastRequests)));
    m_failures->addSample(double(failures - qMin(failures, m_lastFailures)));
    m_lastRequests = requests;
    m_lastFailures = failures;
    if (m_runningSince > 0)
        m_uptime->setText(Format::duration(m_context.services.clock.nowMs() - m_runningSince));
}

void OverviewPage::updateServerState()
{
    const bool running = m_context.server.isRunning();
    if (running && m_runningSince == 0)
        m_runningSince = m_context.services.clock.nowMs();
    if (!running)
        m_runningSince = 0;
    const Settings &s = m_context.services.settings;
    const QString url = s.listenUrl(running ? m_context.server.port() : s.listenPort);
    m_state->setText(running ? tr("<span style='color:#1e8e3e'>●</span> Serving")
                             : tr("<span style='color:#b3261e'>●</span> Stopped"));
    m_address->setText(running ? u"<a href='%1'>%1</a>"_s.arg(url) : url);
    m_address->setOpenExternalLinks(true);
    m_address->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_uptime->setText(running ? Format::duration(m_context.services.clock.nowMs() - m_runningSince)
                              : tr("—"));
    m_startStop->setText(running ? tr("&Stop server") : tr("&Start server"));
}

void OverviewPage::toggleServer()
{
    ServerControl &server = m_context.server;
    if (server.isRunning()) {
        if (QMessageBox::question(this, tr("Stop the server"),
                                  tr("Stop serving? Clients cannot sign in until you start it "
                                     "again. The console stays open."),
                                  QMessageBox::Yes | QMessageBox::Cancel) != QMessageBox::Yes)
            return;
        server.stop();
        AdminAudit::record(
            m_context.services.audit,
            {.action = u"server.stop"_s, .subject = m_context.services.settings.listenAddress()});
    } else {
        const auto started = server.start();
        AdminAudit::record(m_context.services.audit,
                           {.action = u"server.start"_s,
                            .subject = m_context.services.settings.listenAddress(),
                            .result = started ? u"ok"_s : u"error"_s,
                            .detail = started ? QString() : started.error()});
        if (!started)
            PageUi::showError(this, tr("Start the server"), started.error());
    }
    updateServerState();
}

void OverviewPage::setDefaultPasswordWarning(bool show)
{
    m_warning->setVisible(show);
}

bool OverviewPage::defaultPasswordWarningShown() const
{
    return !m_warning->isHidden();
}

void OverviewPage::reloadEvents()
{
    AuditLog &audit = m_context.services.audit;
    m_context.workers.run(
        this,
        [&audit] {
            AuditFilter f;
            f.limit = 500;
            QList<AuditEvent> out;
            for (const AuditEvent &e : audit.query(f))
                if (isAuthEvent(e) && out.size() < kRecentEvents)
                    out.append(e);
            return out;
        },
        [this](Result<QList<AuditEvent>> events) {
            if (!events)
                return;
            m_events->setRows(*events);
            Q_EMIT eventsReloaded();
        });
}

void OverviewPage::addEvents(const QList<AuditEvent> &events)
{
    QList<AuditEvent> fresh;
    for (auto it = events.crbegin(); it != events.crend(); ++it) // newest first
        if (isAuthEvent(*it))
            fresh.append(*it);
    if (fresh.isEmpty())
        return;
    QList<AuditEvent> rows = fresh + m_events->rows();
    rows.resize(qMin<qsizetype>(rows.size(), kRecentEvents));
    m_events->setRows(rows);
    Q_EMIT eventsReloaded();
}

void OverviewPage::reloadCounts()
{
    Services &s = m_context.services;
    m_context.workers.run(
        this,
        [&s] {
            TokenFilter live;
            QList<qint64> n;
            n << s.users.count() << s.namespaces.list().size() << s.tokens.count(live)
              << s.outbox.list(10000, u"held"_s).size();
            return n;
        },
        [this](Result<QList<qint64>> n) {
            if (!n)
                return;
            for (int i = 0; i < 4; ++i)
                m_counts[i]->setText(Format::count(n->at(i)));
        });
}
