// SPDX-License-Identifier: GPL-3.0-or-later
#include "providers/outboundhttp.h"

#include "delivery/curlsupport.h"

#include <QUrl>
#include <curl/curl.h>

using namespace Qt::StringLiterals;

namespace OutboundHttp {
namespace {

struct Sink
{
    QByteArray *body;
    qint64 maxBytes;
    bool tooLarge = false;
};

size_t collect(char *data, size_t size, size_t count, void *user)
{
    auto *sink = static_cast<Sink *>(user);
    const size_t n = size * count;
    if (sink->body->size() + qint64(n) > sink->maxBytes) {
        sink->tooLarge = true;
        return 0; // aborts the transfer
    }
    sink->body->append(data, qsizetype(n));
    return n;
}

Reply perform(const QString &url, const QByteArray *postBody, const Options &options)
{
    Reply reply;
    const QUrl parsed(url, QUrl::StrictMode);
    const QString scheme = parsed.scheme().toLower();
    if (!parsed.isValid() || parsed.host().isEmpty() || (scheme != u"http" && scheme != u"https")) {
        reply.error = u"not an http(s) URL: %1"_s.arg(url);
        return reply;
    }
    const QByteArray target = parsed.toEncoded();
    CurlSupport::Easy easy;
    CURL *curl = easy.handle;
    curl_slist *headers = nullptr;
    for (const auto &[name, value] : options.headers)
        headers = curl_slist_append(headers, (name + ": " + value).constData());
    headers = curl_slist_append(headers, "Accept: application/json");
    Sink sink{&reply.body, options.maxBytes};
    curl_easy_setopt(curl, CURLOPT_URL, target.constData());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, long(options.connectTimeoutMs));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, long(options.timeoutMs));
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "Gatehouse/" GATEHOUSE_VERSION);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
    if (postBody) {
        curl_easy_setopt(curl, CURLOPT_POST, 1L);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, postBody->constData());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, long(postBody->size()));
    }
    const CURLcode code = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    if (code != CURLE_OK) {
        reply.error = sink.tooLarge ? u"response larger than %1 bytes"_s.arg(options.maxBytes)
                                    : easy.error(int(code));
        reply.body.clear();
        return reply;
    }
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    char *type = nullptr;
    curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &type);
    reply.contentType = type ? QByteArray(type) : QByteArray();
    reply.status = int(status);
    return reply;
}

} // namespace

Reply get(const QString &url, const Options &options)
{
    return perform(url, nullptr, options);
}

QByteArray encodeForm(const Form &form)
{
    QByteArray out;
    for (const auto &[name, value] : form) {
        if (!out.isEmpty())
            out += '&';
        out += QUrl::toPercentEncoding(name) + '=' + QUrl::toPercentEncoding(value);
    }
    return out;
}

Reply postForm(const QString &url, const Form &form, const Options &options)
{
    Options withType = options;
    withType.headers.append(
        std::pair<QByteArray, QByteArray>("Content-Type", "application/x-www-form-urlencoded"));
    const QByteArray body = encodeForm(form);
    return perform(url, &body, withType);
}

} // namespace OutboundHttp
