// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

struct TelegramUser
{
    qint64 id = 0;
    QString username;
    QString firstName;
    QString lastName;
    QString photoUrl;
    qint64 authDate = 0;
};

namespace Telegram {
constexpr qint64 kMaxAgeSecs = 24 * 60 * 60;

// Mini App initData, Telegram's documented check only: the data-check-string is the
// sorted `key=value` lines without `hash`, the key is HMAC-SHA256("WebAppData", bot
// token), and the hex HMAC must match. Data older than 24 h is refused.
Result<TelegramUser> verifyInitData(QStringView initData, QByteArrayView botToken, qint64 nowSecs);

// The Login Widget (wallet surface "Telegram Direct"): the key is SHA-256(bot token).
Result<TelegramUser> verifyLoginWidget(const QJsonObject &data, QByteArrayView botToken,
                                       qint64 nowSecs);

// Builds the initData a Mini App would receive; for tests and the docs' examples.
QString signInitData(const QList<std::pair<QString, QString>> &fields, QByteArrayView botToken);
} // namespace Telegram
