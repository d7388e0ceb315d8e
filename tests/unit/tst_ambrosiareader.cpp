// SPDX-License-Identifier: GPL-3.0-or-later
// The Ambrosia POS reader: an Ambrosia-shaped database (its migrations' tables) with PINs
// hashed by Python's hashlib exactly as Ambrosia's SecurePinProcessor does becomes PIN
// users with their roles and permissions; what does not map is listed; once applied, a
// user signs in with the original PIN, which is then re-hashed to argon2id.
#include "config/secrets.h"
#include "crypto/passwordhasher.h"
#include "identity/audit.h"
#include "identity/pinauth.h"
#include "identity/pinroles.h"
#include "identity/tokenstore.h"
#include "identity/users.h"
#include "originfile.h"
#include "tempdatabase.h"
#include "transfer/importer.h"
#include "transfer/origins/readers.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QString kSecret = u"tYkq3-ambrosia-secret"_s;
// hashlib.pbkdf2_hmac("sha256", pin, (kSecret + id).encode(), 10000), base64: the users'
// `pin` column as Ambrosia writes it.
const QString kAliceId = u"5f1c2a9e-4b7d-4c1e-9a3b-2d6f8e0c1a47"_s; // PIN 1234
const QString kAlicePin = u"NiAEu57x87bvW8U1p1hXgMGkuLu7HvK9mWA54bQnoJc="_s;
const QString kBobId = u"a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d"_s; // PIN 987654
const QString kBobPin = u"t/TygEUOrcmW+aaslMxaHGeyIQEOh2b7u5SVr5A6/G0="_s;
const QString kDaveId = u"0c9d8e7f-6a5b-4c3d-2e1f-0a9b8c7d6e5f"_s; // PIN 4321
const QString kDavePin = u"UxH1sYMninrC3cWs5+zHZMoHsNzCKYAMkbLnOrE845k="_s;

// Ambrosia's tables after its migrations V1, V2, V5, V8, V22 and V29.
QStringList ambrosiaSchema()
{
    return {
        u"CREATE TABLE roles (id BLOB PRIMARY KEY, role TEXT NOT NULL UNIQUE, password TEXT, "
        u"isAdmin BOOLEAN NOT NULL DEFAULT 0, is_deleted BOOLEAN NOT NULL DEFAULT 0)"_s,
        u"CREATE TABLE users (id BLOB PRIMARY KEY, name TEXT NOT NULL UNIQUE, pin TEXT NOT NULL, "
        u"refresh_token TEXT, is_deleted BOOLEAN NOT NULL DEFAULT 0, role_id BLOB, email TEXT, "
        u"phone TEXT, wallet_token TEXT, FOREIGN KEY (role_id) REFERENCES roles (id))"_s,
        u"CREATE TABLE permissions (id BLOB PRIMARY KEY, name TEXT NOT NULL UNIQUE, "
        u"description TEXT, enabled BOOLEAN NOT NULL DEFAULT 1)"_s,
        u"CREATE TABLE role_permissions (role_id BLOB NOT NULL, permission_id BLOB NOT NULL, "
        u"PRIMARY KEY (role_id, permission_id))"_s,
    };
}

QStringList ambrosiaRows()
{
    QStringList rows;
    for (const char16_t *name : {u"orders_read", u"orders_create", u"payments_create",
                                 u"users_read", u"settings_update", u"kitchen_display"})
        rows << u"INSERT INTO permissions (id, name, description) VALUES "
                u"(lower(hex(randomblob(16))), '%1', 'd')"_s.arg(QString::fromUtf16(name));
    rows << u"INSERT INTO roles (id, role, password, isAdmin) VALUES "
            u"('r-admin', 'Admin', 'role-hash', 1), ('r-cash', 'Cashier', NULL, 0), "
            u"('r-floor', 'Jefe de Sala', NULL, 0)"_s
         << u"INSERT INTO roles (id, role, isAdmin, is_deleted) VALUES ('r-old', 'Old', 0, 1)"_s
         << u"INSERT INTO role_permissions SELECT 'r-admin', id FROM permissions"_s
         << u"INSERT INTO role_permissions SELECT 'r-cash', id FROM permissions WHERE name IN "
            u"('orders_read', 'orders_create', 'payments_create', 'kitchen_display')"_s
         << u"INSERT INTO role_permissions SELECT 'r-floor', id FROM permissions WHERE name = "
            u"'orders_read'"_s
         << u"INSERT INTO users (id, name, pin, refresh_token, role_id, email, phone) VALUES "
            u"('%1', 'Alice', '%2', 'rt', 'r-cash', 'Alice@Example.com', '+525512345678'), "
            u"('%3', 'bob', '%4', NULL, 'r-admin', NULL, NULL), "
            u"('%5', 'dave', '%6', NULL, 'r-old', '', NULL), "
            u"('u-carol', 'Carol Ann', '%2', NULL, 'r-cash', NULL, NULL), "
            u"('u-erin', 'erin', 'not base64!', NULL, 'r-cash', NULL, NULL)"_s.arg(
                kAliceId, kAlicePin, kBobId, kBobPin, kDaveId, kDavePin)
         << u"INSERT INTO users (id, name, pin, is_deleted, role_id) VALUES "
            u"('u-gone', 'DELETED-u-gone', '%1', 1, 'r-cash')"_s.arg(kAlicePin);
    return rows;
}

const Transfer::User *userNamed(const Origins::Read &read, const QString &username)
{
    for (const Transfer::User &u : read.document.users)
        if (u.username == username)
            return &u;
    return nullptr;
}

const Transfer::PinRole *roleNamed(const Origins::Read &read, const QString &name)
{
    for (const Transfer::PinRole &r : read.document.pinRoles)
        if (r.name == name)
            return &r;
    return nullptr;
}

bool mentions(const QStringList &lines, const QString &part)
{
    return std::any_of(lines.begin(), lines.end(),
                       [&](const QString &line) { return line.contains(part); });
}

Origins::Read readOrFail(const OriginFile &origin, const QString &secret)
{
    const auto read =
        Origins::readAmbrosia(origin.db(), {.ambrosiaSecret = secret, .hapiNamespace = {}});
    if (!read)
        qFatal("read failed: %s", qPrintable(read.error()));
    return *read;
}

} // namespace

class TestAmbrosiaReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void usersRolesAndPermissions();
    void pinsVerifyAsTheOriginal();
    void whatStaysBehind();
    void refusals();
    void importedUserSignsIn();
    void secretFromAmbrosiaConf();
};

void TestAmbrosiaReader::usersRolesAndPermissions()
{
    const OriginFile origin(ambrosiaSchema() + ambrosiaRows());
    const Origins::Read read = readOrFail(origin, kSecret);
    QVERIFY(read.document.sensitive);
    QCOMPARE(read.document.users.size(), 3); // alice, bob, dave

    const auto *alice = userNamed(read, u"alice"_s);
    QVERIFY(alice);
    QCOMPARE(alice->id, kAliceId);
    QCOMPARE(alice->displayName, u"Alice"_s);
    QCOMPARE(alice->role, u"cashier"_s);
    QVERIFY(!alice->isAdmin);
    QCOMPARE(alice->email, u"alice@example.com"_s);
    QVERIFY(alice->passwordHash.isEmpty());
    const auto *bob = userNamed(read, u"bob"_s);
    QVERIFY(bob);
    QCOMPARE(bob->role, u"admin"_s);
    QVERIFY(bob->isAdmin);
    QVERIFY(bob->email.isEmpty());
    const auto *dave = userNamed(read, u"dave"_s); // his role was deleted
    QVERIFY(dave);
    QVERIFY(dave->role.isEmpty());

    QCOMPARE(read.document.pinRoles.size(), 3);
    const auto *cashier = roleNamed(read, u"cashier"_s);
    QVERIFY(cashier);
    QCOMPARE(cashier->permissions,
             (QStringList{u"orders_create"_s, u"orders_read"_s, u"payments_create"_s}));
    QCOMPARE(roleNamed(read, u"admin"_s)->permissions.size(), 5); // not kitchen_display
    const auto *floor = roleNamed(read, u"jefe-de-sala"_s);
    QVERIFY(floor);
    QCOMPARE(floor->permissions, QStringList{u"orders_read"_s});
    QVERIFY(!roleNamed(read, u"old"_s));
}

// The stored form holds the whole salt: the original PIN verifies without the secret.
void TestAmbrosiaReader::pinsVerifyAsTheOriginal()
{
    const OriginFile origin(ambrosiaSchema() + ambrosiaRows());
    const Origins::Read read = readOrFail(origin, kSecret);
    const QString alice = userNamed(read, u"alice"_s)->pinHash;
    QVERIFY2(alice.startsWith(u"$pbkdf2-sha256$10000$"_s), qPrintable(alice));
    QVERIFY(PasswordHasher::verify(alice, "1234"));
    QVERIFY(!PasswordHasher::verify(alice, "1235"));
    QVERIFY(PasswordHasher::verify(userNamed(read, u"bob"_s)->pinHash, "987654"));
    QVERIFY(!PasswordHasher::verify(userNamed(read, u"bob"_s)->pinHash, "1234"));
    QVERIFY(PasswordHasher::verify(userNamed(read, u"dave"_s)->pinHash, "4321"));

    // A wrong secret reads fine but no PIN verifies: the salt is wrong.
    const Origins::Read wrong = readOrFail(origin, kSecret + u"x"_s);
    QVERIFY(!PasswordHasher::verify(userNamed(wrong, u"alice"_s)->pinHash, "1234"));
}

void TestAmbrosiaReader::whatStaysBehind()
{
    const OriginFile origin(ambrosiaSchema() + ambrosiaRows());
    const QStringList lines = readOrFail(origin, kSecret).notCarried;
    QVERIFY2(mentions(lines, u"user 'Carol Ann': not a Gatehouse name"_s),
             qPrintable(lines.join(u'\n')));
    QVERIFY(mentions(lines, u"user 'erin': its PIN hash is not in Ambrosia's form"_s));
    QVERIFY(mentions(lines, u"user 'dave': no role"_s));
    QVERIFY(mentions(lines, u"role 'Cashier': permission 'kitchen_display'"_s));
    QVERIFY(mentions(lines, u"role 'Admin': permission 'kitchen_display'"_s));
    QVERIFY(mentions(lines, u"role 'Jefe de Sala' is named 'jefe-de-sala' here"_s));
    QVERIFY(mentions(lines, u"role passwords (Admin)"_s));
    QVERIFY(mentions(lines, u"1 role(s) deleted"_s));
    QVERIFY(mentions(lines, u"1 user(s) deleted"_s));
    QVERIFY(mentions(lines, u"phone numbers of 1 user(s)"_s));
    QVERIFY(mentions(lines, u"sessions (refresh tokens)"_s));
    QVERIFY(!mentions(lines, u"'bob'"_s));
}

void TestAmbrosiaReader::refusals()
{
    const OriginFile origin(ambrosiaSchema() + ambrosiaRows());
    const auto noSecret = Origins::readAmbrosia(origin.db(), {});
    QVERIFY(!noSecret);
    QVERIFY2(noSecret.error().contains(u"secret"_s), qPrintable(noSecret.error()));

    const OriginFile other({u"CREATE TABLE users (id INTEGER, platform TEXT)"_s});
    const auto notAmbrosia =
        Origins::readAmbrosia(other.db(), {.ambrosiaSecret = kSecret, .hapiNamespace = {}});
    QVERIFY(!notAmbrosia);
    QVERIFY2(notAmbrosia.error().contains(u"not an Ambrosia POS database"_s),
             qPrintable(notAmbrosia.error()));
}

// Applied as `gatehouse import` applies it: the original PIN signs in with the role's
// permissions, the hash becomes argon2id (audited), and a second apply of the same
// read before that changes nothing.
void TestAmbrosiaReader::importedUserSignsIn()
{
    const OriginFile origin(ambrosiaSchema() + ambrosiaRows());
    const Origins::Read read = readOrFail(origin, kSecret);
    TempDatabase temp(1'700'000'000'000);
    const Database &db = temp.db();
    const auto first = Transfer::apply(db, read.document, u"fp"_s, temp.clock().nowMs());
    QVERIFY2(first, qPrintable(first ? QString() : first.error()));
    QCOMPARE(first->users.created, 3);
    const auto again = Transfer::apply(db, read.document, u"fp"_s, temp.clock().nowMs());
    QVERIFY(again);
    QCOMPARE(again->users.created + again->users.updated, 0);
    QCOMPARE(again->pinRoles.created + again->pinRoles.updated, 0);

    Secrets secrets;
    secrets.set(SecretName::signingKey, QByteArray(32, 'k'));
    AuditLog audit(db, temp.clock());
    Users users(db, temp.clock());
    PinRoles roles(db, temp.clock(), audit);
    TokenStore tokens(db, temp.clock(), secrets);
    PinAuth pin(db, users, roles, tokens, secrets, temp.clock(), audit);

    QVERIFY(!pin.login(u"Alice"_s, u"4321"_s, u"127.0.0.1"_s));
    QVERIFY(users.byUsername(u"alice"_s)->pinHash.startsWith(u"$pbkdf2-sha256$"_s));
    const auto session = pin.login(u"Alice"_s, u"1234"_s, u"127.0.0.1"_s);
    QVERIFY2(session, qPrintable(session ? QString() : session.error()));
    QCOMPARE(session->role.name, u"cashier"_s);
    QCOMPARE(session->role.permissions.size(), 3);
    const QString rehashed = users.byUsername(u"alice"_s)->pinHash;
    QVERIFY2(rehashed.startsWith(u"$argon2id$v=19$m=19456,t=2,p=1$"_s), qPrintable(rehashed));
    QVERIFY(PasswordHasher::verify(rehashed, "1234"));
    QVERIFY(pin.login(u"alice"_s, u"1234"_s, u"127.0.0.1"_s)); // and again, as argon2id

    const auto admin = pin.login(u"bob"_s, u"987654"_s, u"127.0.0.1"_s);
    QVERIFY(admin);
    QVERIFY(admin->user.isAdmin);
    QCOMPARE(admin->role.name, u"admin"_s);
    const auto noRole = pin.login(u"dave"_s, u"4321"_s, u"127.0.0.1"_s);
    QVERIFY(!noRole);
    QCOMPARE(noRole.refusal().kind, Refusal::Kind::NoRole);
}

// ambrosia.conf as Ambrosia appends to it (a "\nkey=value" per option it defaulted).
void TestAmbrosiaReader::secretFromAmbrosiaConf()
{
    QTemporaryDir folder;
    QCOMPARE(Origins::ambrosiaConfSecret(folder.path()), QString()); // no file
    QFile conf(folder.filePath(u"ambrosia.conf"_s));
    QVERIFY(conf.open(QIODevice::WriteOnly));
    conf.write("\nhttp-bind-ip=127.0.0.1\nhttp-bind-port=9154\nsecret=" + kSecret.toUtf8() +
               "\nphoenixd-url=http://localhost:9740\n");
    conf.close();
    QCOMPARE(Origins::ambrosiaConfSecret(folder.path()), kSecret);
}

QTEST_GUILESS_MAIN(TestAmbrosiaReader)
#include "tst_ambrosiareader.moc"
