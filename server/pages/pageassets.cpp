// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/pageassets.h"

#include <QFile>

using namespace Qt::StringLiterals;

namespace PageAssets {

Response file(const QString &name)
{
    QFile in(u":/pages/"_s + name);
    if (name.contains(u'/') || !in.open(QIODevice::ReadOnly))
        return Response::text("Not found\n", 404);
    Response r{200,
               name.endsWith(u".js") ? QByteArray("text/javascript; charset=utf-8")
                                     : QByteArray("text/css; charset=utf-8"),
               in.readAll(),
               {}};
    r.header("Cache-Control", "public, max-age=3600");
    r.header("X-Content-Type-Options", "nosniff");
    return r;
}

} // namespace PageAssets
