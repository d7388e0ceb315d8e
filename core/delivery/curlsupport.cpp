// SPDX-License-Identifier: GPL-3.0-or-later
#include "delivery/curlsupport.h"

#include <curl/curl.h>

#include <mutex>

namespace {

int progress(void *data, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    const auto *cancel = static_cast<const std::atomic<bool> *>(data);
    return cancel && cancel->load() ? 1 : 0;
}

} // namespace

namespace CurlSupport {

Easy::Easy()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    handle = curl_easy_init();
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(handle, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, errorBuffer);
}

Easy::~Easy()
{
    curl_easy_cleanup(handle);
}

QString Easy::error(int code) const
{
    const QString detail = QString::fromUtf8(errorBuffer).trimmed();
    return detail.isEmpty() ? QString::fromUtf8(curl_easy_strerror(CURLcode(code))) : detail;
}

void setCancel(Easy &easy, const std::atomic<bool> *cancel)
{
    curl_easy_setopt(easy.handle, CURLOPT_XFERINFOFUNCTION, &progress);
    curl_easy_setopt(easy.handle, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool> *>(cancel));
    curl_easy_setopt(easy.handle, CURLOPT_NOPROGRESS, 0L);
}

} // namespace CurlSupport
