// SPDX-License-Identifier: GPL-3.0-or-later
#include "delivery/mailer.h"

#include "config/secrets.h"
#include "config/settings.h"
#include "crypto/random.h"
#include "delivery/curlapi.h"
#include "delivery/curlsupport.h"

#include <QDateTime>
#include <QHostAddress>
#include <QLocale>
#include <QUrl>
#include <QUrlQuery>

#include <cstring>

using namespace Qt::StringLiterals;

namespace {

struct Upload
{
    QByteArray data;
    qsizetype offset = 0;
};

size_t readChunk(char *buffer, size_t size, size_t count, void *userdata)
{
    auto *upload = static_cast<Upload *>(userdata);
    const qsizetype room = qsizetype(size * count);
    const qsizetype left = upload->data.size() - upload->offset;
    const qsizetype n = qMin(room, left);
    std::memcpy(buffer, upload->data.constData() + upload->offset, size_t(n));
    upload->offset += n;
    return size_t(n);
}

QString headerSafe(QString value)
{
    value.remove(u'\r').remove(u'\n');
    return value;
}

bool isAscii(const QString &text)
{
    for (QChar c : text)
        if (c.unicode() > 126 || (c.unicode() < 32 && c != u'\n' && c != u'\r' && c != u'\t'))
            return false;
    return true;
}

QByteArray encodedWord(const QString &text)
{
    if (isAscii(text))
        return text.toUtf8();
    return "=?UTF-8?B?" + text.toUtf8().toBase64() + "?=";
}

QByteArray crlfLines(const QString &body)
{
    QString normal = body;
    normal.replace(u"\r\n"_s, u"\n"_s).replace(u'\r', u'\n');
    return normal.toUtf8().replace("\n", "\r\n");
}

bool linesShort(const QByteArray &text)
{
    for (const QByteArray &line : text.split('\n'))
        if (line.size() > 900)
            return false;
    return true;
}

QByteArray base64Lines(const QByteArray &raw)
{
    const QByteArray encoded = raw.toBase64();
    QByteArray out;
    for (qsizetype i = 0; i < encoded.size(); i += 76)
        out += encoded.mid(i, 76) + "\r\n";
    return out;
}

// The mailbox part of "Name <addr>" (or the whole string).
QByteArray envelopeAddress(const QString &address)
{
    const qsizetype open = address.lastIndexOf(u'<');
    const qsizetype close = address.lastIndexOf(u'>');
    const QString bare =
        open >= 0 && close > open ? address.mid(open + 1, close - open - 1) : address.trimmed();
    return '<' + headerSafe(bare).toUtf8() + '>';
}

} // namespace

Mailer::Mailer(const Settings &settings, const Secrets &secrets)
    : m_settings(settings), m_secrets(secrets)
{}

bool Mailer::configured() const
{
    return !m_settings.smtpUrl.trimmed().isEmpty();
}

QString Mailer::fromAddress() const
{
    if (!m_settings.mailFrom.trimmed().isEmpty())
        return m_settings.mailFrom.trimmed();
    QString host = QUrl(m_settings.publicUrl).host();
    if (host.isEmpty() || !host.contains(u'.') || !QHostAddress(host).isNull())
        host = u"localhost"_s;
    return u"Gatehouse <gatehouse@"_s + host + u'>';
}

QByteArray Mailer::buildMessage(const QString &from, const QString &to, const QString &subject,
                                const QString &body, qint64 nowMs)
{
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(nowMs, Qt::UTC);
    QString domain = QString::fromUtf8(envelopeAddress(from));
    domain = domain.mid(domain.indexOf(u'@') + 1).chopped(1);
    if (domain.isEmpty())
        domain = u"localhost"_s;
    QByteArray out;
    out += "Date: " + QLocale::c().toString(now, u"ddd, dd MMM yyyy hh:mm:ss '+0000'").toLatin1();
    out += "\r\nFrom: " + headerSafe(from).toUtf8();
    out += "\r\nTo: " + headerSafe(to).toUtf8();
    out += "\r\nSubject: " + encodedWord(headerSafe(subject));
    out += "\r\nMessage-ID: <" + Random::urlToken(18).toLatin1() + '@' + domain.toUtf8() + '>';
    out += "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n";
    const QByteArray text = crlfLines(body);
    if (isAscii(body) && linesShort(text))
        out += "Content-Transfer-Encoding: 7bit\r\n\r\n" + text;
    else
        out += "Content-Transfer-Encoding: base64\r\n\r\n" + base64Lines(body.toUtf8());
    if (!out.endsWith("\r\n"))
        out += "\r\n";
    return out;
}

Result<Done> Mailer::send(const QString &to, const QString &subject, const QString &body,
                          const std::atomic<bool> *cancel) const
{
    using R = Result<Done>;
    QUrl url(m_settings.smtpUrl.trimmed(), QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty() || (scheme != u"smtp" && scheme != u"smtps"))
        return R::failure(Refusal::Kind::InvalidInput,
                          u"the SMTP URL must look like smtp://host:port or smtps://host:port"_s);
    const QString starttls = QUrlQuery(url).queryItemValue(u"starttls"_s).toLower();
    const QByteArray user = url.userName(QUrl::FullyDecoded).toUtf8();
    QByteArray password = url.password(QUrl::FullyDecoded).toUtf8();
    if (password.isEmpty())
        password = m_secrets.value(SecretName::smtpPassword);
    QUrl target;
    target.setScheme(scheme);
    target.setHost(url.host());
    target.setPort(url.port());
    // The EHLO name: the public host when it is a DNS name, else curl's default.
    const QString ehlo = QUrl(m_settings.publicUrl).host();
    if (ehlo.contains(u'.') && QHostAddress(ehlo).isNull())
        target.setPath(u"/"_s + ehlo);
    const QByteArray targetText = target.toEncoded();

    const QString from = fromAddress();
    Upload upload{buildMessage(from, to, subject, body, QDateTime::currentMSecsSinceEpoch())};
    const QByteArray mailFrom = envelopeAddress(from);
    const QByteArray rcpt = envelopeAddress(to);

    CurlSupport::Easy easy;
    CURL *curl = easy.handle;
    curl_slist *recipients = Curl::slistAppend(nullptr, rcpt.constData());
    Curl::setopt(curl, CURLOPT_URL, targetText.constData());
    Curl::setopt(curl, CURLOPT_MAIL_FROM, mailFrom.constData());
    Curl::setopt(curl, CURLOPT_MAIL_RCPT, recipients);
    Curl::setopt(curl, CURLOPT_READFUNCTION, &readChunk);
    Curl::setopt(curl, CURLOPT_READDATA, &upload);
    Curl::setopt(curl, CURLOPT_UPLOAD, 1L);
    if (scheme == u"smtp")
        Curl::setopt(curl, CURLOPT_USE_SSL,
                     starttls == u"required" ? long(CURLUSESSL_ALL)
                     : starttls == u"off"    ? long(CURLUSESSL_NONE)
                                             : long(CURLUSESSL_TRY));
    if (!user.isEmpty()) {
        Curl::setopt(curl, CURLOPT_USERNAME, user.constData());
        Curl::setopt(curl, CURLOPT_PASSWORD, password.constData());
    }
    CurlSupport::setCancel(easy, cancel);
    const CURLcode code = Curl::perform(curl);
    Curl::slistFreeAll(recipients);
    if (code != CURLE_OK)
        return R::failure(Refusal::Kind::ProviderUnreachable, u"SMTP: "_s + easy.error(code));
    return Done{};
}
