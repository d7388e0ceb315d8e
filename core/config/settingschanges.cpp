// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/settingschanges.h"

#include "config/settingstable.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace {

bool providersDiffer(const Settings &a, const Settings &b)
{
    if (a.oauthProviders.keys() != b.oauthProviders.keys())
        return true;
    for (const SettingSpec &spec : settingsTable()) {
        if (!spec.perProvider() || spec.secret)
            continue;
        for (const OAuthProviderSettings &p : b.oauthProviders)
            if (providerValue(p, spec) != providerValue(a.oauthProviders.value(p.name), spec))
                return true;
    }
    return false;
}

} // namespace

namespace {

bool differs(const Settings &a, const Settings &b, const SettingSpec &spec, bool providers)
{
    return spec.perProvider() ? providers : settingValue(a, spec) != settingValue(b, spec);
}

} // namespace

QStringList settingsNeedingRestart(const Settings &a, const Settings &b)
{
    QStringList out;
    const bool providers = providersDiffer(a, b);
    for (const SettingSpec &spec : settingsTable()) {
        if (spec.applies == Applies::AtOnce || !spec.group)
            continue;
        const QString what = QCoreApplication::translate("Settings", spec.group);
        if (differs(a, b, spec, providers) && !out.contains(what))
            out << what;
    }
    return out;
}

QStringList settingsAReloadCannotApply(const Settings &a, const Settings &b)
{
    QStringList out;
    const bool providers = providersDiffer(a, b);
    for (const SettingSpec &spec : settingsTable()) {
        if (spec.applies != Applies::AtRestart || spec.secret)
            continue;
        const QString key = spec.perProvider() ? u"oauth.*"_s : spec.key;
        if (differs(a, b, spec, providers) && !out.contains(key))
            out << key;
    }
    // HTTPS on or off changes the listeners; a new certificate for HTTPS that stays on
    // is applied.
    if (a.servesTls() != b.servesTls())
        out << u"server/tls_certificate (HTTPS on or off)"_s;
    return out;
}
