// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "identity/users.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

// Creates a user (username and/or email, display name, role, optional password) or
// edits one (display name, email, role). Checks the input before it closes.
class UserDialog : public QDialog
{
    Q_OBJECT
public:
    // `existing` empty: create a user.
    explicit UserDialog(const std::optional<User> &existing, QWidget *parent = nullptr);

    User user() const; // the draft (create) or the edited copy
    QString password() const;

    void accept() override;

private:
    void buildUi();
    void connectSignals();
    void load(const User &existing);
    QString problem() const;

    std::optional<User> m_existing;
    QLineEdit *m_username;
    QLineEdit *m_email;
    QCheckBox *m_verified;
    QLineEdit *m_displayName;
    QComboBox *m_role;
    QCheckBox *m_admin;
    QLineEdit *m_password = nullptr;
    QLineEdit *m_confirm = nullptr;
    QLabel *m_error;
    QDialogButtonBox *m_buttons = nullptr;
};
