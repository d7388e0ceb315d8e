// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/tlsidentity.h"

#include "crypto/opensslhandle.h"

#include <QFile>
#include <QSslKey>
#include <openssl/pem.h>

using namespace Qt::StringLiterals;

namespace {

Result<QByteArray> readFile(const QString &path, const char *what)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Result<QByteArray>::failure(Refusal::Kind::InvalidInput,
                                           u"cannot read the TLS %1 file %2: %3"_s.arg(
                                               QLatin1StringView(what), path, file.errorString()));
    return file.readAll();
}

// Whether `keyPem` is the private half of the leaf certificate in `certPem`.
bool keyMatches(const QByteArray &certPem, const QByteArray &keyPem)
{
    const OpenSsl::Bio certBio(BIO_new_mem_buf(certPem.constData(), int(certPem.size())));
    const OpenSsl::Bio keyBio(BIO_new_mem_buf(keyPem.constData(), int(keyPem.size())));
    if (!certBio || !keyBio)
        return false;
    const OpenSsl::Certificate cert(PEM_read_bio_X509(certBio.get(), nullptr, nullptr, nullptr));
    // An empty passphrase callback: an encrypted key fails here instead of prompting.
    const OpenSsl::PKey key(PEM_read_bio_PrivateKey(
        keyBio.get(), nullptr, [](char *, int, int, void *) { return 0; }, nullptr));
    return cert && key && X509_check_private_key(cert.get(), key.get()) == 1;
}

} // namespace

Result<TlsIdentity> loadTlsIdentity(const QString &certificateFile, const QString &keyFile)
{
    using R = Result<TlsIdentity>;
    const auto certPem = readFile(certificateFile, "certificate");
    if (!certPem)
        return R::failure(certPem.refusal());
    const auto keyPem = readFile(keyFile, "key");
    if (!keyPem)
        return R::failure(keyPem.refusal());

    const QList<QSslCertificate> chain = QSslCertificate::fromData(*certPem, QSsl::Pem);
    if (chain.isEmpty() || chain.first().isNull())
        return R::failure(Refusal::Kind::InvalidInput,
                          u"no PEM certificate in %1 (expected -----BEGIN CERTIFICATE-----)"_s.arg(
                              certificateFile));
    QSslKey key;
    for (QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec}) {
        key = QSslKey(*keyPem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            break;
    }
    if (key.isNull())
        return R::failure(Refusal::Kind::InvalidInput,
                          u"no usable private key in %1 (expected an unencrypted "
                          u"PEM RSA or EC key)"_s.arg(keyFile));
    if (!keyMatches(*certPem, *keyPem))
        return R::failure(Refusal::Kind::InvalidInput,
                          u"the key in %1 does not belong to the certificate in %2"_s.arg(
                              keyFile, certificateFile));

    TlsIdentity identity;
    QSslConfiguration &c = identity.configuration;
    c = QSslConfiguration::defaultConfiguration();
    c.setLocalCertificateChain(chain);
    c.setPrivateKey(key);
    c.setPeerVerifyMode(QSslSocket::VerifyNone); // clients are not asked for certificates
    c.setProtocol(QSsl::TlsV1_2OrLater);
    const QSslCertificate &leaf = chain.first();
    const QStringList names = leaf.subjectInfo(QSslCertificate::CommonName);
    const QStringList dns = leaf.subjectAlternativeNames().values(QSsl::DnsEntry);
    identity.subject = !names.isEmpty() ? names.first() : (dns.isEmpty() ? QString() : dns.first());
    identity.expires = leaf.expiryDate();
    return identity;
}
