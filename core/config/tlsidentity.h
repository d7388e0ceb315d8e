// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"

#include <QDateTime>
#include <QSslConfiguration>

// The HTTPS side of a listener: a certificate chain and its private key from PEM files.
struct TlsIdentity
{
    QSslConfiguration configuration;
    QString subject; // the leaf's common name, or its first DNS name
    QDateTime expires;
};

// Reads and checks the pair: both readable, a PEM chain, an unencrypted RSA or EC key that
// belongs to the leaf certificate. Every failure says which file and why.
Result<TlsIdentity> loadTlsIdentity(const QString &certificateFile, const QString &keyFile);
