// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Helpers shared by the account-surface tests (seed 004).
#include "services.h"
#include "testserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace AccountTesting {

using Headers = QList<std::pair<QByteArray, QByteArray>>;

inline Headers bearer(const QByteArray &token)
{
    return {{"Authorization", "Bearer " + token}};
}

inline HttpReply login(TestServer &server, const QString &email, const QString &password)
{
    return server.client().postJson("/api/auth/login",
                                    {{u"email"_s, email}, {u"password"_s, password}});
}

// The JWT of a successful login (empty when it failed).
inline QByteArray loginToken(TestServer &server, const QString &email, const QString &password)
{
    const HttpReply reply = login(server, email, password);
    return reply.status == 200 ? reply.json().value(u"token").toString().toLatin1() : QByteArray();
}

inline QByteArray adminToken(TestServer &server)
{
    return loginToken(server, u"admin"_s, u"admin"_s);
}

// The API token of the user behind `jwt` (POST /api/auth/me/create-token -> {token}).
inline QString apiToken(TestServer &server, const QByteArray &jwt)
{
    const HttpReply reply =
        server.client().request("POST", "/api/auth/me/create-token", {}, bearer(jwt));
    return reply.json().value(u"token").toString();
}

inline HttpReply signup(TestServer &server, const QString &referrer, const QString &email,
                        const QString &password = u"correct horse"_s, const QString &name = {})
{
    QJsonObject body{{u"referrer"_s, referrer}, {u"email"_s, email}, {u"password"_s, password}};
    if (!name.isEmpty())
        body.insert(u"name"_s, name);
    return server.client().postJson("/api/auth/signup", body);
}

// Signs up `email` with the admin's referrer token and returns its login JWT.
inline QByteArray newUser(TestServer &server, const QString &email,
                          const QString &password = u"correct horse"_s)
{
    const HttpReply reply = signup(server, apiToken(server, adminToken(server)), email, password);
    return reply.json().value(u"token").toString().toLatin1();
}

// The newest outbox message to `to`.
inline OutboxMessage lastMessageTo(TestServer &server, const QString &to)
{
    for (const OutboxMessage &m : server.services().outbox.list(50))
        if (m.recipient == to)
            return m;
    return {};
}

inline QString firstMatch(const QString &text, const QString &pattern)
{
    return QRegularExpression(pattern).match(text).captured(1);
}

inline QByteArray multipart(const QList<std::pair<QByteArray, QByteArray>> &fields,
                            const QByteArray &boundary = "----gatehouseBoundary7MA4YWxk")
{
    QByteArray body;
    for (const auto &[name, value] : fields)
        body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name +
                "\"\r\n\r\n" + value + "\r\n";
    return body + "--" + boundary + "--\r\n";
}

inline HttpReply verifyOtp(TestServer &server, const QByteArray &otp, const QByteArray &token)
{
    const QByteArray boundary = "----gatehouseBoundary7MA4YWxk";
    return server.client().request("POST", "/api/auth/verify-otp",
                                   multipart({{"otp", otp}, {"token", token}}, boundary),
                                   {{"Content-Type", "multipart/form-data; boundary=" + boundary}});
}

// Every error body of the surface: {"error": "...", "detail": "..."}.
inline bool isErrorShape(const HttpReply &reply)
{
    const QJsonObject body = reply.json();
    return body.size() == 2 && body.value(u"error").isString() && body.value(u"detail").isString();
}

} // namespace AccountTesting
