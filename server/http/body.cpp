// SPDX-License-Identifier: GPL-3.0-or-later
#include "http/body.h"

#include "http/apierror.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace Body {

QJsonObject object(const Request &request, const QString &invalid)
{
    // Qt 6.4 drops a raw U+FEFF that starts a string, keys included, yet files the key
    // where the longer one would sort: {"\uFEFFname": 1} iterates as "name" while
    // value("name") finds nothing, and "name" can appear twice. A body with two readings
    // is refused; the escape \ufeff, or U+FEFF later in a string, is read correctly.
    if (request.body.contains("\"\xef\xbb\xbf"))
        throw ApiError(400, invalid,
                       u"body is not valid JSON: a string starts with a raw U+FEFF"_s);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &error);
    if (error.error != QJsonParseError::NoError)
        throw ApiError(400, invalid, u"body is not valid JSON: %1"_s.arg(error.errorString()));
    if (!doc.isObject())
        throw ApiError(400, invalid, u"body must be a JSON object"_s);
    return doc.object();
}

std::optional<QString> optionalString(const QJsonObject &body, const QString &field,
                                      const QString &invalid, int maxLength)
{
    const QJsonValue value = body.value(field);
    if (value.isUndefined() || value.isNull())
        return std::nullopt;
    if (!value.isString())
        throw ApiError(400, invalid, u"field '%1' must be a string"_s.arg(field));
    if (value.toString().size() > maxLength)
        throw ApiError(400, invalid, u"field '%1' is too long"_s.arg(field));
    return value.toString();
}

QString string(const QJsonObject &body, const QString &field, const QString &invalid, int maxLength)
{
    auto value = optionalString(body, field, invalid, maxLength);
    if (!value)
        throw ApiError(400, invalid, u"field '%1' is required"_s.arg(field));
    return *value;
}

} // namespace Body
