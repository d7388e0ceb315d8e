// SPDX-License-Identifier: GPL-3.0-or-later
#include "import/originimport.h"

#include "services.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace OriginImport {

Result<Origins::Outcome> applyTo(Services &services, const Origins::Read &read, bool dryRun,
                                 const Origins::Progress &progress)
{
    // The overload with the API token store: an origin's tokens are stored hashed in the
    // import's transaction (tst_importdialog's lncrawl case checks).
    return Origins::apply(*services.db, services.apiTokens, read,
                          services.namespaceAuth.fingerprint(), services.clock.nowMs(), dryRun,
                          progress);
}

QString commandName(Origins::Kind kind)
{
    switch (kind) {
    case Origins::Kind::Lncrawl:
        return u"lncrawl"_s;
    case Origins::Kind::Ambrosia:
        return u"ambrosia"_s;
    case Origins::Kind::Hapi:
        return u"hapi"_s;
    }
    return {};
}

QString displayName(Origins::Kind kind)
{
    switch (kind) {
    case Origins::Kind::Lncrawl:
        return QCoreApplication::translate("OriginImport", "lightnovel-crawler");
    case Origins::Kind::Ambrosia:
        return QCoreApplication::translate("OriginImport", "Ambrosia POS");
    case Origins::Kind::Hapi:
        return QCoreApplication::translate("OriginImport", "hapi");
    }
    return {};
}

QString sourceForAudit(const QString &source)
{
    if (!source.startsWith(u"postgres"))
        return source;
    return QUrl(source).toString(QUrl::RemovePassword);
}

} // namespace OriginImport
