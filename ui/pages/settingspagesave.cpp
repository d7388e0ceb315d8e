// SPDX-License-Identifier: GPL-3.0-or-later
// SettingsPage, the other half: reading the form, writing the file and the secrets.
#include "adminaudit.h"
#include "config/secrets.h"
#include "config/secretstore.h"
#include "config/settingschanges.h"
#include "consolecontext.h"
#include "pages/settingspage.h"
#include "services.h"
#include "storage/databaseurl.h"
#include "widgets/oauthtable.h"
#include "widgets/policyfields.h"
#include "widgets/secretfield.h"
#include "widgets/tables.h"
#include "widgets/tlsfields.h"

#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace {

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
    m_fields.apply(s); // the numbers, switches and plain text fields
    s.corsOrigins = lines(corsOrigins->text());
    for (const QString &origin : std::as_const(s.corsOrigins))
        if (!httpUrl(origin))
            return fail(tr("CORS origin “%1” is not an http(s) origin.").arg(origin));
    if (const QString problem = tls->check(); !problem.isEmpty())
        return fail(problem);
    s.tlsCertificateFile = tls->certificateFile();
    s.tlsKeyFile = tls->keyFile();
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
