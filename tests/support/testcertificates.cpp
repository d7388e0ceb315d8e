// SPDX-License-Identifier: GPL-3.0-or-later
#include "testcertificates.h"

#include <QProcess>

bool TestCertificates::make(const QString &dir, const QString &name, Key key)
{
    QStringList args = {u"req"_qs, u"-x509"_qs};
    switch (key) {
    case Key::Ec:
        args << u"-newkey"_qs << u"ec"_qs << u"-pkeyopt"_qs << u"ec_paramgen_curve:prime256v1"_qs
             << u"-nodes"_qs;
        break;
    case Key::Rsa:
        args << u"-newkey"_qs << u"rsa:2048"_qs << u"-nodes"_qs;
        break;
    case Key::RsaWithPassphrase:
        args << u"-newkey"_qs << u"rsa:2048"_qs << u"-passout"_qs << u"pass:secret"_qs;
        break;
    }
    args << u"-keyout"_qs << dir + u'/' + name + u"-key.pem"_qs << u"-out"_qs
         << dir + u'/' + name + u"-cert.pem"_qs << u"-days"_qs << u"30"_qs << u"-subj"_qs
         << u"/CN=localhost"_qs << u"-addext"_qs << u"subjectAltName=DNS:localhost,IP:127.0.0.1"_qs;
    QProcess openssl;
    openssl.start(u"openssl"_qs, args);
    return openssl.waitForFinished(30000) && openssl.exitStatus() == QProcess::NormalExit &&
           openssl.exitCode() == 0;
}

QSslCertificate TestCertificates::read(const QString &certificateFile)
{
    const auto list = QSslCertificate::fromPath(certificateFile);
    return list.isEmpty() ? QSslCertificate() : list.first();
}
