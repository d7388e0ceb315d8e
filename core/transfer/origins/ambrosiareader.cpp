// SPDX-License-Identifier: GPL-3.0-or-later
#include "transfer/origins/readers.h"

using namespace Qt::StringLiterals;

namespace Origins {

// Placeholder until the reader lands (this session's import work).
Result<Read> readAmbrosia(const QSqlDatabase &, const Options &)
{
    return Result<Read>::failure(Refusal::Kind::NotConfigured, u"not built yet"_s);
}

} // namespace Origins
