// SPDX-License-Identifier: GPL-3.0-or-later
#include "transfer/origins/origin.h"

#include "transfer/origins/readers.h"

using namespace Qt::StringLiterals;

namespace Origins {

std::optional<Kind> kindFromName(const QString &name)
{
    if (name == u"lncrawl")
        return Kind::Lncrawl;
    if (name == u"ambrosia")
        return Kind::Ambrosia;
    if (name == u"hapi")
        return Kind::Hapi;
    return std::nullopt;
}

// Placeholders until the import work of this session lands.
Result<Read> read(Kind, const QString &, const Options &)
{
    return Result<Read>::failure(Refusal::Kind::NotConfigured, u"not built yet"_s);
}

Result<Outcome> apply(const Database &, const Read &, const QString &, qint64, bool,
                      const Progress &)
{
    return Result<Outcome>::failure(Refusal::Kind::NotConfigured, u"not built yet"_s);
}

} // namespace Origins
