// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/request.h"

#include <QByteArray>
#include <QHash>
#include <QString>

using namespace Qt::StringLiterals;

// Form fields of a multipart/form-data body (RFC 7578), or of an
// application/x-www-form-urlencoded one: what FastAPI's Form() accepts, so clients
// of either kind work. Files are refused; a repeated name keeps its first value.
// Malformed bodies throw a 400 ApiError whose message is `invalid` and whose detail
// says what is wrong.
namespace FormData {
QHash<QString, QByteArray> parse(const Request &request,
                                 const QString &invalid = u"Invalid body"_s);
// The field as UTF-8 text; a 400 naming it when absent or longer than maxLength.
QString field(const QHash<QString, QByteArray> &fields, const QString &name,
              const QString &invalid = u"Invalid body"_s, int maxLength = 4096);
} // namespace FormData
