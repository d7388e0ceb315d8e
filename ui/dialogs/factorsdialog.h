// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "identity/factors.h"
#include "identity/users.h"
#include "models/listtablemodel.h"

#include <QDialog>

struct ConsoleContext;
class QLabel;
class QPushButton;
class QTableView;

// One user's second factors (authenticator apps and passkeys): kind, label, when added and
// last used, and how many recovery codes are left; the selected one can be removed (for a
// user who lost their phone), which the audit log records.
class FactorsDialog : public QDialog
{
    Q_OBJECT
public:
    FactorsDialog(ConsoleContext &context, const User &user, QWidget *parent = nullptr);

    ListTableModel<Factor> *factors() const { return m_factors; }
    QTableView *view() const { return m_view; }
    void reload();
    // Asks, then removes the selected factor.
    void askRemove();
    // Removes without asking (the dialog's button asks first).
    void remove(const Factor &factor);

    // "TOTP, passkey · 8 recovery codes left", "none": the Users page's one-line summary.
    static QString summary(const QList<Factor> &factors, int recoveryCodesLeft);

Q_SIGNALS:
    void reloaded();
    void changed(); // a factor was removed

private:
    void buildUi();

    ConsoleContext &m_context;
    User m_user;
    ListTableModel<Factor> *m_factors;
    QTableView *m_view;
    QLabel *m_status;
    QPushButton *m_remove;
};
