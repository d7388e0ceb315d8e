// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSslCertificate>
#include <QString>

// Self-signed certificates for localhost and 127.0.0.1, made by the openssl command:
// DIR/NAME-cert.pem and DIR/NAME-key.pem.
namespace TestCertificates {
enum class Key { Ec, Rsa, RsaWithPassphrase };
bool make(const QString &dir, const QString &name, Key key);
QSslCertificate read(const QString &certificateFile);
} // namespace TestCertificates
