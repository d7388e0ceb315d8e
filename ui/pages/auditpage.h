// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "identity/audit.h"
#include "models/listtablemodel.h"

#include <QTimer>
#include <QWidget>

struct ConsoleContext;
class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

// The audit log, newest first: filter by text, surface and result; older events load
// as you scroll (paged by id), newer ones arrive on their own.
class AuditPage : public QWidget
{
    Q_OBJECT
public:
    explicit AuditPage(ConsoleContext &context, QWidget *parent = nullptr);

    ListTableModel<AuditEvent> *model() const { return m_model; }
    QLineEdit *textFilter() const { return m_text; }
    QComboBox *surfaceFilter() const { return m_surface; }
    QComboBox *resultFilter() const { return m_result; }
    void reload();
    void fetchOlder();

    // The columns, shared with the overview's recent events.
    static QVariant cell(const AuditEvent &e, int column, int role);
    static QStringList headers();
    static void setColumnWidths(QTableView *view);

Q_SIGNALS:
    void reloaded();

private:
    void buildUi();
    void connectSignals();
    AuditFilter filter() const;
    void fetchNewer();

    ConsoleContext &m_context;
    ListTableModel<AuditEvent> *m_model;
    QTableView *m_view;
    QLineEdit *m_text;
    QComboBox *m_surface;
    QComboBox *m_result;
    QLabel *m_status;
    QTimer m_debounce;
    quint64 m_generation = 0;
    bool m_fetchingNewer = false;
};
