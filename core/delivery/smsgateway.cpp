// SPDX-License-Identifier: GPL-3.0-or-later
#include "delivery/smsgateway.h"

#include "config/settings.h"
#include "delivery/curlapi.h"
#include "delivery/curlsupport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace {

size_t discard(char *, size_t size, size_t count, void *)
{
    return size * count;
}

} // namespace

bool SmsGateway::configured() const
{
    return !m_settings.smsWebhookUrl.trimmed().isEmpty();
}

Result<Done> SmsGateway::send(const QString &to, const QString &text,
                              const std::atomic<bool> *cancel) const
{
    using R = Result<Done>;
    const QUrl url(m_settings.smsWebhookUrl.trimmed(), QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty() || (scheme != u"http" && scheme != u"https"))
        return R::failure(Refusal::Kind::InvalidInput,
                          u"the SMS webhook URL must be an http:// or https:// URL"_s);
    const QByteArray target = url.toEncoded();
    const QByteArray payload =
        QJsonDocument(QJsonObject{{u"to"_s, to}, {u"text"_s, text}}).toJson(QJsonDocument::Compact);

    CurlSupport::Easy easy;
    CURL *curl = easy.handle;
    curl_slist *headers = Curl::slistAppend(nullptr, "Content-Type: application/json");
    Curl::setopt(curl, CURLOPT_URL, target.constData());
    Curl::setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    Curl::setopt(curl, CURLOPT_HTTPHEADER, headers);
    Curl::setopt(curl, CURLOPT_POSTFIELDS, payload.constData());
    Curl::setopt(curl, CURLOPT_POSTFIELDSIZE, long(payload.size()));
    Curl::setopt(curl, CURLOPT_WRITEFUNCTION, &discard);
    CurlSupport::setCancel(easy, cancel);
    const CURLcode code = Curl::perform(curl);
    long status = 0;
    Curl::getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    Curl::slistFreeAll(headers);
    if (code != CURLE_OK)
        return R::failure(Refusal::Kind::ProviderUnreachable,
                          u"SMS gateway: "_s + easy.error(code));
    if (status < 200 || status > 299)
        return R::failure(Refusal::Kind::ProviderUnreachable,
                          u"SMS gateway answered HTTP %1"_s.arg(status));
    return Done{};
}
