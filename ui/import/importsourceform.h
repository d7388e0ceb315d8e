// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "import/originimport.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class SecretField;

// The import dialog's first step: which server the data comes from, where its
// database is, and what that origin needs besides (Ambrosia's secret, hapi's namespace).
class ImportSourceForm : public QWidget
{
    Q_OBJECT
public:
    enum SourceType { SqliteFile, PostgresUrl, DataFolder };

    explicit ImportSourceForm(QWidget *parent = nullptr);

    // A sentence naming what is missing, or empty when request() is complete.
    QString problem() const;
    OriginImport::Request request() const;

    QComboBox *originBox() const { return m_origin; }
    QComboBox *sourceTypeBox() const { return m_sourceType; }
    QLineEdit *sourceField() const { return m_source; }
    SecretField *secretField() const { return m_secret; }
    QLineEdit *namespaceField() const { return m_namespace; }
    QLabel *originHint() const { return m_originHint; }

Q_SIGNALS:
    void changed();

private:
    void originChanged();
    void sourceTypeChanged();
    void browse();

    QComboBox *m_origin;
    QLabel *m_originHint;
    QComboBox *m_sourceType;
    QLineEdit *m_source;
    QPushButton *m_browse;
    QLabel *m_secretLabel;
    SecretField *m_secret;
    QLabel *m_namespaceLabel;
    QLineEdit *m_namespace;
};
