// SPDX-License-Identifier: GPL-3.0-or-later
#include "delivery/curlsupport.h"

#include "delivery/curlapi.h"

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
    std::call_once(once, [] {
        if (Curl::api())
            Curl::api()->globalInit(CURL_GLOBAL_DEFAULT);
    });
    handle = Curl::init();
    Curl::setopt(handle, CURLOPT_NOSIGNAL, 1L);
    Curl::setopt(handle, CURLOPT_CONNECTTIMEOUT, 10L);
    Curl::setopt(handle, CURLOPT_TIMEOUT, 60L);
    Curl::setopt(handle, CURLOPT_ERRORBUFFER, errorBuffer);
}

Easy::~Easy()
{
    Curl::cleanup(handle);
}

QString Easy::error(int code) const
{
    const QString detail = QString::fromUtf8(errorBuffer).trimmed();
    return detail.isEmpty() ? QString::fromUtf8(Curl::strerror(CURLcode(code))) : detail;
}

void setCancel(Easy &easy, const std::atomic<bool> *cancel)
{
    Curl::setopt(easy.handle, CURLOPT_XFERINFOFUNCTION, &progress);
    Curl::setopt(easy.handle, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool> *>(cancel));
    Curl::setopt(easy.handle, CURLOPT_NOPROGRESS, 0L);
}

} // namespace CurlSupport
