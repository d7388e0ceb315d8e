// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;

// HTTPS for the listener: the certificate chain and key files (PEM), each with a Browse
// button, and a line that says whose certificate it is and when it expires, or what is
// wrong with the pair. Both empty: plain HTTP (behind a TLS proxy).
class TlsFields : public QWidget
{
    Q_OBJECT
public:
    explicit TlsFields(QWidget *parent = nullptr);

    void setFiles(const QString &certificateFile, const QString &keyFile);
    // Relative names are in this folder (the data folder), as in the config file.
    void setBaseDir(const QString &dir) { m_baseDir = dir; }
    QString certificateFile() const;
    QString keyFile() const;
    // Reads the pair and shows the result; returns the problem, empty when usable (or
    // when both are empty).
    QString check();

    QLineEdit *certificate; // tests fill them in
    QLineEdit *key;

private:
    QWidget *withBrowse(QLineEdit *edit, const QString &title);

    QLabel *m_status;
    QString m_baseDir;
};
