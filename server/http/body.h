// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/request.h"

#include <QJsonObject>
#include <QString>
#include <optional>

using namespace Qt::StringLiterals;

// Parse, then validate: each helper either returns the value or throws a 400 ApiError
// whose message is `invalid` (the surface's documented wording) and whose detail
// names the field.
namespace Body {
QJsonObject object(const Request &request, const QString &invalid = u"Invalid body"_s);
QString string(const QJsonObject &body, const QString &field,
               const QString &invalid = u"Invalid body"_s, int maxLength = 4096);
std::optional<QString> optionalString(const QJsonObject &body, const QString &field,
                                      const QString &invalid = u"Invalid body"_s,
                                      int maxLength = 4096);
} // namespace Body
