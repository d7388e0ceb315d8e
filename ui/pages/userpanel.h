// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "identity/users.h"

#include <QWidget>

class QFormLayout;
class QLabel;
class QPushButton;

// The selected user's profile and the buttons that act on them.
class UserPanel : public QWidget
{
    Q_OBJECT
public:
    explicit UserPanel(QWidget *parent = nullptr);
    void show(const std::optional<User> &user);
    // The selected user's second factors, one line (loaded after show()).
    void showFactors(const QString &summary);

    QPushButton *edit;
    QPushButton *password;
    QPushButton *pin;
    QPushButton *toggleDisabled;
    QPushButton *signOut;
    QPushButton *details;
    QPushButton *factors;
    QPushButton *remove;

private:
    void buildUi();
    QFormLayout *fieldsForm();

    QLabel *m_heading;
    QLabel *m_id;
    QLabel *m_empty;
    QWidget *m_body;
    QLabel *m_fields[9];
};
