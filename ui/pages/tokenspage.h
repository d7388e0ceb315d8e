// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/listtablemodel.h"
#include "models/tokencells.h"

#include <QTimer>
#include <QWidget>

struct ConsoleContext;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

// Every stateful token any surface issued (PIN refresh tokens, device sessions, API
// tokens, wallet sessions), newest first, filtered by user and kind; revoke any.
class TokensPage : public QWidget
{
    Q_OBJECT
public:
    explicit TokensPage(ConsoleContext &context, QWidget *parent = nullptr);

    ListTableModel<TokenRow> *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QLineEdit *userField() const { return m_user; }
    QComboBox *kindFilter() const { return m_kind; }

    void reload();
    void revoke(const QStringList &tokenIds);
    void revokeSelected();

Q_SIGNALS:
    void reloaded();
    void actionDone(const QString &action, bool ok);

private:
    void buildUi();
    void connectSignals();
    void revokeUser(); // every token of the user the filter names, after asking
    struct Page
    {
        QList<TokenRow> rows;
        qint64 total = 0;
        QString userId; // the user the filter resolved to
        bool userFound = true;
    };
    void fetch(int offset);
    void updateButtons();

    ConsoleContext &m_context;
    ListTableModel<TokenRow> *m_model;
    QTableView *m_view;
    QLineEdit *m_user;
    QComboBox *m_kind;
    QCheckBox *m_all;
    QLabel *m_status;
    QPushButton *m_revoke;
    QPushButton *m_revokeUser;
    QTimer m_debounce;
    quint64 m_generation = 0;
    QString m_userId;
};
