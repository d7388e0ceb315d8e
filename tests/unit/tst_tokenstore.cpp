// SPDX-License-Identifier: GPL-3.0-or-later
// TokenStore: issued tokens and sessions, stored as keyed hashes, against a real SQLite database.
#include "config/secrets.h"
#include "crypto/digest.h"
#include "identity/tokenstore.h"
#include "identity/users.h"
#include "storage/database.h"
#include "tempdatabase.h"

#include <QTest>
#include <QUuid>
#include <memory>

using namespace Qt::StringLiterals;

namespace {
constexpr qint64 kStart = 1'790'000'000'000;
constexpr qint64 kMinute = 60'000;
TokenFilter live(const QString &userId, const QString &kind = QString())
{
    TokenFilter f;
    f.userId = userId;
    f.kind = kind;
    return f;
}
} // namespace

class TestTokenStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { m_fixture = std::make_unique<TempDatabase>(kStart); }
    void cleanup() { m_fixture.reset(); }

    void tokensIssueAndFind();
    void tokensExpiry();
    void tokensRevoke();
    void tokensListCountPurge();
    void tokensTouch();
    void tokensHashIsKeyed();

private:
    std::unique_ptr<TempDatabase> m_fixture;
    const Database &db() { return m_fixture->db(); }
};

// ---------------------------------------------------------------- TokenStore

void TestTokenStore::tokensIssueAndFind()
{
    Secrets secrets;
    secrets.set(SecretName::signingKey, QByteArray(32, 'k'));
    TokenStore tokens(db(), m_fixture->clock(), secrets);
    const IssuedToken t = tokens.issue(TokenKind::refresh, u"user-1"_s, "secret-one", 10 * kMinute,
                                       u"iOS"_s, uR"({"device":"x"})"_s);
    QVERIFY(!QUuid::fromString(t.id).isNull());
    QCOMPARE(t.createdAt, kStart);
    QCOMPARE(t.expiresAt, kStart + 10 * kMinute);

    const auto found = tokens.findLive(TokenKind::refresh, "secret-one");
    QVERIFY(found);
    QCOMPARE(found->id, t.id);
    QCOMPARE(found->kind, TokenKind::refresh);
    QCOMPARE(found->userId, u"user-1"_s);
    QCOMPARE(found->label, u"iOS"_s);
    QCOMPARE(found->data, uR"({"device":"x"})"_s);
    QCOMPARE(found->expiresAt, kStart + 10 * kMinute);
    QCOMPARE(found->revokedAt, qint64(0));

    QVERIFY(!tokens.findLive(TokenKind::device, "secret-one")); // kind mismatch
    QVERIFY(!tokens.findLive(TokenKind::apiToken, "secret-one"));
    QVERIFY(!tokens.findLive(TokenKind::refresh, "secret-onE"));
    QVERIFY(!tokens.findLive(TokenKind::refresh, "secret-on"));
    QVERIFY(!tokens.findLive(TokenKind::refresh, QByteArray()));

    // The same secret issued under another kind is another token.
    const IssuedToken d = tokens.issue(TokenKind::device, u"user-1"_s, "secret-two", kMinute);
    QCOMPARE(tokens.findLive(TokenKind::device, "secret-two")->id, d.id);
    QCOMPARE(tokens.byId(d.id)->kind, TokenKind::device);
    QCOMPARE(tokens.byId(d.id)->label, QString());
    QVERIFY(!tokens.byId(u"nope"_s));
}

void TestTokenStore::tokensExpiry()
{
    Secrets secrets;
    secrets.set(SecretName::signingKey, QByteArray(32, 'k'));
    TokenStore tokens(db(), m_fixture->clock(), secrets);
    tokens.issue(TokenKind::refresh, u"u"_s, "s", 10 * kMinute);
    m_fixture->clock().advanceMs(10 * kMinute - 1);
    QVERIFY(tokens.findLive(TokenKind::refresh, "s"));
    m_fixture->clock().advanceMs(1); // expiresAt == now: expired
    QVERIFY(!tokens.findLive(TokenKind::refresh, "s"));
    m_fixture->clock().advanceSecs(3600);
    QVERIFY(!tokens.findLive(TokenKind::refresh, "s"));
}

void TestTokenStore::tokensRevoke()
{
    Secrets secrets;
    secrets.set(SecretName::signingKey, QByteArray(32, 'k'));
    TokenStore tokens(db(), m_fixture->clock(), secrets);
    const auto a = tokens.issue(TokenKind::refresh, u"u1"_s, "a", kMinute * 60);
    const auto b = tokens.issue(TokenKind::refresh, u"u1"_s, "b", kMinute * 60);
    const auto c = tokens.issue(TokenKind::device, u"u1"_s, "c", kMinute * 60);
    const auto d = tokens.issue(TokenKind::refresh, u"u1"_s, "d", kMinute * 60);
    const auto other = tokens.issue(TokenKind::refresh, u"u2"_s, "e", kMinute * 60);

    m_fixture->clock().advanceSecs(1);
    QVERIFY(tokens.revoke(a.id));
    QVERIFY(!tokens.revoke(a.id)); // already revoked
    QVERIFY(!tokens.revoke(u"nope"_s));
    QVERIFY(!tokens.findLive(TokenKind::refresh, "a"));
    QCOMPARE(tokens.byId(a.id)->revokedAt, kStart + 1000);

    // All of u1's refresh tokens except d: only b is still to revoke.
    QCOMPARE(tokens.revokeAllForUser(u"u1"_s, TokenKind::refresh, d.id), 1);
    QVERIFY(!tokens.findLive(TokenKind::refresh, "b"));
    QVERIFY(tokens.findLive(TokenKind::refresh, "d"));
    QVERIFY(tokens.findLive(TokenKind::device, "c"));
    QVERIFY(tokens.findLive(TokenKind::refresh, "e"));

    // Every kind for u1.
    QCOMPARE(tokens.revokeAllForUser(u"u1"_s), 2); // c and d
    QVERIFY(!tokens.findLive(TokenKind::device, "c"));
    QVERIFY(!tokens.findLive(TokenKind::refresh, "d"));
    QVERIFY(tokens.findLive(TokenKind::refresh, "e")); // another user's, untouched
    QCOMPARE(tokens.revokeAllForUser(u"u1"_s), 0);
    QCOMPARE(tokens.byId(other.id)->revokedAt, qint64(0));
    Q_UNUSED(b);
    Q_UNUSED(c);
}

void TestTokenStore::tokensListCountPurge()
{
    Secrets secrets;
    secrets.set(SecretName::signingKey, QByteArray(32, 'k'));
    TokenStore tokens(db(), m_fixture->clock(), secrets);
    const auto shortLived = tokens.issue(TokenKind::refresh, u"u1"_s, "a", kMinute);
    m_fixture->clock().advanceMs(1);
    const auto longLived = tokens.issue(TokenKind::refresh, u"u1"_s, "b", 60 * kMinute);
    m_fixture->clock().advanceMs(1);
    const auto device = tokens.issue(TokenKind::device, u"u1"_s, "c", 60 * kMinute);
    m_fixture->clock().advanceMs(1);
    const auto revoked = tokens.issue(TokenKind::refresh, u"u2"_s, "d", 60 * kMinute);
    QVERIFY(tokens.revoke(revoked.id));

    TokenFilter all;
    all.liveOnly = false;
    QCOMPARE(tokens.count(all), qint64(4));
    QCOMPARE(tokens.count({}), qint64(3)); // live only by default
    QCOMPARE(tokens.count(live(u"u1"_s)), qint64(3));
    QCOMPARE(tokens.count(live(u"u1"_s, TokenKind::refresh)), qint64(2));
    QCOMPARE(tokens.count(live(u"u2"_s)), qint64(0));

    // Newest first.
    QStringList ids;
    for (const IssuedToken &t : tokens.list(live(u"u1"_s)))
        ids << t.id;
    QCOMPARE(ids, QStringList({device.id, longLived.id, shortLived.id}));
    TokenFilter paged{u"u1"_s, QString(), true, 1, 1};
    QCOMPARE(tokens.list(paged).size(), 1);
    QCOMPARE(tokens.list(paged).first().id, longLived.id);

    m_fixture->clock().advanceMs(2 * kMinute); // the short one has expired
    QCOMPARE(tokens.count(live(u"u1"_s)), qint64(2));
    QCOMPARE(tokens.count(all), qint64(4));

    // Purge removes rows that expired before the cutoff; revoked rows wait for expiry.
    QCOMPARE(tokens.purgeExpired(kStart), 0);
    QCOMPARE(tokens.purgeExpired(m_fixture->clock().nowMs()), 1);
    QVERIFY(!tokens.byId(shortLived.id));
    QVERIFY(tokens.byId(revoked.id));
    QCOMPARE(tokens.count(all), qint64(3));
}

void TestTokenStore::tokensTouch()
{
    Secrets secrets;
    secrets.set(SecretName::signingKey, QByteArray(32, 'k'));
    TokenStore tokens(db(), m_fixture->clock(), secrets);
    const auto t = tokens.issue(TokenKind::device, u"u"_s, "s", 60 * kMinute);
    m_fixture->clock().advanceSecs(30);
    tokens.touch(*tokens.byId(t.id));
    QCOMPARE(tokens.byId(t.id)->lastUsedAt, kStart); // at most once a minute
    m_fixture->clock().advanceSecs(31);
    tokens.touch(*tokens.byId(t.id));
    QCOMPARE(tokens.byId(t.id)->lastUsedAt, kStart + 61'000);
}

void TestTokenStore::tokensHashIsKeyed()
{
    Secrets secrets;
    secrets.set(SecretName::signingKey, QByteArray(32, 'k'));
    TokenStore tokens(db(), m_fixture->clock(), secrets);
    const QByteArray secret = "plain-bearer-token";
    const auto t = tokens.issue(TokenKind::apiToken, u"u"_s, secret, kMinute);

    Sql q(db(), u"SELECT token_hash FROM issued_tokens WHERE id = :id"_s);
    q.bind(u":id"_s, t.id).exec();
    QVERIFY(q.next());
    const QString stored = q.value(u"token_hash"_s).toString();
    QCOMPARE(stored.size(), 64);
    QVERIFY(stored != Digest::tokenHash(secret));   // not plain SHA-256
    QVERIFY(stored != QString::fromLatin1(secret)); // not the token
    QVERIFY(!stored.contains(QString::fromLatin1(secret)));
    QCOMPARE(stored, tokens.hashOf(secret));

    // Another server key gives another hash: the table alone does not test guesses.
    Secrets otherSecrets;
    otherSecrets.set(SecretName::signingKey, QByteArray(32, 'j'));
    TokenStore other(db(), m_fixture->clock(), otherSecrets);
    QVERIFY(other.hashOf(secret) != stored);
    QVERIFY(!other.findLive(TokenKind::apiToken, secret));
    QVERIFY(tokens.findLive(TokenKind::apiToken, secret));
}

QTEST_GUILESS_MAIN(TestTokenStore)
#include "tst_tokenstore.moc"
