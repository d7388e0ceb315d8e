// SPDX-License-Identifier: GPL-3.0-or-later
#include "delivery/curlapi.h"

#include <QByteArray>

#include <dlfcn.h>

namespace {

struct Loaded
{
    Curl::Api api{};
    bool ok = false;
    QByteArray error;
};

template <typename F> bool resolve(void *library, const char *name, F &slot)
{
    slot = reinterpret_cast<F>(dlsym(library, name));
    return slot != nullptr;
}

Loaded load()
{
    Loaded loaded;
    // The SONAME libcurl4 (Debian) and every other current libcurl ship; ABI 4 since 2006.
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        loaded.error = "libcurl could not be loaded: " + QByteArray(dlerror());
        return loaded;
    }
    Curl::Api &a = loaded.api;
    loaded.ok = resolve(library, "curl_global_init", a.globalInit) &&
                resolve(library, "curl_easy_init", a.init) &&
                resolve(library, "curl_easy_cleanup", a.cleanup) &&
                resolve(library, "curl_easy_setopt", a.setopt) &&
                resolve(library, "curl_easy_getinfo", a.getinfo) &&
                resolve(library, "curl_easy_perform", a.perform) &&
                resolve(library, "curl_easy_strerror", a.strerror) &&
                resolve(library, "curl_slist_append", a.slistAppend) &&
                resolve(library, "curl_slist_free_all", a.slistFreeAll);
    if (!loaded.ok)
        loaded.error = "libcurl.so.4 lacks a function Gatehouse needs";
    // Never unloaded: curl keeps global state for the life of the process.
    return loaded;
}

const Loaded &loaded()
{
    static const Loaded once = load(); // thread-safe initialisation
    return once;
}

} // namespace

namespace Curl {

const Api *api()
{
    return loaded().ok ? &loaded().api : nullptr;
}

const char *loadError()
{
    return loaded().error.constData();
}

} // namespace Curl
