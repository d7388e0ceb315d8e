// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/settingspage.h"

#include "adminaudit.h"
#include "config/secrets.h"
#include "config/secretstore.h"
#include "consolecontext.h"
#include "pages/settingschanges.h"
#include "services.h"
#include "storage/databaseurl.h"
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
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QShortcut>
#include <QSpinBox>
#include <QUrl>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

const char *const kSurfaceNames[] = {"namespace", "wallet", "pin", "device", "account"};

QStringList lines(const QString &text)
{
    QStringList out;
    for (const QString &line : text.split(QRegularExpression(u"[\\n,]"_s), Qt::SkipEmptyParts))
        if (!line.trimmed().isEmpty())
            out << line.trimmed();
    return out;
}

bool httpUrl(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    return url.isValid() && (url.scheme() == u"http" || url.scheme() == u"https") &&
           !url.host().isEmpty();
}

} // namespace

SettingsPage::SettingsPage(ConsoleContext &context, QWidget *parent)
    : QWidget(parent), m_context(context), m_pending(new QLabel),
      m_save(new QPushButton(tr("&Save")))
{
    auto *content = new QWidget;
    auto *form = new QVBoxLayout(content);
    form->addWidget(PageUi::hint(
        tr("Values given on the command line or in GATEHOUSE_* environment variables override "
           "the file. Secrets are kept in the %1, never in the file.")
            .arg(context.secretStore.backend() == SecretStore::Backend::Keychain
                     ? tr("desktop keychain")
                     : tr("0600 file %1")
                           .arg(QDir::toNativeSeparators(context.secretStore.filePath())))));
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

    auto *scroll = m_scroll = new QScrollArea;
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);

    auto *revert = new QPushButton(tr("&Revert"));
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
    buttons->addWidget(revert);
    buttons->addWidget(m_save);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(PageUi::title(tr("Settings")));
    layout->addWidget(m_pending);
    layout->addWidget(scroll, 1);
    layout->addLayout(buttons);

    connect(m_save, &QPushButton::clicked, this, &SettingsPage::save);
    connect(revert, &QPushButton::clicked, this, [this] { load(m_loaded); });
    auto *shortcut = new QShortcut(QKeySequence::Save, this);
    connect(shortcut, &QShortcut::activated, this, &SettingsPage::save);
    load(context.services.settings);
}

QWidget *SettingsPage::serverGroup()
{
    auto *box = new QGroupBox(tr("Server"));
    auto *form = new QFormLayout(box);
    listen = new QLineEdit;
    listen->setPlaceholderText(u"127.0.0.1:3006"_s);
    publicUrl = new QLineEdit;
    publicUrl->setPlaceholderText(tr("https://auth.example.org (links in emails)"));
    listenerThreads = PageUi::spinBox(0, 256, QString(), tr("one per core"));
    workerThreads = PageUi::spinBox(0, 256, QString(), tr("one per core"));
    maxConnections = PageUi::spinBox(1, 1 << 20);
    maxBodyKiB = PageUi::spinBox(1, 64 << 10, tr(" KiB"));
    idleTimeout = PageUi::spinBox(1, 3600, tr(" s"));
    requestTimeout = PageUi::spinBox(1, 3600, tr(" s"));
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
        surfaces[i] = new QCheckBox(labels[i]);
        surfaces[i]->setObjectName(QString::fromLatin1(kSurfaceNames[i]));
        row->addWidget(surfaces[i]);
    }
    form->addRow(tr("Surfaces on:"), row);
    namespaceAutoCreate = new QCheckBox(tr("Create a namespace on its first login"));
    form->addRow(tr("Namespaces:"), namespaceAutoCreate);
    namespaceTokenMinutes = PageUi::spinBox(1, 24 * 60, tr(" min"));
    form->addRow(tr("Namespace JWT lifetime:"), namespaceTokenMinutes);
    return box;
}

QWidget *SettingsPage::deliveryGroup()
{
    auto *box = new QGroupBox(tr("Email and SMS"));
    auto *form = new QFormLayout(box);
    smtpUrl = new QLineEdit;
    smtpUrl->setPlaceholderText(u"smtps://user@smtp.example.org:465"_s);
    mailFrom = new QLineEdit;
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
    auto *add = new QPushButton(tr("&Add provider"));
    auto *remove = new QPushButton(tr("Remove provider"));
    connect(add, &QPushButton::clicked, oauth, [this] { oauth->addProvider(); });
    connect(remove, &QPushButton::clicked, oauth, &OAuthTable::removeSelected);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(new QLabel(tr("OAuth / OpenID Connect (PKCE S256):")), 1);
    buttons->addWidget(add);
    buttons->addWidget(remove);
    layout->addLayout(buttons);
    layout->addWidget(oauth);
    auto *form = new QFormLayout;
    redirectAllowlist = new QPlainTextEdit;
    redirectAllowlist->setPlaceholderText(tr("One allowed redirect_uri prefix per line, e.g. "
                                             "https://app.example.org/"));
    redirectAllowlist->setMaximumHeight(80);
    redirectAllowlist->setTabChangesFocus(true);
    appleClientId = new QLineEdit;
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
    listenerThreads->setValue(s.listenerThreads);
    workerThreads->setValue(s.workerThreads);
    maxConnections->setValue(s.maxConnections);
    maxBodyKiB->setValue(int(s.maxBodyBytes / 1024));
    idleTimeout->setValue(s.idleTimeoutSecs);
    requestTimeout->setValue(s.requestTimeoutSecs);
    corsOrigins->setText(s.corsOrigins.join(u", "_s));
    tls->setFiles(s.tlsCertificateFile, s.tlsKeyFile);
    const bool on[] = {s.namespaceSurface, s.walletSurface, s.pinSurface, s.deviceSurface,
                       s.accountSurface};
    for (int i = 0; i < 5; ++i)
        surfaces[i]->setChecked(on[i]);
    namespaceAutoCreate->setChecked(s.namespaceAutoCreate);
    namespaceTokenMinutes->setValue(s.namespaceTokenMinutes);
    policy->load(s);
    smtpUrl->setText(s.smtpUrl);
    mailFrom->setText(s.mailFrom);
    smsWebhook->setText(s.smsWebhookUrl);
    const Secrets &secrets = m_context.services.secrets;
    oauth->setProviders(s.oauthProviders, [&secrets](const QString &name) {
        return !secrets.value(SecretName::oauthClientSecret(name)).isEmpty();
    });
    redirectAllowlist->setPlainText(s.redirectAllowlist.join(u'\n'));
    appleClientId->setText(s.appleClientId);
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

std::optional<Settings> SettingsPage::formSettings(QString *error) const
{
    auto fail = [error](const QString &why) {
        *error = why;
        return std::nullopt;
    };
    Settings s = m_loaded;
    auto address = parseListenAddress(listen->text().trimmed());
    if (!address)
        return fail(address.error());
    std::tie(s.listenHost, s.listenPort) = *address;
    s.publicUrl = publicUrl->text().trimmed();
    while (s.publicUrl.endsWith(u'/'))
        s.publicUrl.chop(1);
    if (!s.publicUrl.isEmpty() && !httpUrl(s.publicUrl))
        return fail(tr("The public URL must be an http:// or https:// address."));
    s.listenerThreads = listenerThreads->value();
    s.workerThreads = workerThreads->value();
    s.maxConnections = maxConnections->value();
    s.maxBodyBytes = qint64(maxBodyKiB->value()) * 1024;
    s.idleTimeoutSecs = idleTimeout->value();
    s.requestTimeoutSecs = requestTimeout->value();
    s.corsOrigins = lines(corsOrigins->text());
    for (const QString &origin : std::as_const(s.corsOrigins))
        if (!httpUrl(origin))
            return fail(tr("CORS origin “%1” is not an http(s) origin.").arg(origin));
    if (const QString problem = tls->check(); !problem.isEmpty())
        return fail(problem);
    s.tlsCertificateFile = tls->certificateFile();
    s.tlsKeyFile = tls->keyFile();
    bool *on[] = {&s.namespaceSurface, &s.walletSurface, &s.pinSurface, &s.deviceSurface,
                  &s.accountSurface};
    for (int i = 0; i < 5; ++i)
        *on[i] = surfaces[i]->isChecked();
    s.namespaceAutoCreate = namespaceAutoCreate->isChecked();
    s.namespaceTokenMinutes = namespaceTokenMinutes->value();
    policy->apply(s);

    s.smtpUrl = smtpUrl->text().trimmed();
    if (!s.smtpUrl.isEmpty()) {
        QUrl url(s.smtpUrl, QUrl::StrictMode);
        if (!url.isValid() || (url.scheme() != u"smtp" && url.scheme() != u"smtps") ||
            url.host().isEmpty())
            return fail(
                tr("The SMTP URL must look like smtps://user@host:465 or smtp://host:587."));
        url.setPassword(QString()); // the password goes to the SecretStore
        s.smtpUrl = url.toString();
    }
    s.mailFrom = mailFrom->text().trimmed();
    s.smsWebhookUrl = smsWebhook->text().trimmed();
    if (!s.smsWebhookUrl.isEmpty() && !httpUrl(s.smsWebhookUrl))
        return fail(tr("The SMS webhook must be an http(s) URL."));
    if (const QString problem = oauth->problem(); !problem.isEmpty())
        return fail(problem);
    // Keep secrets that came from the environment out of the file, as they always are.
    s.oauthProviders = oauth->providers();
    s.redirectAllowlist = lines(redirectAllowlist->toPlainText());
    for (const QString &prefix : std::as_const(s.redirectAllowlist))
        if (!httpUrl(prefix) && !prefix.contains(u"://"))
            return fail(tr("Redirect prefix “%1” is not a URL.").arg(prefix));
    s.appleClientId = appleClientId->text().trimmed();
    s.appleJwksUrl = appleJwksUrl->text().trimmed();
    if (!s.appleJwksUrl.isEmpty() && !httpUrl(s.appleJwksUrl))
        return fail(tr("The Apple JWKS URL must be an http(s) URL."));
    s.database = database->text().trimmed();
    if (auto url = DatabaseUrl::parse(s.database); !url)
        return fail(url.error());
    s.secretStore = secretStoreMode->currentData().toString();
    return s;
}

QList<SettingsPage::SecretChange> SettingsPage::secretChanges(const Settings &next) const
{
    QList<SecretChange> out;
    auto field = [&out](SecretField *f, const QString &name, const QString &label) {
        if (f->change() == SecretField::Change::Replace)
            out.append({name, label, false, f->value()});
        else if (f->change() == SecretField::Change::Remove)
            out.append({name, label, true, {}});
    };
    field(telegramBotToken, SecretName::telegramBotToken, tr("Telegram bot token"));
    // A password typed into the SMTP URL moves to the SecretStore.
    const QUrl typed(smtpUrl->text().trimmed());
    if (!typed.password().isEmpty() && smtpPassword->change() == SecretField::Change::Keep)
        out.append({SecretName::smtpPassword, tr("SMTP password"), false,
                    typed.password(QUrl::FullyDecoded).toUtf8()});
    else
        field(smtpPassword, SecretName::smtpPassword, tr("SMTP password"));
    const auto typedSecrets = oauth->newSecrets();
    for (auto it = typedSecrets.constBegin(); it != typedSecrets.constEnd(); ++it)
        if (next.oauthProviders.contains(it.key()))
            out.append({SecretName::oauthClientSecret(it.key()),
                        tr("%1 client secret").arg(it.key()), false, it.value()});
    for (const QString &gone : oauth->removed())
        if (!m_context.services.secrets.value(SecretName::oauthClientSecret(gone)).isEmpty())
            out.append(
                {SecretName::oauthClientSecret(gone), tr("%1 client secret").arg(gone), true, {}});
    return out;
}

void SettingsPage::save()
{
    if (m_saving)
        return;
    QString error;
    const auto next = formSettings(&error);
    if (!next) {
        PageUi::showError(this, tr("Settings"), error);
        Q_EMIT failed(error);
        return;
    }
    const QString path = configPath();
    // saveSettingsFile() writes every provider it is given; drop the sections of the
    // ones removed here so they do not come back on the next start.
    if (const QStringList gone = oauth->removed(); !gone.isEmpty() && QFile::exists(path)) {
        QSettings ini(path, QSettings::IniFormat);
        for (const QString &name : gone)
            ini.remove(u"oauth."_s + name);
        ini.sync();
    }
    if (auto written = saveSettingsFile(*next, path); !written) {
        PageUi::showError(this, tr("Settings"), written.error());
        Q_EMIT failed(written.error());
        return;
    }
    const QStringList changed = settingsNeedingRestart(m_loaded, *next);
    AdminAudit::record(
        m_context.services.audit,
        {.action = u"settings.save"_s,
         .subject = path,
         .result = u"ok"_s,
         .detail = changed.isEmpty() ? u"no file changes"_s : changed.join(u", "_s)});
    const QStringList restart = settingsNeedingRestart(m_context.services.settings, *next);
    QString report = tr("Saved to %1.").arg(QDir::toNativeSeparators(path));
    if (!restart.isEmpty())
        report += u' ' + tr("Restart Gatehouse to apply: %1.").arg(restart.join(u", "_s));
    m_pending->setText(restart.isEmpty()
                           ? QString()
                           : tr("Saved; waiting for a restart: %1.").arg(restart.join(u", "_s)));
    m_pending->setVisible(!restart.isEmpty());
    const QList<SecretChange> secrets = secretChanges(*next);
    m_loaded = *next;
    m_saving = true;
    m_save->setEnabled(false);
    writeSecrets(secrets, {}, report);
}

// One secret at a time: the store answers asynchronously (the keychain may ask the
// person), and a failure stops the chain with the rest unwritten.
void SettingsPage::writeSecrets(QList<SecretChange> changes, QStringList done,
                                const QString &fileReport)
{
    if (changes.isEmpty()) {
        m_saving = false;
        m_save->setEnabled(true);
        QString report = fileReport;
        if (!done.isEmpty())
            report += u' ' + tr("In effect now: %1.").arg(done.join(u", "_s));
        load(m_loaded);
        Q_EMIT saved(report);
        auto *box = new QMessageBox(QMessageBox::Information, tr("Settings saved"), report,
                                    QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
        return;
    }
    const SecretChange change = changes.takeFirst();
    QPointer<SettingsPage> self(this);
    auto finished = [self, change, changes, done, fileReport](const QString &error) mutable {
        if (!self)
            return;
        Services &services = self->m_context.services;
        AdminAudit::record(services.audit,
                           {.action = change.remove ? u"secret.remove"_s : u"secret.set"_s,
                            .subject = change.name,
                            .result = error.isEmpty() ? u"ok"_s : u"error"_s,
                            .detail = error});
        if (!error.isEmpty()) {
            self->m_saving = false;
            self->m_save->setEnabled(true);
            const QString message = tr("The settings file was saved, but the %1 could not be "
                                       "stored: %2")
                                        .arg(change.label, error);
            PageUi::showError(self, tr("Settings"), message);
            Q_EMIT self->failed(message);
            return;
        }
        // Readers take secrets from here on every use: the new value is live now.
        services.secrets.set(change.name, change.remove ? QByteArray() : change.value);
        done << (change.remove ? tr("%1 removed").arg(change.label) : change.label);
        self->writeSecrets(changes, done, fileReport);
    };
    if (change.remove)
        m_context.secretStore.remove(change.name, finished);
    else
        m_context.secretStore.write(change.name, change.value, finished);
}
