// SPDX-License-Identifier: GPL-3.0-or-later
// The hapi reader: hapi's `users` table (one row per Telegram account bound to a
// namespace) becomes Telegram bindings and their namespaces; stores made before
// namespaces use the given one; other platforms and bad names are listed, not carried.
#include "identity/namespaces.h"
#include "identity/telegrambindings.h"
#include "originfile.h"
#include "tempdatabase.h"
#include "transfer/importer.h"
#include "transfer/origins/readers.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {

// hub/src/store/index.ts (schema version 25).
const QString kUsers =
    u"CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, platform TEXT NOT NULL, "
    u"platform_user_id TEXT NOT NULL, namespace TEXT NOT NULL DEFAULT 'default', "
    u"created_at INTEGER NOT NULL, UNIQUE(platform, platform_user_id))"_s;
// Before namespaces (hapi's legacy stores).
const QString kLegacyUsers =
    u"CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, platform TEXT NOT NULL, "
    u"platform_user_id TEXT NOT NULL, created_at INTEGER NOT NULL, "
    u"UNIQUE(platform, platform_user_id))"_s;

const QStringList kRows = {
    u"INSERT INTO users (platform, platform_user_id, namespace, created_at) VALUES "
    u"('telegram', '1880402521', 'alice', 1760000000000), "
    u"('telegram', '42', 'default', 1760000001000), "
    u"('telegram', '43', 'alice', 1750000000000), "
    u"('telegram', '44', 'team one', 1760000002000), "
    u"('telegram', 'not-a-number', 'alice', 1760000003000), "
    u"('slack', 'U123', 'alice', 1760000004000)"_s};

bool mentions(const QStringList &lines, const QString &part)
{
    return std::any_of(lines.begin(), lines.end(),
                       [&](const QString &line) { return line.contains(part); });
}

} // namespace

class TestHapiReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bindingsPerNamespace();
    void whatStaysBehind();
    void legacyStoreWithoutNamespaces();
    void notHapi();
    void appliedBindingsSignIn();
};

void TestHapiReader::bindingsPerNamespace()
{
    const OriginFile origin(QStringList{kUsers} + kRows);
    const auto read = Origins::readHapi(origin.db(), {});
    QVERIFY2(read, qPrintable(read.error()));
    const auto &bindings = read->document.telegramBindings;
    QCOMPARE(bindings.size(), 3);
    QCOMPARE(bindings[0].telegramUserId, u"43"_s); // ordered by created_at
    QCOMPARE(bindings[0].ns, u"alice"_s);
    QCOMPARE(bindings[0].boundAt, 1750000000000);
    QCOMPARE(bindings[1].telegramUserId, u"1880402521"_s);
    QCOMPARE(bindings[1].ns, u"alice"_s);
    QCOMPARE(bindings[2].telegramUserId, u"42"_s);
    QCOMPARE(bindings[2].ns, u"default"_s);
    const auto &namespaces = read->document.namespaces;
    QCOMPARE(namespaces.size(), 2);
    QCOMPARE(namespaces[0].name, u"alice"_s);
    QCOMPARE(namespaces[0].createdAt, 1750000000000); // its first binding
    QVERIFY(!namespaces[0].disabled);
    QCOMPARE(namespaces[1].name, u"default"_s);
    QVERIFY(read->document.users.isEmpty());
    QVERIFY(!read->document.sensitive); // no hashes
}

void TestHapiReader::whatStaysBehind()
{
    const OriginFile origin(QStringList{kUsers} + kRows);
    const QStringList lines = Origins::readHapi(origin.db(), {})->notCarried;
    const QString all = lines.join(u'\n');
    QVERIFY2(mentions(lines, u"Telegram user 44: namespace 'team one'"_s), qPrintable(all));
    QVERIFY(mentions(lines, u"Telegram user 'not-a-number'"_s));
    QVERIFY(mentions(lines, u"1 binding(s) of platform 'slack'"_s));
    QVERIFY(mentions(lines, u"owner id"_s));
    QVERIFY(!mentions(lines, u"1880402521"_s));
}

void TestHapiReader::legacyStoreWithoutNamespaces()
{
    const OriginFile origin({kLegacyUsers, u"INSERT INTO users (platform, platform_user_id, "
                                           u"created_at) VALUES ('telegram', '7', 1)"_s});
    const auto plain = Origins::readHapi(origin.db(), {});
    QVERIFY(plain);
    QCOMPARE(plain->document.telegramBindings.size(), 1);
    QCOMPARE(plain->document.telegramBindings[0].ns, u"default"_s);
    const auto named =
        Origins::readHapi(origin.db(), {.ambrosiaSecret = {}, .hapiNamespace = u"crew"_s});
    QVERIFY(named);
    QCOMPARE(named->document.telegramBindings[0].ns, u"crew"_s);
    QCOMPARE(named->document.namespaces.size(), 1);
    QCOMPARE(named->document.namespaces[0].name, u"crew"_s);
}

void TestHapiReader::notHapi()
{
    const OriginFile origin({u"CREATE TABLE roles (id TEXT)"_s});
    const auto read = Origins::readHapi(origin.db(), {});
    QVERIFY(!read);
    QVERIFY2(read.error().contains(u"not a hapi database"_s), qPrintable(read.error()));
}

// Applied, each Telegram account is bound to its namespace under this instance's
// fingerprint (what /api/auth looks up), and a second apply changes nothing.
void TestHapiReader::appliedBindingsSignIn()
{
    const OriginFile origin(QStringList{kUsers} + kRows);
    const auto read = Origins::readHapi(origin.db(), {});
    TempDatabase temp(1'770'000'000'000);
    const Database &db = temp.db();
    const auto first = Transfer::apply(db, read->document, u"fp"_s, temp.clock().nowMs());
    QVERIFY2(first, qPrintable(first ? QString() : first.error()));
    QCOMPARE(first->telegramBindings.created, 3);
    QCOMPARE(first->namespaces.created + first->namespaces.skipped, 2);
    const auto again = Transfer::apply(db, read->document, u"fp"_s, temp.clock().nowMs());
    QVERIFY(again);
    QCOMPARE(again->telegramBindings.skipped, 3);
    QCOMPARE(again->telegramBindings.created + again->telegramBindings.updated, 0);
    QCOMPARE(again->namespaces.created + again->namespaces.updated, 0);

    TelegramBindings bindings(db, temp.clock());
    const auto bound = bindings.find(u"1880402521"_s);
    QVERIFY(bound);
    QCOMPARE(bound->ns, u"alice"_s);
    QCOMPARE(bound->fingerprint, u"fp"_s);
}

QTEST_GUILESS_MAIN(TestHapiReader)
#include "tst_hapireader.moc"
