// SPDX-License-Identifier: GPL-3.0-or-later
// Telegram Mini App initData and Login Widget data. Byte 0 chooses the mode:
// - raw initData / raw widget JSON: accepted only when the hash is the HMAC of the
//   data-check-string, recomputed here independently (own form decoding, OpenSSL HMAC);
//   an accepted user has a positive id and a fresh auth_date.
// - round trip: fields from the input (any keys and values, '&', '=', '%', '+' and
//   non-ASCII included) signed as Telegram signs them must verify, giving back the user.
#include "fuzzsupport.h"
#include "providers/telegram.h"
#include "referencehmac.h"

#include <QJsonDocument>
#include <QMap>
#include <openssl/sha.h>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kNow = 1'800'000'000;
const QByteArray kBotToken = "123456:fuzz-bot-token";

QByteArray checkString(const QMap<QString, QString> &fields)
{
    QByteArray out;
    for (auto it = fields.cbegin(); it != fields.cend(); ++it) {
        if (it.key() == u"hash")
            continue;
        if (!out.isEmpty())
            out += '\n';
        out += (it.key() + u'=' + it.value()).toUtf8();
    }
    return out;
}

QString formDecode(QStringView s)
{
    QByteArray b = s.toUtf8();
    b.replace('+', ' ');
    return QString::fromUtf8(QByteArray::fromPercentEncoding(b));
}

void checkUser(const TelegramUser &user)
{
    FUZZ_CHECK(user.id > 0);
    FUZZ_CHECK(user.authDate > 0 && kNow - user.authDate <= Telegram::kMaxAgeSecs &&
               user.authDate - kNow <= 60);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 10000)
        return 0;
    const QByteArray rest(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    switch (data[0] % 4) {
    case 0: { // raw initData
        const QString text = QString::fromUtf8(rest);
        const auto user = Telegram::verifyInitData(text, kBotToken, kNow);
        if (!user)
            return 0;
        QMap<QString, QString> fields;
        for (const QString &pair : text.split(u'&', Qt::SkipEmptyParts)) {
            const qsizetype eq = pair.indexOf(u'=');
            FUZZ_CHECK(eq > 0);
            fields.insert(formDecode(pair.first(eq)), formDecode(pair.sliced(eq + 1)));
        }
        const QByteArray secret = referenceHmacSha256("WebAppData", kBotToken);
        FUZZ_CHECK(referenceHmacSha256(secret, checkString(fields)).toHex() ==
                   fields.value(u"hash"_s).toLatin1());
        checkUser(*user);
        return 0;
    }
    case 1: { // raw widget JSON
        const QJsonObject object = QJsonDocument::fromJson(rest).object();
        const auto user = Telegram::verifyLoginWidget(object, kBotToken, kNow);
        if (!user)
            return 0;
        QMap<QString, QString> fields;
        for (auto it = object.begin(); it != object.end(); ++it)
            if (it.value().isString())
                fields.insert(it.key(), it.value().toString());
            else if (it.value().isDouble())
                fields.insert(it.key(), QString::number(qint64(it.value().toDouble())));
        unsigned char key[32];
        SHA256(reinterpret_cast<const unsigned char *>(kBotToken.data()), size_t(kBotToken.size()),
               key);
        const QByteArray expected =
            referenceHmacSha256(QByteArrayView(reinterpret_cast<const char *>(key), 32),
                                checkString(fields))
                .toHex();
        FUZZ_CHECK(expected == fields.value(u"hash"_s).toLatin1());
        checkUser(*user);
        return 0;
    }
    default:
        break;
    }
    // Round trip: NUL-separated key/value pairs, then a user.
    const QList<QByteArray> items = rest.split('\0');
    QList<std::pair<QString, QString>> fields;
    QSet<QString> keys{u"hash"_s, u"auth_date"_s, u"user"_s, u"id"_s, u"first_name"_s};
    for (qsizetype i = 0; i + 1 < items.size(); i += 2) {
        const QString key = QString::fromUtf8(items[i]);
        if (key.isEmpty() || keys.contains(key))
            continue;
        keys.insert(key);
        fields.append({key, QString::fromUtf8(items[i + 1])});
    }
    const qint64 id = 1 + (qint64(size) * 7919) % 9'000'000'000LL;
    const QString name = QString::fromUtf8(items.last());
    const qint64 authDate = kNow - qint64(data[0]) * 300;
    if (data[0] % 4 == 2) {
        const QJsonObject user{{u"id"_s, double(id)}, {u"first_name"_s, name}};
        fields.append(
            {u"user"_s, QString::fromUtf8(QJsonDocument(user).toJson(QJsonDocument::Compact))});
        fields.append({u"auth_date"_s, QString::number(authDate)});
        const QString initData = Telegram::signInitData(fields, kBotToken);
        if (initData.size() > 8192)
            return 0;
        const auto back = Telegram::verifyInitData(initData, kBotToken, kNow);
        FUZZ_CHECK(back);
        FUZZ_CHECK(back->id == id && back->firstName == name && back->authDate == authDate);
        FUZZ_CHECK(!Telegram::verifyInitData(initData, kBotToken + 'x', kNow));
        return 0;
    }
    QJsonObject widget{
        {u"id"_s, double(id)}, {u"first_name"_s, name}, {u"auth_date"_s, double(authDate)}};
    for (const auto &[key, value] : fields)
        widget.insert(key, value);
    QMap<QString, QString> sorted;
    for (auto it = widget.begin(); it != widget.end(); ++it)
        sorted.insert(it.key(), it.value().isString()
                                    ? it.value().toString()
                                    : QString::number(qint64(it.value().toDouble())));
    unsigned char key[32];
    SHA256(reinterpret_cast<const unsigned char *>(kBotToken.data()), size_t(kBotToken.size()),
           key);
    widget.insert(u"hash"_s,
                  QString::fromLatin1(
                      referenceHmacSha256(QByteArrayView(reinterpret_cast<const char *>(key), 32),
                                          checkString(sorted))
                          .toHex()));
    const auto back = Telegram::verifyLoginWidget(widget, kBotToken, kNow);
    FUZZ_CHECK(back);
    FUZZ_CHECK(back->id == id && back->firstName == name && back->authDate == authDate);
    return 0;
}
