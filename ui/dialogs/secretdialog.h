// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>
#include <functional>

class QDialogButtonBox;
class QLabel;
class QLineEdit;

// Asks twice for a new password or PIN and checks it with `problem` (empty: fine)
// before it closes. Hashing happens afterwards, behind a progress dialog.
class SecretDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Kind { Password, Pin };
    SecretDialog(Kind kind, const QString &who, std::function<QString(const QString &)> problem,
                 QWidget *parent = nullptr);

    QString secret() const;
    void accept() override;

private:
    void buildUi(bool pin);
    void connectSignals();

    std::function<QString(const QString &)> m_problem;
    QLineEdit *m_secret;
    QLineEdit *m_confirm;
    QLabel *m_error;
    QDialogButtonBox *m_buttons = nullptr;
};
