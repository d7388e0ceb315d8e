// SPDX-License-Identifier: GPL-3.0-or-later
#include "delivery/curlapi.h"

#include <QByteArray>
#include <QLibrary>

using namespace Qt::StringLiterals;

namespace {

struct Loaded
{
    Curl::Api api{};
    bool ok = false;
    QByteArray error;
};

template <typename F> bool resolve(QLibrary &library, const char *name, F &slot)
{
    slot = reinterpret_cast<F>(library.resolve(name));
    return slot != nullptr;
}

Loaded load()
{
    Loaded loaded;
    // libcurl.so.4 on Linux (ABI 4 since 2006), libcurl.4.dylib on macOS; never unloaded:
    // curl keeps global state for the life of the process.
    QLibrary library(u"curl"_s, 4);
    if (!library.load()) {
        library.setFileName(u"libcurl"_s); // Windows' libcurl.dll
        if (!library.load()) {
            loaded.error = "libcurl could not be loaded: " + library.errorString().toUtf8();
            return loaded;
        }
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
        loaded.error = "libcurl lacks a function Gatehouse needs";
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
