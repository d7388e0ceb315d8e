// SPDX-License-Identifier: GPL-3.0-or-later
// Helpers shared by the wallet surface's API tests.
#pragma once

#include "crypto/digest.h"
#include "services.h"
#include "testserver.h"

#include <QJsonObject>
#include <QMap>
#include <QRegularExpression>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace WalletTesting {

struct Session
{
    HttpReply reply;
    QByteArray token; // the wallet_session cookie
};

inline QJsonObject error(const QString &message)
{
    return {{u"error"_s, message}};
}

inline std::pair<QByteArray, QByteArray> cookieHeader(const QByteArray &token)
{
    return {"Cookie", "wallet_session=" + token};
}

inline Session login(HttpClient &client, const QString &type, const QJsonObject &data)
{
    Session s;
    s.reply = client.postJson("/login", {{u"type"_s, type}, {u"data"_s, data}});
    s.token = s.reply.cookie("wallet_session");
    return s;
}

inline QJsonObject challenge(HttpClient &client, const char *method, const QString &id)
{
    const HttpReply reply =
        client.get("/challenge?method=" + QByteArray(method) + "&id=" + id.toLatin1());
    return reply.status == 200 ? reply.json() : QJsonObject();
}

// The six digits of the last message the Outbox holds for `recipient`.
inline QString latestCode(Services &services, const QString &recipient)
{
    static const QRegularExpression digits(u"\\b(\\d{6})\\b"_s);
    for (const OutboxMessage &m : services.outbox.list(50))
        if (m.recipient == recipient)
            return digits.match(m.body).captured(1);
    return {};
}

// Login Widget data as Telegram signs it: key SHA-256(bot token), HMAC-SHA256 hex
// over the sorted key=value lines.
inline QJsonObject telegramWidget(qint64 id, qint64 authDate, const QByteArray &botToken)
{
    QMap<QString, QString> fields{{u"id"_s, QString::number(id)},
                                  {u"first_name"_s, u"Ann"_s},
                                  {u"username"_s, u"ann"_s},
                                  {u"auth_date"_s, QString::number(authDate)}};
    QStringList lines;
    for (auto it = fields.cbegin(); it != fields.cend(); ++it)
        lines << it.key() + u'=' + it.value();
    const QByteArray hash =
        Digest::hmacSha256(Digest::sha256(botToken), lines.join(u'\n').toUtf8()).toHex();
    return {{u"id"_s, id},
            {u"first_name"_s, u"Ann"_s},
            {u"username"_s, u"ann"_s},
            {u"auth_date"_s, authDate},
            {u"hash"_s, QString::fromLatin1(hash)}};
}

} // namespace WalletTesting
