// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QLineEdit;
class QToolButton;

// A secret the console never shows back: empty means "keep what is stored", typing
// replaces it, Clear removes it. Disabled when the environment sets the secret.
class SecretField : public QWidget
{
    Q_OBJECT
public:
    explicit SecretField(QWidget *parent = nullptr);

    // What is stored now: whether a value exists and whether it comes from the
    // environment (then it cannot be changed here).
    void setState(bool stored, const QString &environmentName = QString());

    enum class Change { Keep, Replace, Remove };
    Change change() const;
    QByteArray value() const;           // for Replace
    void setValue(const QString &text); // tests and the SMTP URL split
    void reset();
    QLineEdit *edit() const { return m_edit; }

Q_SIGNALS:
    void edited();

private:
    void updatePlaceholder();

    QLineEdit *m_edit;
    QToolButton *m_clear;
    QString m_environment;
    bool m_stored = false;
    bool m_remove = false;
};
