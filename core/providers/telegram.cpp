// SPDX-License-Identifier: GPL-3.0-or-later
#include "providers/telegram.h"

#include "crypto/digest.h"
#include "jsonnumber.h"

#include <QJsonDocument>
#include <QMap>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace {

using R = Result<TelegramUser>;

// application/x-www-form-urlencoded value, as URLSearchParams decodes it.
QString formDecode(QStringView raw)
{
    QByteArray bytes = raw.toUtf8();
    bytes.replace('+', ' ');
    return QString::fromUtf8(QByteArray::fromPercentEncoding(bytes));
}

QString formEncode(const QString &value)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(value));
}

bool isLowerHex64(QStringView s)
{
    if (s.size() != 64)
        return false;
    for (QChar c : s)
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f')))
            return false;
    return true;
}

Result<qint64> checkAuthDate(const QString &text, qint64 nowSecs)
{
    bool ok = false;
    const qint64 authDate = text.toLongLong(&ok);
    if (!ok || authDate <= 0)
        return Result<qint64>::failure(Refusal::Kind::TokenInvalid, u"Invalid auth_date"_s);
    if (nowSecs - authDate > Telegram::kMaxAgeSecs)
        return Result<qint64>::failure(Refusal::Kind::TokenExpired, u"Telegram data has expired"_s);
    if (authDate - nowSecs > 60)
        return Result<qint64>::failure(Refusal::Kind::TokenInvalid, u"Invalid auth_date"_s);
    return authDate;
}

QByteArray dataCheckString(const QMap<QString, QString> &fields)
{
    QStringList lines;
    for (auto it = fields.cbegin(); it != fields.cend(); ++it)
        if (it.key() != u"hash")
            lines << it.key() + u'=' + it.value();
    return lines.join(u'\n').toUtf8();
}

} // namespace

namespace Telegram {

Result<TelegramUser> verifyInitData(QStringView initData, QByteArrayView botToken, qint64 nowSecs)
{
    if (initData.isEmpty() || initData.size() > 8192)
        return R::failure(Refusal::Kind::TokenInvalid, u"Invalid initData"_s);
    QMap<QString, QString> fields;
    for (QStringView pair : initData.split(u'&', Qt::SkipEmptyParts)) {
        const qsizetype eq = pair.indexOf(u'=');
        if (eq <= 0)
            return R::failure(Refusal::Kind::TokenInvalid, u"Invalid initData"_s);
        const QString key = formDecode(pair.first(eq));
        if (fields.contains(key))
            return R::failure(Refusal::Kind::TokenInvalid, u"Invalid initData"_s);
        fields.insert(key, formDecode(pair.sliced(eq + 1)));
    }
    const QString hash = fields.value(u"hash"_s);
    if (!isLowerHex64(hash))
        return R::failure(Refusal::Kind::TokenInvalid, u"Missing or malformed hash in initData"_s);

    const QByteArray secret = Digest::hmacSha256("WebAppData", botToken);
    const QByteArray expected = Digest::hmacSha256(secret, dataCheckString(fields)).toHex();
    if (!Digest::equal(expected, hash.toLatin1()))
        return R::failure(Refusal::Kind::TokenInvalid, u"Invalid initData signature"_s);

    const auto authDate = checkAuthDate(fields.value(u"auth_date"_s), nowSecs);
    if (!authDate)
        return R::failure(authDate.refusal());

    const QJsonObject user = QJsonDocument::fromJson(fields.value(u"user"_s).toUtf8()).object();
    const auto id = jsonInteger(user.value(u"id"));
    if (!id || *id <= 0)
        return R::failure(Refusal::Kind::TokenInvalid, u"initData has no user"_s);
    TelegramUser out;
    out.id = *id;
    out.username = user.value(u"username").toString();
    out.firstName = user.value(u"first_name").toString();
    out.lastName = user.value(u"last_name").toString();
    out.photoUrl = user.value(u"photo_url").toString();
    out.authDate = *authDate;
    return out;
}

Result<TelegramUser> verifyLoginWidget(const QJsonObject &data, QByteArrayView botToken,
                                       qint64 nowSecs)
{
    QMap<QString, QString> fields;
    for (auto it = data.begin(); it != data.end(); ++it) {
        const QJsonValue v = it.value();
        if (v.isNull() || v.isUndefined())
            continue;
        if (const auto number = jsonInteger(v))
            fields.insert(it.key(), QString::number(*number));
        else if (v.isString())
            fields.insert(it.key(), v.toString());
        else
            return R::failure(Refusal::Kind::TokenInvalid, u"Invalid Telegram login data"_s);
    }
    const QString hash = fields.value(u"hash"_s);
    if (!isLowerHex64(hash))
        return R::failure(Refusal::Kind::TokenInvalid, u"Missing or malformed hash"_s);
    const QByteArray expected =
        Digest::hmacSha256(Digest::sha256(botToken), dataCheckString(fields)).toHex();
    if (!Digest::equal(expected, hash.toLatin1()))
        return R::failure(Refusal::Kind::TokenInvalid, u"Invalid Telegram login hash"_s);
    const auto authDate = checkAuthDate(fields.value(u"auth_date"_s), nowSecs);
    if (!authDate)
        return R::failure(authDate.refusal());
    bool ok = false;
    TelegramUser out;
    out.id = fields.value(u"id"_s).toLongLong(&ok);
    if (!ok || out.id <= 0)
        return R::failure(Refusal::Kind::TokenInvalid, u"Invalid Telegram user id"_s);
    out.username = fields.value(u"username"_s);
    out.firstName = fields.value(u"first_name"_s);
    out.lastName = fields.value(u"last_name"_s);
    out.photoUrl = fields.value(u"photo_url"_s);
    out.authDate = *authDate;
    return out;
}

QString signInitData(const QList<std::pair<QString, QString>> &fields, QByteArrayView botToken)
{
    QMap<QString, QString> sorted;
    QStringList pairs;
    for (const auto &[key, value] : fields) {
        sorted.insert(key, value);
        pairs << formEncode(key) + u'=' + formEncode(value);
    }
    const QByteArray secret = Digest::hmacSha256("WebAppData", botToken);
    const QByteArray hash = Digest::hmacSha256(secret, dataCheckString(sorted)).toHex();
    pairs << u"hash="_s + QString::fromLatin1(hash);
    return pairs.join(u'&');
}

} // namespace Telegram
