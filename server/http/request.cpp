// SPDX-License-Identifier: GPL-3.0-or-later
#include "http/request.h"

QByteArray Request::header(QByteArrayView lowerName) const
{
    for (const auto &[name, value] : headers)
        if (name == lowerName)
            return value;
    return {};
}

QList<QByteArray> Request::headerValues(QByteArrayView lowerName) const
{
    QList<QByteArray> out;
    for (const auto &[name, value] : headers)
        if (name == lowerName)
            out << value;
    return out;
}

QByteArray Request::cookie(QByteArrayView wanted) const
{
    for (const QByteArray &line : headerValues("cookie")) {
        for (const QByteArray &pair : line.split(';')) {
            const qsizetype eq = pair.indexOf('=');
            if (eq > 0 && pair.left(eq).trimmed() == wanted)
                return pair.mid(eq + 1).trimmed();
        }
    }
    return {};
}

QByteArray Request::bearerToken() const
{
    const QByteArray value = header("authorization").trimmed();
    if (value.size() > 7 && value.left(7).compare("bearer ", Qt::CaseInsensitive) == 0)
        return value.mid(7).trimmed();
    return {};
}

QString Request::queryValue(const QString &name) const
{
    return query.queryItemValue(name, QUrl::FullyDecoded);
}
