// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

class QLineEdit;
class QPushButton;

// Shows a client's new secret, the only time it can be seen (it is stored hashed), with
// a button that copies it. Closing it forgets the secret.
class ClientSecretDialog : public QDialog
{
    Q_OBJECT
public:
    ClientSecretDialog(const QString &clientId, const QString &clientName, const QString &secret,
                       QWidget *parent = nullptr);

    QString secret() const;
    QPushButton *copyButton() const { return m_copy; }

private:
    QLineEdit *m_id;
    QLineEdit *m_secret;
    QPushButton *m_copy;
};
