// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "identity/audit.h"
#include "models/listtablemodel.h"

#include <QTimer>
#include <QWidget>

struct ConsoleContext;
class QLabel;
class QPushButton;
class QTableView;
class RateChart;

// The first page: is the server up and where, how busy is it, what just happened.
class OverviewPage : public QWidget
{
    Q_OBJECT
public:
    explicit OverviewPage(ConsoleContext &context, QWidget *parent = nullptr);

    RateChart *requestChart() const { return m_requests; }
    RateChart *failureChart() const { return m_failures; }
    ListTableModel<AuditEvent> *events() const { return m_events; }
    QPushButton *startStopButton() const { return m_startStop; }
    QLabel *stateLabel() const { return m_state; }

    // Called each second (by its timer; tests call it directly).
    void sample();
    // Shown while the default admin still has the password "admin".
    void setDefaultPasswordWarning(bool show);
    bool defaultPasswordWarningShown() const;

Q_SIGNALS:
    void changeAdminPasswordRequested();
    void eventsReloaded();

private:
    void buildUi();
    QWidget *warningBar();
    QWidget *eventsView();
    void connectSignals();
    QWidget *serverCard();
    QWidget *storageCard();
    QWidget *countsRow();
    void updateServerState();
    void toggleServer();
    void reloadEvents();
    void reloadCounts();
    void addEvents(const QList<AuditEvent> &events);

    ConsoleContext &m_context;
    QLabel *m_state;
    QLabel *m_address;
    QLabel *m_uptime;
    QPushButton *m_startStop;
    QWidget *m_warning;
    QLabel *m_counts[4];
    RateChart *m_requests;
    RateChart *m_failures;
    ListTableModel<AuditEvent> *m_events;
    QTimer m_timer;
    quint64 m_lastRequests = 0;
    quint64 m_lastFailures = 0;
    qint64 m_runningSince = 0;
};
