// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/settingschanges.h"

#include "config/settingstable.h"

#include <QCoreApplication>

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

QStringList settingsNeedingRestart(const Settings &a, const Settings &b)
{
    QStringList out;
    const bool providers = providersDiffer(a, b);
    for (const SettingSpec &spec : settingsTable()) {
        if (spec.applies != Applies::AtRestart || !spec.group)
            continue;
        const bool differs =
            spec.perProvider() ? providers : settingValue(a, spec) != settingValue(b, spec);
        const QString what = QCoreApplication::translate("Settings", spec.group);
        if (differs && !out.contains(what))
            out << what;
    }
    return out;
}
