// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

using namespace Qt::StringLiterals;

struct Response
{
    int status = 200;
    QByteArray contentType = "application/json"_ba;
    QByteArray body;
    QList<std::pair<QByteArray, QByteArray>> headers; // Set-Cookie, Location, Retry-After…

    static Response json(const QJsonObject &object, int status = 200);
    // A body already written as JSON text (core/jsontext.h, a cached profile…).
    static Response jsonBody(const QByteArray &text, int status = 200);
    static Response json(const QJsonArray &array, int status = 200);
    static Response jsonValue(const QJsonValue &value, int status = 200); // true, "text", 42
    static Response html(const QByteArray &page, int status = 200);
    static Response text(const QByteArray &text, int status = 200);
    static Response redirect(const QByteArray &location, int status = 302);
    static Response empty(int status = 204);

    Response &header(const QByteArray &name, const QByteArray &value);
};

struct CookieOptions
{
    qint64 maxAgeSecs = -1; // -1: session cookie; 0: delete
    bool secure = false;
    QByteArray path = "/"_ba; // literals: no allocation per cookie
    QByteArray sameSite = "Lax"_ba;
};
// A Set-Cookie value; HttpOnly always.
QByteArray setCookie(const QByteArray &name, const QByteArray &value, const CookieOptions &options);

QByteArrayView reasonPhrase(int status);
// The wire form. Header values with CR, LF or NUL are dropped, never sent.
QByteArray serializeResponse(const Response &response, bool headOnly, bool closeAfter,
                             const QList<std::pair<QByteArray, QByteArray>> &extraHeaders);
