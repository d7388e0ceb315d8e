// SPDX-License-Identifier: GPL-3.0-or-later
// Telegram Mini App initData and Login Widget checks. The signed data is built here
// strictly from Telegram's documentation, with Qt's own HMAC (QMessageAuthenticationCode),
// not with Gatehouse's code, and URL-encoded the way a Mini App receives it.
// https://core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app
// https://core.telegram.org/widgets/login#checking-authorization
#include "providers/telegram.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QTest>
#include <QUrl>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

using Fields = QList<std::pair<QString, QString>>;

constexpr qint64 kNow = 1'790'000'000;
const QByteArray kBotToken = "7412345678:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"_ba;
const QString kUserJson =
    uR"({"id":279058397,"first_name":"Vladislav","last_name":"Kibenko","username":"vdkfrost",)"
    uR"("language_code":"ru","is_premium":true,"allows_write_to_pm":true,)"
    uR"("photo_url":"https:\/\/t.me\/i\/userpic\/320\/vdkfrost.svg"})"_s;

QByteArray hmac(const QByteArray &key, const QByteArray &message)
{
    return QMessageAuthenticationCode::hash(message, key, QCryptographicHash::Sha256);
}

// "Data-check-string is a chain of all received fields, sorted alphabetically, in the
// format key=<value> with a line feed character ('\n', 0x0A) used as separator".
QByteArray dataCheckString(Fields fields)
{
    std::sort(fields.begin(), fields.end());
    QStringList lines;
    for (const auto &[key, value] : std::as_const(fields))
        if (key != u"hash")
            lines << key + u'=' + value;
    return lines.join(u'\n').toUtf8();
}

// secret_key = HMAC_SHA256(<bot_token>, "WebAppData"), i.e. the key is "WebAppData";
// hash = hex(HMAC_SHA256(data_check_string, secret_key)).
QString miniAppHash(const Fields &fields, const QByteArray &botToken)
{
    const QByteArray secret = hmac("WebAppData", botToken);
    return QString::fromLatin1(hmac(secret, dataCheckString(fields)).toHex());
}

// Login Widget: secret_key = SHA256(<bot_token>).
QString widgetHash(const Fields &fields, const QByteArray &botToken)
{
    const QByteArray secret = QCryptographicHash::hash(botToken, QCryptographicHash::Sha256);
    return QString::fromLatin1(hmac(secret, dataCheckString(fields)).toHex());
}

// Percent-encodes like encodeURIComponent, as Telegram clients hand initData over.
QString encode(const QString &value, bool plusForSpace = false)
{
    QString out = QString::fromLatin1(QUrl::toPercentEncoding(value, "!'()*"));
    if (plusForSpace)
        out.replace(u"%20"_s, u"+"_s);
    return out;
}

QString initData(const Fields &fields, const QString &hash, bool plusForSpace = false)
{
    QStringList pairs;
    for (const auto &[key, value] : fields)
        pairs << encode(key) + u'=' + encode(value, plusForSpace);
    if (!hash.isNull())
        pairs << u"hash="_s + hash;
    return pairs.join(u'&');
}

Fields miniAppFields(qint64 authDate = kNow - 30, const QString &user = kUserJson)
{
    Fields f{{u"query_id"_s, u"AAHdF6IQAAAAAN0XohDhrOrc"_s},
             {u"user"_s, user},
             {u"auth_date"_s, QString::number(authDate)}};
    return f;
}

QString signedInitData(const Fields &fields, const QByteArray &botToken = kBotToken)
{
    return initData(fields, miniAppHash(fields, botToken));
}

QJsonObject widgetData(qint64 authDate = kNow - 30, const QByteArray &botToken = kBotToken)
{
    const Fields fields{{u"id"_s, u"279058397"_s},
                        {u"first_name"_s, u"Vladislav"_s},
                        {u"last_name"_s, u"Kibenko"_s},
                        {u"username"_s, u"vdkfrost"_s},
                        {u"photo_url"_s, u"https://t.me/i/userpic/320/vdkfrost.jpg"_s},
                        {u"auth_date"_s, QString::number(authDate)}};
    return {{u"id"_s, 279058397},
            {u"first_name"_s, u"Vladislav"_s},
            {u"last_name"_s, u"Kibenko"_s},
            {u"username"_s, u"vdkfrost"_s},
            {u"photo_url"_s, u"https://t.me/i/userpic/320/vdkfrost.jpg"_s},
            {u"auth_date"_s, authDate},
            {u"hash"_s, widgetHash(fields, botToken)}};
}

} // namespace

class TestTelegram : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initDataAccepted_data();
    void initDataAccepted();
    void initDataLooksReal();
    void initDataRefused_data();
    void initDataRefused();
    void authDateWindow_data();
    void authDateWindow();
    void signInitDataRoundTrip();
    void loginWidgetAccepted();
    void loginWidgetRefused_data();
    void loginWidgetRefused();
};

void TestTelegram::initDataAccepted_data()
{
    QTest::addColumn<QString>("data");
    QTest::addColumn<QString>("firstName");

    const Fields f = miniAppFields();
    QTest::newRow("as a Mini App sends it") << signedInitData(f) << u"Vladislav"_s;

    Fields shuffled{f[2], f[0], f[1]};
    QTest::newRow("fields in another order") << signedInitData(shuffled) << u"Vladislav"_s;

    // Newer clients also send `signature` (for third-party validation); per the
    // documented bot-token check it is simply part of the data-check-string.
    Fields withSignature = f;
    withSignature.append({u"signature"_s, u"6fbdaab833d39f54518bd5c3eb3f511d035e68cb"_s});
    QTest::newRow("with a signature field") << signedInitData(withSignature) << u"Vladislav"_s;

    // Spaces, plus signs, ampersands, equals signs and non-ASCII inside the JSON.
    const QString tricky =
        uR"({"id":42,"first_name":"Ann Marie & Co=1+1","last_name":"Müller 🚀","username":"ann"})"_s;
    const Fields t = miniAppFields(kNow - 5, tricky);
    QTest::newRow("reserved characters, %20 spaces")
        << signedInitData(t) << u"Ann Marie & Co=1+1"_s;
    QTest::newRow("reserved characters, + spaces")
        << initData(t, miniAppHash(t, kBotToken), true) << u"Ann Marie & Co=1+1"_s;
}

void TestTelegram::initDataAccepted()
{
    QFETCH(QString, data);
    QFETCH(QString, firstName);
    const auto user = Telegram::verifyInitData(data, kBotToken, kNow);
    QVERIFY2(user, qPrintable(user.error()));
    QCOMPARE(user->firstName, firstName);
    QVERIFY(user->id > 0);
}

void TestTelegram::initDataLooksReal()
{
    const QString data = signedInitData(miniAppFields());
    // What a Mini App's window.Telegram.WebApp.initData looks like.
    QVERIFY2(data.startsWith(u"query_id=AAHdF6IQAAAAAN0XohDhrOrc&user=%7B%22id%22%3A279058397%2C"),
             qPrintable(data));
    QVERIFY(data.contains(u"&auth_date="));
    QVERIFY(data.contains(u"&hash="));

    const auto user = Telegram::verifyInitData(data, kBotToken, kNow);
    QVERIFY2(user, qPrintable(user.error()));
    QCOMPARE(user->id, qint64(279058397));
    QCOMPARE(user->username, u"vdkfrost"_s);
    QCOMPARE(user->firstName, u"Vladislav"_s);
    QCOMPARE(user->lastName, u"Kibenko"_s);
    QCOMPARE(user->photoUrl, u"https://t.me/i/userpic/320/vdkfrost.svg"_s);
    QCOMPARE(user->authDate, kNow - 30);
}

void TestTelegram::initDataRefused_data()
{
    QTest::addColumn<QString>("data");
    QTest::addColumn<QByteArray>("botToken");

    const Fields f = miniAppFields();
    const QString good = signedInitData(f);
    const QString hash = miniAppHash(f, kBotToken);

    QTest::newRow("tampered user id")
        << QString(good).replace(u"279058397"_s, u"279058398"_s) << kBotToken;
    QTest::newRow("tampered auth_date")
        << QString(good).replace(QString::number(kNow - 30), QString::number(kNow - 10))
        << kBotToken;
    QTest::newRow("extra field after signing") << good + u"&admin=1"_s << kBotToken;
    QTest::newRow("field removed after signing") << initData({f[1], f[2]}, hash) << kBotToken;
    QTest::newRow("wrong bot token")
        << good << QByteArray("7412345678:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsax");
    QTest::newRow("empty bot token") << good << QByteArray();
    QTest::newRow("missing hash") << initData(f, QString()) << kBotToken;
    QTest::newRow("empty hash") << initData(f, u""_s) << kBotToken;
    QTest::newRow("uppercase hash") << initData(f, hash.toUpper()) << kBotToken;
    QTest::newRow("short hash") << initData(f, hash.chopped(1)) << kBotToken;
    QTest::newRow("long hash") << initData(f, hash + u'0') << kBotToken;
    QTest::newRow("hash of the login widget kind")
        << initData(f, widgetHash(f, kBotToken)) << kBotToken;
    QTest::newRow("hash over a \\r\\n data-check-string")
        << initData(f, QString::fromLatin1(hmac(hmac("WebAppData", kBotToken),
                                                dataCheckString(f).replace('\n', "\r\n"))
                                               .toHex()))
        << kBotToken;

    // Duplicate keys: whichever copy a parser keeps, the signature may cover one value
    // while something else reads the other. Each hash here is valid for the fields with
    // the first (or last) copy kept, so only the duplicate check can refuse them.
    const auto withDuplicate = [&](const std::pair<QString, QString> &extra, bool lastWins) {
        Fields all = f;
        all.append(extra);
        Fields kept = f;
        if (lastWins)
            for (auto &field : kept)
                if (field.first == extra.first)
                    field.second = extra.second;
        return initData(all, miniAppHash(kept, kBotToken));
    };
    const std::pair<QString, QString> laterDate{u"auth_date"_s, QString::number(kNow)};
    const std::pair<QString, QString> otherUser{u"user"_s, uR"({"id":1,"first_name":"Eve"})"_s};
    QTest::newRow("duplicate auth_date, first signed")
        << withDuplicate(laterDate, false) << kBotToken;
    QTest::newRow("duplicate auth_date, last signed")
        << withDuplicate(laterDate, true) << kBotToken;
    QTest::newRow("duplicate user, first signed") << withDuplicate(otherUser, false) << kBotToken;
    QTest::newRow("duplicate user, last signed") << withDuplicate(otherUser, true) << kBotToken;
    QTest::newRow("duplicate key via percent-encoding")
        << initData(f, hash) + u"&%75ser="_s + encode(otherUser.second) << kBotToken;
    QTest::newRow("duplicate hash") << good + u"&hash="_s + hash << kBotToken;

    const Fields noUser{f[0], f[2]};
    QTest::newRow("no user") << signedInitData(noUser) << kBotToken;
    const Fields userNoId = miniAppFields(kNow - 30, uR"({"first_name":"A"})"_s);
    QTest::newRow("user without id") << signedInitData(userNoId) << kBotToken;
    const Fields userZero = miniAppFields(kNow - 30, uR"({"id":0,"first_name":"A"})"_s);
    QTest::newRow("user id 0") << signedInitData(userZero) << kBotToken;
    const Fields userString = miniAppFields(kNow - 30, uR"({"id":"42","first_name":"A"})"_s);
    QTest::newRow("user id a string") << signedInitData(userString) << kBotToken;
    const Fields userNotJson = miniAppFields(kNow - 30, u"42"_s);
    QTest::newRow("user not JSON") << signedInitData(userNotJson) << kBotToken;
    const Fields noDate{f[0], f[1]};
    QTest::newRow("no auth_date") << signedInitData(noDate) << kBotToken;
    const Fields badDate{f[0], f[1], {u"auth_date"_s, u"yesterday"_s}};
    QTest::newRow("auth_date not a number") << signedInitData(badDate) << kBotToken;

    QTest::newRow("empty") << QString() << kBotToken;
    QTest::newRow("no key=value") << u"garbage"_s << kBotToken;
    QTest::newRow("empty key") << u"=x&"_s + good << kBotToken;
    Fields huge = f;
    huge.append({u"padding"_s, QString(9000, u'x')});
    QTest::newRow("longer than 8 KiB") << signedInitData(huge) << kBotToken;
}

void TestTelegram::initDataRefused()
{
    QFETCH(QString, data);
    QFETCH(QByteArray, botToken);
    const auto user = Telegram::verifyInitData(data, botToken, kNow);
    QVERIFY2(!user, qPrintable(u"accepted: "_s + data));
    QVERIFY(!user.error().isEmpty());
}

void TestTelegram::authDateWindow_data()
{
    // The code refuses data when now - auth_date > 24 h, so exactly 24 h is still
    // accepted; auth_date may be at most 60 s ahead (clock skew).
    QTest::addColumn<qint64>("authDate");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("now") << kNow << true;
    QTest::newRow("23h59m59s old") << kNow - Telegram::kMaxAgeSecs + 1 << true;
    QTest::newRow("exactly 24 h old") << kNow - Telegram::kMaxAgeSecs << true;
    QTest::newRow("24 h + 1 s old") << kNow - Telegram::kMaxAgeSecs - 1 << false;
    QTest::newRow("a week old") << kNow - 7 * 86400 << false;
    QTest::newRow("60 s ahead") << kNow + 60 << true;
    QTest::newRow("61 s ahead") << kNow + 61 << false;
    QTest::newRow("a day ahead") << kNow + 86400 << false;
    QTest::newRow("zero") << qint64(0) << false;
    QTest::newRow("negative") << qint64(-5) << false;
}

void TestTelegram::authDateWindow()
{
    QFETCH(qint64, authDate);
    QFETCH(bool, accepted);
    const auto user =
        Telegram::verifyInitData(signedInitData(miniAppFields(authDate)), kBotToken, kNow);
    QVERIFY2(bool(user) == accepted, qPrintable(user.error()));
    const auto widget = Telegram::verifyLoginWidget(widgetData(authDate), kBotToken, kNow);
    QVERIFY2(bool(widget) == accepted, qPrintable(widget.error()));
}

void TestTelegram::signInitDataRoundTrip()
{
    const Fields f = miniAppFields();
    const QString made = Telegram::signInitData(f, kBotToken);
    const auto user = Telegram::verifyInitData(made, kBotToken, kNow);
    QVERIFY2(user, qPrintable(user.error()));
    QCOMPARE(user->id, qint64(279058397));
    QCOMPARE(user->username, u"vdkfrost"_s);
    // Its hash is the one Telegram's algorithm gives.
    QVERIFY2(made.endsWith(u"&hash="_s + miniAppHash(f, kBotToken)), qPrintable(made));
    QVERIFY(!Telegram::verifyInitData(made, "another:token", kNow));

    const Fields tricky =
        miniAppFields(kNow, uR"({"id":7,"first_name":"A & B = C+D %20","username":"x"})"_s);
    const auto trickyUser =
        Telegram::verifyInitData(Telegram::signInitData(tricky, kBotToken), kBotToken, kNow);
    QVERIFY2(trickyUser, qPrintable(trickyUser.error()));
    QCOMPARE(trickyUser->firstName, u"A & B = C+D %20"_s);
}

void TestTelegram::loginWidgetAccepted()
{
    const auto user = Telegram::verifyLoginWidget(widgetData(), kBotToken, kNow);
    QVERIFY2(user, qPrintable(user.error()));
    QCOMPARE(user->id, qint64(279058397));
    QCOMPARE(user->username, u"vdkfrost"_s);
    QCOMPARE(user->firstName, u"Vladislav"_s);
    QCOMPARE(user->lastName, u"Kibenko"_s);
    QCOMPARE(user->photoUrl, u"https://t.me/i/userpic/320/vdkfrost.jpg"_s);
    QCOMPARE(user->authDate, kNow - 30);

    // Numbers may also arrive as strings (a query string turned into JSON).
    QJsonObject asStrings = widgetData();
    asStrings.insert(u"id"_s, u"279058397"_s);
    asStrings.insert(u"auth_date"_s, QString::number(kNow - 30));
    QVERIFY(Telegram::verifyLoginWidget(asStrings, kBotToken, kNow));
}

void TestTelegram::loginWidgetRefused_data()
{
    QTest::addColumn<QJsonObject>("data");
    QTest::addColumn<QByteArray>("botToken");
    const QJsonObject good = widgetData();
    const QString hash = good.value(u"hash").toString();

    auto with = [&](const QString &key, const QJsonValue &value) {
        QJsonObject o = good;
        if (value.isUndefined())
            o.remove(key);
        else
            o.insert(key, value);
        return o;
    };
    QTest::newRow("tampered id") << with(u"id"_s, 279058398) << kBotToken;
    QTest::newRow("tampered username") << with(u"username"_s, u"admin"_s) << kBotToken;
    QTest::newRow("extra field") << with(u"is_admin"_s, u"1"_s) << kBotToken;
    QTest::newRow("field removed") << with(u"photo_url"_s, QJsonValue::Undefined) << kBotToken;
    QTest::newRow("wrong bot token") << good << QByteArray("7412345678:other");
    QTest::newRow("missing hash") << with(u"hash"_s, QJsonValue::Undefined) << kBotToken;
    QTest::newRow("uppercase hash") << with(u"hash"_s, hash.toUpper()) << kBotToken;
    QTest::newRow("short hash") << with(u"hash"_s, hash.left(63)) << kBotToken;
    QTest::newRow("hash as a number") << with(u"hash"_s, 12345) << kBotToken;
    QTest::newRow("object value") << with(u"username"_s, QJsonObject{{u"a"_s, 1}}) << kBotToken;
    QTest::newRow("array value") << with(u"username"_s, QJsonArray{1}) << kBotToken;
    QTest::newRow("boolean value") << with(u"username"_s, true) << kBotToken;
    // Numbers no integer holds: casting them was undefined behaviour (found by fuzz_telegram;
    // the ASan+UBSan build of this suite fails on it without jsonInteger()).
    QTest::newRow("huge number") << with(u"auth_date"_s, 1e300) << kBotToken;
    QTest::newRow("huge id") << with(u"id"_s, -1e300) << kBotToken;

    // Signed with the Mini App key instead of SHA256(bot token).
    Fields f{{u"auth_date"_s, QString::number(kNow - 30)}, {u"id"_s, u"279058397"_s}};
    QTest::newRow("mini app key") << QJsonObject{{u"id"_s, 279058397},
                                                 {u"auth_date"_s, kNow - 30},
                                                 {u"hash"_s, miniAppHash(f, kBotToken)}}
                                  << kBotToken;
    // Correctly signed, but without a usable id.
    const Fields noId{{u"auth_date"_s, QString::number(kNow - 30)}, {u"first_name"_s, u"A"_s}};
    QTest::newRow("no id") << QJsonObject{{u"auth_date"_s, kNow - 30},
                                          {u"first_name"_s, u"A"_s},
                                          {u"hash"_s, widgetHash(noId, kBotToken)}}
                           << kBotToken;
    const Fields zeroId{{u"auth_date"_s, QString::number(kNow - 30)}, {u"id"_s, u"0"_s}};
    QTest::newRow("id 0") << QJsonObject{{u"auth_date"_s, kNow - 30},
                                         {u"id"_s, 0},
                                         {u"hash"_s, widgetHash(zeroId, kBotToken)}}
                          << kBotToken;
    const Fields noDate{{u"id"_s, u"5"_s}};
    QTest::newRow("no auth_date") << QJsonObject{{u"id"_s, 5},
                                                 {u"hash"_s, widgetHash(noDate, kBotToken)}}
                                  << kBotToken;
}

void TestTelegram::loginWidgetRefused()
{
    QFETCH(QJsonObject, data);
    QFETCH(QByteArray, botToken);
    const auto user = Telegram::verifyLoginWidget(data, botToken, kNow);
    QVERIFY2(!user,
             qPrintable(QString::fromUtf8(QJsonDocument(data).toJson(QJsonDocument::Compact))));
    QVERIFY(!user.error().isEmpty());
}

QTEST_GUILESS_MAIN(TestTelegram)
#include "tst_telegram.moc"
