// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "identity/pinlockout.h"
#include "models/listtablemodel.h"

#include <QDialog>

struct ConsoleContext;
class QCheckBox;
class QDialogButtonBox;
class QPushButton;
class QTableView;

// Names and client addresses the PIN backoff has locked (or that have failures on
// record), with Unlock.
class PinLockoutsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit PinLockoutsDialog(ConsoleContext &context, QWidget *parent = nullptr);
    void reload();

private:
    void buildUi();
    void connectSignals();
    void unlockSelected();

    ConsoleContext &m_context;
    ListTableModel<PinLockoutEntry> *m_model;
    QTableView *m_view;
    QCheckBox *m_all;
    QPushButton *m_unlock;
    QDialogButtonBox *m_buttons;
};
