// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "delivery/outbox.h"
#include "models/listtablemodel.h"

#include <QWidget>

struct ConsoleContext;
class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableView;

// Every email and SMS Gatehouse sent or holds, with its delivery state; resend. With
// no SMTP server or SMS gateway set, messages are held here so a person on this
// machine can still read a code or follow a link.
class OutboxPage : public QWidget
{
    Q_OBJECT
public:
    explicit OutboxPage(ConsoleContext &context, QWidget *parent = nullptr);

    ListTableModel<OutboxMessage> *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    void reload();
    void resend(qint64 id);

Q_SIGNALS:
    void reloaded();
    void actionDone(const QString &action, bool ok);

private:
    void buildUi();
    void showDeliveryNotice();
    void connectSignals();
    void selectionChanged();

    ConsoleContext &m_context;
    ListTableModel<OutboxMessage> *m_model;
    QTableView *m_view;
    QComboBox *m_state;
    QLabel *m_notice;
    QLabel *m_status;
    QPlainTextEdit *m_body;
    QPushButton *m_resend;
};
