// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/response.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <utility>

// JSON objects with their keys in the order given. QJsonObject sorts keys; the seed
// documents print some bodies in another order (`{"message": …, "accessToken": …}`), and
// a client comparing bytes sees exactly what its document shows.

// One value in compact JSON text (strings escaped as QJsonDocument does).
inline QByteArray jsonText(const QJsonValue &value)
{
    if (value.isObject())
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

// Keys with their values already as JSON text (jsonText(), or a nested orderedJsonText()).
using OrderedFields = QList<std::pair<QString, QByteArray>>;

inline QByteArray orderedJsonText(const OrderedFields &fields)
{
    QByteArray out = "{";
    for (const auto &[key, value] : fields) {
        if (out.size() > 1)
            out += ',';
        out += jsonText(key) + ':' + value;
    }
    return out + '}';
}

inline Response orderedJson(const OrderedFields &fields, int status = 200)
{
    return {status, "application/json", orderedJsonText(fields), {}};
}
