// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "transfer/exportdata.h"

class Database;

namespace Transfer {

// Reads what an export carries, in one read transaction's worth of statements. Only
// Telegram bindings made under the current CLI_API_TOKEN (`bindingFingerprint`) are
// taken: older ones no longer log anyone in here, and must not start to elsewhere.
// Hashes and sealed wallet keys are read only when `sensitive`.
Document collect(const Database &db, const QString &bindingFingerprint, bool sensitive,
                 qint64 nowMs);

} // namespace Transfer
