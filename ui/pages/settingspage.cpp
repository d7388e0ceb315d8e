// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/settingspage.h"

#include "config/secrets.h"
#include "config/secretstore.h"
#include "consolecontext.h"
#include "services.h"
#include "widgets/oauthtable.h"
#include "widgets/policyfields.h"
#include "widgets/secretfield.h"
#include "widgets/tables.h"
#include "widgets/tlsfields.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QShortcut>
#include <QSpinBox>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

const char *const kSurfaceKeys[] = {"surfaces/namespace", "surfaces/wallet",  "surfaces/pin",
                                    "surfaces/device",    "surfaces/account", "surfaces/oidc"};

} // namespace

SettingsPage::SettingsPage(ConsoleContext &context, QWidget *parent)
    : QWidget(parent), m_context(context), m_pending(new QLabel),
      m_save(new QPushButton(tr("&Save")))
{
    buildUi();
    connectSignals();
    load(context.services.settings);
}

void SettingsPage::buildUi()
{
    auto *scroll = m_scroll = new QScrollArea;
    scroll->setWidget(formContent());
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);

    m_revert = new QPushButton(tr("&Revert"));
    m_save->setDefault(true);
    m_save->setToolTip(tr("Write the config file and the secrets (Ctrl+S)"));
    m_pending->setWordWrap(true);
    m_pending->hide();
    m_pending->setObjectName(u"restartNotice"_s);
    m_pending->setStyleSheet(u"#restartNotice { background: #fff4ce; color: #4d3b00; border: 1px "
                             u"solid #e6d28a; border-radius: 4px; padding: 6px; }"_s);
    auto *buttons = new QHBoxLayout;
    auto *where = new QLabel(tr("Settings file: %1").arg(QDir::toNativeSeparators(configPath())));
    where->setTextInteractionFlags(Qt::TextSelectableByMouse);
    buttons->addWidget(where, 1);
    buttons->addWidget(m_revert);
    buttons->addWidget(m_save);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(PageUi::title(tr("Settings")));
    layout->addWidget(m_pending);
    layout->addWidget(scroll, 1);
    layout->addLayout(buttons);
}

QWidget *SettingsPage::formContent()
{
    const SecretStore &store = m_context.secretStore;
    auto *content = new QWidget;
    auto *form = new QVBoxLayout(content);
    form->addWidget(PageUi::hint(
        tr("Values given on the command line or in GATEHOUSE_* environment variables override "
           "the file. Secrets are kept in the %1, never in the file.")
            .arg(store.backend() == SecretStore::Backend::Keychain
                     ? tr("desktop keychain")
                     : tr("0600 file %1").arg(QDir::toNativeSeparators(store.filePath())))));
    form->addWidget(serverGroup());
    form->addWidget(surfacesGroup());
    form->addWidget(policy = new PolicyFields);
    form->addWidget(deliveryGroup());
    form->addWidget(providersGroup());
    form->addWidget(storageGroup());
    form->addStretch();
    content->setMaximumWidth(980);
    // One label column for every group, so the fields line up down the page.
    for (QFormLayout *f : content->findChildren<QFormLayout *>())
        for (int row = 0; row < f->rowCount(); ++row)
            if (QLayoutItem *item = f->itemAt(row, QFormLayout::LabelRole); item && item->widget())
                item->widget()->setMinimumWidth(170);
    return content;
}

void SettingsPage::connectSignals()
{
    connect(m_save, &QPushButton::clicked, this, &SettingsPage::save);
    connect(m_revert, &QPushButton::clicked, this, [this] { load(m_loaded); });
    auto *shortcut = new QShortcut(QKeySequence::Save, this);
    connect(shortcut, &QShortcut::activated, this, &SettingsPage::save);
    connect(m_addProvider, &QPushButton::clicked, oauth, [this] { oauth->addProvider(); });
    connect(m_removeProvider, &QPushButton::clicked, oauth, &OAuthTable::removeSelected);
}

QWidget *SettingsPage::serverGroup()
{
    auto *box = new QGroupBox(tr("Server"));
    auto *form = new QFormLayout(box);
    listen = new QLineEdit;
    listen->setPlaceholderText(u"127.0.0.1:3006"_s);
    publicUrl = new QLineEdit;
    publicUrl->setPlaceholderText(tr("https://auth.example.org (links in emails)"));
    listenerThreads = m_fields.number("server/threads", QString(), tr("one per core"));
    workerThreads = m_fields.number("server/workers", QString(), tr("one per core"));
    maxConnections = m_fields.number("server/max_connections");
    maxBodyKiB = m_fields.number("server/max_body_bytes", tr(" KiB"), QString(), 1024);
    idleTimeout = m_fields.number("server/idle_timeout", tr(" s"));
    requestTimeout = m_fields.number("server/request_timeout", tr(" s"));
    corsOrigins = new QLineEdit;
    corsOrigins->setPlaceholderText(tr("https://app.example.org, https://admin.example.org"));
    form->addRow(tr("&Listen on:"), listen);
    form->addRow(tr("&Public URL:"), publicUrl);
    form->addRow(tr("Listener threads:"), listenerThreads);
    form->addRow(tr("Worker threads:"), workerThreads);
    form->addRow(tr("Max connections:"), maxConnections);
    form->addRow(tr("Max request body:"), maxBodyKiB);
    form->addRow(tr("Idle timeout:"), idleTimeout);
    form->addRow(tr("Request timeout:"), requestTimeout);
    form->addRow(tr("CORS origins:"), corsOrigins);
    tls = new TlsFields;
    tls->setBaseDir(m_context.services.settings.dataDir);
    form->addRow(tr("HTTPS:"), tls);
    return box;
}

QWidget *SettingsPage::surfacesGroup()
{
    auto *box = new QGroupBox(tr("API surfaces"));
    auto *form = new QFormLayout(box);
    const QString labels[] = {tr("Namespace (/api/auth, /api/bind)"),
                              tr("Wallet (/oauth, /challenge, /login, /session…)"),
                              tr("PIN (POST /auth/login with a PIN)"),
                              tr("Device (/auth/registration, /auth/session…)"),
                              tr("Account (/api/auth/…)")};
    auto *row = new QVBoxLayout;
    for (int i = 0; i < 5; ++i) {
        surfaces[i] = m_fields.check(kSurfaceKeys[i], labels[i]);
        surfaces[i]->setObjectName(QString::fromLatin1(kSurfaceKeys[i]).section(u'/', 1));
        row->addWidget(surfaces[i]);
    }
    form->addRow(tr("Surfaces on:"), row);
    namespaceAutoCreate =
        m_fields.check("namespace/auto_create", tr("Create a namespace on its first login"));
    form->addRow(tr("Namespaces:"), namespaceAutoCreate);
    namespaceTokenMinutes = m_fields.number("namespace/token_minutes", tr(" min"));
    form->addRow(tr("Namespace JWT lifetime:"), namespaceTokenMinutes);
    return box;
}

QWidget *SettingsPage::deliveryGroup()
{
    auto *box = new QGroupBox(tr("Email and SMS"));
    auto *form = new QFormLayout(box);
    smtpUrl = new QLineEdit;
    smtpUrl->setPlaceholderText(u"smtps://user@smtp.example.org:465"_s);
    mailFrom = m_fields.text("mail/from");
    mailFrom->setPlaceholderText(u"Gatehouse <auth@example.org>"_s);
    smtpPassword = new SecretField;
    smsWebhook = new QLineEdit;
    smsWebhook->setPlaceholderText(tr("https://sms.example.org/send (POST {\"to\",\"text\"})"));
    form->addRow(tr("SMTP server URL:"), smtpUrl);
    form->addRow(tr("SMTP password:"), smtpPassword);
    form->addRow(tr("Sender address:"), mailFrom);
    form->addRow(tr("SMS webhook:"), smsWebhook);
    form->addRow(QString(), PageUi::hint(tr("Without a server or webhook, messages wait in the "
                                            "Outbox page.")));
    return box;
}

QWidget *SettingsPage::providersGroup()
{
    auto *box = new QGroupBox(tr("Sign-in providers"));
    auto *layout = new QVBoxLayout(box);
    oauth = new OAuthTable;
    m_addProvider = new QPushButton(tr("&Add provider"));
    m_removeProvider = new QPushButton(tr("Remove provider"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(new QLabel(tr("OAuth / OpenID Connect (PKCE S256):")), 1);
    buttons->addWidget(m_addProvider);
    buttons->addWidget(m_removeProvider);
    layout->addLayout(buttons);
    layout->addWidget(oauth);
    auto *form = new QFormLayout;
    redirectAllowlist = new QPlainTextEdit;
    redirectAllowlist->setPlaceholderText(tr("One allowed redirect_uri prefix per line, e.g. "
                                             "https://app.example.org/"));
    redirectAllowlist->setMaximumHeight(80);
    redirectAllowlist->setTabChangesFocus(true);
    appleClientId = m_fields.text("apple/client_id");
    appleJwksUrl = new QLineEdit;
    telegramBotToken = new SecretField;
    form->addRow(tr("Redirect allow-list:"), redirectAllowlist);
    form->addRow(tr("Apple client ID:"), appleClientId);
    form->addRow(tr("Apple JWKS URL:"), appleJwksUrl);
    form->addRow(tr("Telegram bot token:"), telegramBotToken);
    layout->addLayout(form);
    return box;
}

QWidget *SettingsPage::storageGroup()
{
    auto *box = new QGroupBox(tr("Storage"));
    auto *form = new QFormLayout(box);
    database = new QLineEdit;
    database->setPlaceholderText(u"sqlite:/path/gatehouse.db or postgresql://user@host/db"_s);
    secretStoreMode = new QComboBox;
    secretStoreMode->addItem(tr("Keychain, else a 0600 file (auto)"), u"auto"_s);
    secretStoreMode->addItem(tr("Keychain only"), u"keychain"_s);
    secretStoreMode->addItem(tr("0600 file in the data folder"), u"file"_s);
    secretStoreMode->setMaximumWidth(360);
    auto *dataDir = new QLabel(QDir::toNativeSeparators(m_context.services.settings.dataDir));
    dataDir->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("Database URL:"), database);
    form->addRow(tr("Secrets:"), secretStoreMode);
    form->addRow(tr("Data folder:"), dataDir);
    form->addRow(QString(), PageUi::hint(tr("The data folder is chosen with --data-dir or "
                                            "GATEHOUSE_DATA_DIR.")));
    return box;
}

void SettingsPage::reveal(QWidget *field)
{
    m_scroll->ensureWidgetVisible(field, 40, 200);
}

QString SettingsPage::configPath() const
{
    const Settings &s = m_context.services.settings;
    return s.configFile.isEmpty() ? QDir(s.dataDir).filePath(u"gatehouse.conf"_s) : s.configFile;
}

void SettingsPage::load(const Settings &s)
{
    m_loaded = s;
    listen->setText(s.listenAddress());
    publicUrl->setText(s.publicUrl);
    m_fields.load(s); // the numbers, switches and plain text fields
    corsOrigins->setText(s.corsOrigins.join(u", "_s));
    tls->setFiles(s.tlsCertificateFile, s.tlsKeyFile);
    policy->load(s);
    smtpUrl->setText(s.smtpUrl);
    smsWebhook->setText(s.smsWebhookUrl);
    const Secrets &secrets = m_context.services.secrets;
    oauth->setProviders(s.oauthProviders, [&secrets](const QString &name) {
        return !secrets.value(SecretName::oauthClientSecret(name)).isEmpty();
    });
    redirectAllowlist->setPlainText(s.redirectAllowlist.join(u'\n'));
    appleJwksUrl->setText(s.appleJwksUrl);
    database->setText(s.database);
    secretStoreMode->setCurrentIndex(qMax(0, secretStoreMode->findData(s.secretStore)));
    loadSecrets();
}

void SettingsPage::loadSecrets()
{
    const Secrets &secrets = m_context.services.secrets;
    auto state = [&secrets](SecretField *field, const QString &name, const QString &env) {
        field->setState(!secrets.value(name).isEmpty(),
                        secrets.fromEnvironment(name) ? env : QString());
    };
    state(telegramBotToken, SecretName::telegramBotToken, u"TELEGRAM_BOT_TOKEN"_s);
    state(smtpPassword, SecretName::smtpPassword, u"GATEHOUSE_SMTP_PASSWORD"_s);
}
