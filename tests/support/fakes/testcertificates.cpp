// SPDX-License-Identifier: GPL-3.0-or-later
#include "testcertificates.h"

#include <QProcess>

using namespace Qt::StringLiterals;

bool TestCertificates::make(const QString &dir, const QString &name, Key key)
{
    QStringList args = {u"req"_s, u"-x509"_s};
    switch (key) {
    case Key::Ec:
        args << u"-newkey"_s << u"ec"_s << u"-pkeyopt"_s << u"ec_paramgen_curve:prime256v1"_s
             << u"-nodes"_s;
        break;
    case Key::Rsa:
        args << u"-newkey"_s << u"rsa:2048"_s << u"-nodes"_s;
        break;
    case Key::RsaWithPassphrase:
        args << u"-newkey"_s << u"rsa:2048"_s << u"-passout"_s << u"pass:secret"_s;
        break;
    }
    args << u"-keyout"_s << dir + u'/' + name + u"-key.pem"_s << u"-out"_s
         << dir + u'/' + name + u"-cert.pem"_s << u"-days"_s << u"30"_s << u"-subj"_s
         << u"/CN=localhost"_s << u"-addext"_s << u"subjectAltName=DNS:localhost,IP:127.0.0.1"_s;
    QProcess openssl;
    openssl.start(u"openssl"_s, args);
    return openssl.waitForFinished(30000) && openssl.exitStatus() == QProcess::NormalExit &&
           openssl.exitCode() == 0;
}

QSslCertificate TestCertificates::read(const QString &certificateFile)
{
    const auto list = QSslCertificate::fromPath(certificateFile);
    return list.isEmpty() ? QSslCertificate() : list.first();
}
