// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// libcurl, loaded on first use (QLibrary: libcurl.so.4) instead of linked: linking it put
// libcurl and what it links (GnuTLS, LDAP, Kerberos, SSH, RTMP, …; ~3 MiB of resident pages)
// in every process at start, although only mail, SMS and OAuth provider calls use it. These
// wrappers take curl's own types; when the library cannot be loaded, every call fails with
// CURLE_FAILED_INIT and strerror() says why.
#include <curl/curl.h>

#include <type_traits>

namespace Curl {

struct Api
{
    CURLcode (*globalInit)(long flags);
    CURL *(*init)();
    void (*cleanup)(CURL *handle);
    CURLcode (*setopt)(CURL *handle, CURLoption option, ...);
    CURLcode (*getinfo)(CURL *handle, CURLINFO info, ...);
    CURLcode (*perform)(CURL *handle);
    const char *(*strerror)(CURLcode code);
    curl_slist *(*slistAppend)(curl_slist *list, const char *text);
    void (*slistFreeAll)(curl_slist *list);
};

// The loaded library, or nullptr (loadError() says why). Loads once, thread-safe.
const Api *api();
const char *loadError();

inline CURL *init()
{
    return api() ? api()->init() : nullptr;
}

inline void cleanup(CURL *handle)
{
    if (api() && handle)
        api()->cleanup(handle);
}

// What curl's varargs accept: a long, a curl_off_t or a pointer (data or function).
template <typename T> CURLcode setopt(CURL *handle, CURLoption option, T value)
{
    static_assert(std::is_pointer_v<T> || std::is_same_v<T, long> ||
                      std::is_same_v<T, curl_off_t> || std::is_null_pointer_v<T>,
                  "curl options take long, curl_off_t or a pointer");
    return api() && handle ? api()->setopt(handle, option, value) : CURLE_FAILED_INIT;
}

template <typename T> CURLcode getinfo(CURL *handle, CURLINFO info, T *out)
{
    return api() && handle ? api()->getinfo(handle, info, out) : CURLE_FAILED_INIT;
}

inline CURLcode perform(CURL *handle)
{
    return api() && handle ? api()->perform(handle) : CURLE_FAILED_INIT;
}

inline const char *strerror(CURLcode code)
{
    return api() ? api()->strerror(code) : loadError();
}

inline curl_slist *slistAppend(curl_slist *list, const char *text)
{
    return api() ? api()->slistAppend(list, text) : nullptr;
}

inline void slistFreeAll(curl_slist *list)
{
    if (api() && list)
        api()->slistFreeAll(list);
}

} // namespace Curl
