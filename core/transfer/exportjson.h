// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"
#include "transfer/exportdata.h"

#include <QByteArray>

namespace Transfer {

// The export file: indented JSON, snake_case keys; hashes and sealed keys only when
// `doc.sensitive`.
QByteArray toJson(const Document &doc);

// Parses and validates a whole file before anything is written. A malformed file fails
// with one sentence that names the place, e.g. "users[3].email: not a valid email".
Result<Document> parseJson(const QByteArray &bytes);

} // namespace Transfer
