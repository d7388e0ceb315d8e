// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <optional>
#include <utility>

// Compact JSON text written directly, byte for byte what QJsonDocument writes, for the
// bodies and token payloads written on every request. Objects keep their keys in the
// order given: QJsonObject sorts its keys (give them sorted for QJsonDocument's bytes),
// and some documented bodies print another order (`{"message": …, "accessToken": …}`).

// A string that needs no escaping (printable ASCII without `"` and `\\`) as JSON text:
// the common case, written directly because a QJsonDocument per value is most of the cost
// of a small body. Anything else: nullopt (jsonText() lets QJsonDocument escape it).
inline std::optional<QByteArray> plainJsonString(QStringView s)
{
    QByteArray out(s.size() + 2, Qt::Uninitialized);
    char *cursor = out.data();
    *cursor++ = '"';
    for (const QChar c : s) {
        const char16_t u = c.unicode();
        if (u < 0x20 || u >= 0x7f || u == u'"' || u == u'\\')
            return std::nullopt;
        *cursor++ = char(u);
    }
    *cursor = '"';
    return out;
}

// One value in compact JSON text (strings escaped as QJsonDocument does).
inline QByteArray jsonText(const QJsonValue &value)
{
    if (value.isString()) {
        if (auto plain = plainJsonString(value.toString()))
            return *std::move(plain);
    } else if (value.isBool()) {
        return value.toBool() ? QByteArray("true") : QByteArray("false");
    } else if (value.isNull()) {
        return QByteArray("null");
    }
    if (value.isObject())
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

// A string in compact JSON text, without a QJsonValue when it needs no escaping.
inline QByteArray jsonText(const QString &s)
{
    if (auto plain = plainJsonString(s))
        return *std::move(plain);
    return jsonText(QJsonValue(s));
}

// Keys with their values already as JSON text (jsonText(), or a nested orderedJsonText()).
using OrderedFields = QList<std::pair<QString, QByteArray>>;

inline QByteArray orderedJsonText(const OrderedFields &fields)
{
    qsizetype size = 2;
    for (const auto &[key, value] : fields)
        size += key.size() + value.size() + 4;
    QByteArray out;
    out.reserve(size);
    out += '{';
    for (const auto &[key, value] : fields) {
        if (out.size() > 1)
            out += ',';
        out += jsonText(key);
        out += ':';
        out += value;
    }
    out += '}';
    return out;
}
