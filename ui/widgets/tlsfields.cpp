// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/tlsfields.h"

#include "config/tlsidentity.h"
#include "widgets/tables.h"

#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

TlsFields::TlsFields(QWidget *parent)
    : QWidget(parent), certificate(new QLineEdit), key(new QLineEdit),
      m_status(PageUi::hint(QString()))
{
    certificate->setPlaceholderText(tr("fullchain.pem (empty: plain HTTP behind a TLS proxy)"));
    key->setPlaceholderText(tr("privkey.pem (unencrypted RSA or EC key)"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(withBrowse(certificate, tr("TLS certificate chain (PEM)")));
    layout->addWidget(withBrowse(key, tr("TLS private key (PEM)")));
    layout->addWidget(m_status);
    m_status->setWordWrap(true);
    for (QLineEdit *edit : {certificate, key})
        connect(edit, &QLineEdit::editingFinished, this, [this] { check(); });
}

QWidget *TlsFields::withBrowse(QLineEdit *edit, const QString &title)
{
    auto *row = new QWidget;
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *browse = new QPushButton(tr("Browse…"));
    layout->addWidget(edit, 1);
    layout->addWidget(browse);
    edit->setAccessibleName(title);
    connect(browse, &QPushButton::clicked, this, [this, edit, title] {
        const QString file = QFileDialog::getOpenFileName(
            this, title, edit->text(), tr("PEM files (*.pem *.crt *.key);;All files (*)"));
        if (file.isEmpty())
            return;
        edit->setText(file);
        check();
    });
    return row;
}

void TlsFields::setFiles(const QString &certificateFile, const QString &keyFile)
{
    certificate->setText(certificateFile);
    key->setText(keyFile);
    check();
}

QString TlsFields::certificateFile() const
{
    const QString name = certificate->text().trimmed();
    return name.isEmpty() ? name : QDir(m_baseDir).absoluteFilePath(name);
}

QString TlsFields::keyFile() const
{
    const QString name = key->text().trimmed();
    return name.isEmpty() ? name : QDir(m_baseDir).absoluteFilePath(name);
}

QString TlsFields::check()
{
    QString problem;
    if (certificateFile().isEmpty() && keyFile().isEmpty()) {
        m_status->setText(tr("Plain HTTP. Put a TLS proxy (Caddy, nginx) in front of Gatehouse; "
                             "cookies are marked Secure when it sends X-Forwarded-Proto: https."));
    } else if (certificateFile().isEmpty() || keyFile().isEmpty()) {
        problem = tr("HTTPS needs both a certificate file and a key file.");
    } else if (const auto tls = loadTlsIdentity(certificateFile(), keyFile()); !tls) {
        problem = tls.error();
    } else {
        const bool expired = tls->expires < QDateTime::currentDateTimeUtc();
        m_status->setText(
            (expired ? tr("HTTPS for %1; the certificate EXPIRED on %2.")
                     : tr("HTTPS for %1; the certificate expires on %2."))
                .arg(tls->subject.isEmpty() ? tr("(no name)") : tls->subject,
                     QLocale().toString(tls->expires.toLocalTime().date(), QLocale::LongFormat)));
    }
    if (!problem.isEmpty())
        m_status->setText(problem);
    m_status->setStyleSheet(problem.isEmpty() ? QString() : u"color: #b3261e;"_s);
    return problem;
}
