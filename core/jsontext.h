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

// Appends a string that needs no escaping (printable ASCII without `"` and `\\`) as JSON
// text and returns true: the common case, written directly because a QJsonDocument per
// value is most of the cost of a small body. Anything else: false, `out` unchanged.
inline bool appendPlainJsonString(QByteArray &out, QStringView s)
{
    const qsizetype start = out.size();
    out.resize(start + s.size() + 2);
    char *cursor = out.data() + start;
    *cursor++ = '"';
    for (const QChar c : s) {
        const char16_t u = c.unicode();
        if (u < 0x20 || u >= 0x7f || u == u'"' || u == u'\\') {
            out.resize(start);
            return false;
        }
        *cursor++ = char(u);
    }
    *cursor = '"';
    return true;
}

// The same as a value of its own, or nullopt (jsonText() lets QJsonDocument escape it).
inline std::optional<QByteArray> plainJsonString(QStringView s)
{
    QByteArray out;
    if (!appendPlainJsonString(out, s))
        return std::nullopt;
    return out;
}

// One value in compact JSON text (strings escaped as QJsonDocument does).
inline QByteArray jsonText(const QJsonValue &value)
{
    if (value.isString()) {
        if (auto plain = plainJsonString(value.toString()))
            return *std::move(plain);
    } else if (value.isBool()) { // literals: no allocation
        return value.toBool() ? QByteArray::fromRawData("true", 4)
                              : QByteArray::fromRawData("false", 5);
    } else if (value.isNull()) {
        return QByteArray::fromRawData("null", 4);
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

// A string as JSON text, or null when it is empty (the origin APIs' optional fields).
inline QByteArray jsonTextOrNull(const QString &s)
{
    return s.isEmpty() ? QByteArray::fromRawData("null", 4) : jsonText(s);
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
        if (!appendPlainJsonString(out, key))
            out += jsonText(key);
        out += ':';
        out += value;
    }
    out += '}';
    return out;
}
