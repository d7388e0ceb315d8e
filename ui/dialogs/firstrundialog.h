// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "identity/users.h"

#include <QDialog>

struct ConsoleContext;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;

// Shown while the account "admin" still has the password "admin": says where the data
// lives and walks the person through choosing a real password.
class FirstRunDialog : public QDialog
{
    Q_OBJECT
public:
    FirstRunDialog(ConsoleContext &context, const User &admin, QWidget *parent = nullptr);

    QLineEdit *passwordField() const { return m_password; }
    QLineEdit *confirmField() const { return m_confirm; }
    QString problem() const; // what is wrong with the typed password, as shown; empty if none
    void accept() override;  // checks, then hashes on a worker

Q_SIGNALS:
    void passwordChanged();

private:
    void buildUi();
    void connectSignals();
    QLabel *whereLabel() const;

    ConsoleContext &m_context;
    User m_admin;
    QLineEdit *m_password;
    QLineEdit *m_confirm;
    QLabel *m_error;
    QPushButton *m_ok;
    QDialogButtonBox *m_buttons = nullptr;
};
