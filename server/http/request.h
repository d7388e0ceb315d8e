// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QUrlQuery>

// A request as handlers see it: a plain value, safe to move to a worker thread.
struct Request
{
    QByteArray method; // upper case, e.g. "POST"
    QString path;      // decoded
    QUrlQuery query;
    QList<std::pair<QByteArray, QByteArray>> headers; // names in lower case
    QByteArray body;
    QString ip;
    bool secure = false;            // TLS, or X-Forwarded-Proto: https
    QHash<QString, QString> params; // from {name} segments of the route
    QByteArray requestId;           // X-Request-Id: the client's if sane, else ours

    QByteArray header(QByteArrayView lowerName) const;
    QList<QByteArray> headerValues(QByteArrayView lowerName) const;
    // Looks through every Cookie header (clients may send several).
    QByteArray cookie(QByteArrayView name) const;
    // The credentials of `Authorization: Bearer <token>`, empty if absent.
    QByteArray bearerToken() const;
    QString queryValue(const QString &name) const;
};
