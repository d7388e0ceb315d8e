// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "config/settings.h"
#include "widgets/settingfields.h"

#include <QMap>
#include <QWidget>

struct ConsoleContext;
class OAuthTable;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class PolicyFields;
class SecretField;
class TlsFields;

// Everything in the config file, and the secrets (Telegram bot token, SMTP password,
// OAuth client secrets) that go to the SecretStore instead. Saving says what took
// effect at once and what waits for a restart.
class SettingsPage : public QWidget
{
    Q_OBJECT
public:
    explicit SettingsPage(ConsoleContext &context, QWidget *parent = nullptr);

    // Fills the form from `settings` (the running ones at start).
    void load(const Settings &settings);
    // The form as settings; `error` says what is wrong when it returns nothing.
    std::optional<Settings> formSettings(QString *error) const;
    // Validates, writes the file, then the secrets; emits saved() or failed().
    void save();
    QString configPath() const;
    // Scrolls the form so that `field` shows (screenshots, and after a failed save).
    void reveal(QWidget *field);

    // The fields (tests fill them in).
    QLineEdit *listen;
    QLineEdit *publicUrl;
    QSpinBox *listenerThreads;
    QSpinBox *workerThreads;
    QSpinBox *maxConnections;
    QSpinBox *maxBodyKiB;
    QSpinBox *idleTimeout;
    QSpinBox *requestTimeout;
    QLineEdit *corsOrigins;
    TlsFields *tls;
    QCheckBox *surfaces[5];
    QCheckBox *namespaceAutoCreate;
    QSpinBox *namespaceTokenMinutes;
    PolicyFields *policy;
    QLineEdit *smtpUrl;
    QLineEdit *mailFrom;
    SecretField *smtpPassword;
    QLineEdit *smsWebhook;
    OAuthTable *oauth;
    QPlainTextEdit *redirectAllowlist;
    QLineEdit *appleClientId;
    QLineEdit *appleJwksUrl;
    SecretField *telegramBotToken;
    QLineEdit *database;
    QComboBox *secretStoreMode;

Q_SIGNALS:
    // `report` lists what took effect and what needs a restart.
    void saved(const QString &report);
    void failed(const QString &error);

private:
    void buildUi();
    QWidget *formContent();
    void connectSignals();
    QWidget *serverGroup();
    QWidget *surfacesGroup();
    QWidget *deliveryGroup();
    QWidget *providersGroup();
    QWidget *storageGroup();
    void loadSecrets();
    struct SecretChange
    {
        QString name;
        QString label;
        bool remove = false;
        QByteArray value;
    };
    QList<SecretChange> secretChanges(const Settings &next) const;
    void writeSecrets(QList<SecretChange> changes, QStringList done, const QString &fileReport);

    ConsoleContext &m_context;
    Settings m_loaded;
    QLabel *m_pending;
    QPushButton *m_save;
    QPushButton *m_revert = nullptr;
    QPushButton *m_addProvider = nullptr;
    QPushButton *m_removeProvider = nullptr;
    SettingFields m_fields; // the fields read and written through the settings table
    class QScrollArea *m_scroll = nullptr;
    bool m_saving = false;
};
