// SPDX-License-Identifier: GPL-3.0-or-later
#include "providers/outboundhttp.h"

#include "delivery/curlapi.h"
#include "delivery/curlsupport.h"

#include <QUrl>

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
        headers = Curl::slistAppend(headers, (name + ": " + value).constData());
    headers = Curl::slistAppend(headers, "Accept: application/json");
    Sink sink{&reply.body, options.maxBytes};
    Curl::setopt(curl, CURLOPT_URL, target.constData());
    Curl::setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    Curl::setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    Curl::setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, long(options.connectTimeoutMs));
    Curl::setopt(curl, CURLOPT_TIMEOUT_MS, long(options.timeoutMs));
    Curl::setopt(curl, CURLOPT_USERAGENT, "Gatehouse/" GATEHOUSE_VERSION);
    Curl::setopt(curl, CURLOPT_HTTPHEADER, headers);
    Curl::setopt(curl, CURLOPT_WRITEFUNCTION, &collect);
    Curl::setopt(curl, CURLOPT_WRITEDATA, &sink);
    if (postBody) {
        Curl::setopt(curl, CURLOPT_POST, 1L);
        Curl::setopt(curl, CURLOPT_POSTFIELDS, postBody->constData());
        Curl::setopt(curl, CURLOPT_POSTFIELDSIZE, long(postBody->size()));
    }
    const CURLcode code = Curl::perform(curl);
    Curl::slistFreeAll(headers);
    if (code != CURLE_OK) {
        reply.error = sink.tooLarge ? u"response larger than %1 bytes"_s.arg(options.maxBytes)
                                    : easy.error(int(code));
        reply.body.clear();
        return reply;
    }
    long status = 0;
    Curl::getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    char *type = nullptr;
    Curl::getinfo(curl, CURLINFO_CONTENT_TYPE, &type);
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
