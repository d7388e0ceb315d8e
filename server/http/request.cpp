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

// Read in place (views into the header): a cookie check runs on every request of the
// PIN and wallet surfaces.
QByteArray Request::cookie(QByteArrayView wanted) const
{
    for (const auto &[name, line] : headers) {
        if (name != "cookie")
            continue;
        QByteArrayView rest(line);
        while (!rest.isEmpty()) {
            const qsizetype semicolon = rest.indexOf(';');
            const QByteArrayView pair = semicolon < 0 ? rest : rest.first(semicolon);
            rest = semicolon < 0 ? QByteArrayView() : rest.sliced(semicolon + 1);
            const qsizetype eq = pair.indexOf('=');
            if (eq > 0 && pair.first(eq).trimmed() == wanted)
                return pair.sliced(eq + 1).trimmed().toByteArray();
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
