// SPDX-License-Identifier: GPL-3.0-or-later
// OidcTokens: the OpenID provider's access and refresh tokens, by family, against a real
// SQLite database and a fake clock: hashed storage (the rows read back), expiry,
// rotation, reuse revoking the family, revocation, and the checks at use (a disabled
// user, sign-out everywhere, a removed client).
#include "crypto/digest.h"
#include "identity/users.h"
#include "oidc/oidcclients.h"
#include "oidc/oidctokens.h"
#include "storage/database.h"
#include "tempdatabase.h"

#include <QTest>
#include <memory>

using namespace Qt::StringLiterals;

namespace {
constexpr qint64 kStart = 1'790'000'000'000;
constexpr qint64 kDayMs = 24 * 3600'000LL;
const OidcTokens::Lifetimes kLifetimes{600'000, 30 * kDayMs};

qint64 scalar(const Database &db, const QString &sql, const QString &family = {})
{
    Sql q(db, sql);
    if (!family.isEmpty())
        q.bind(u":family"_s, family);
    q.exec();
    return q.next() ? q.value(u"n"_s).toLongLong() : -1;
}
} // namespace

class TestOidcTokens : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void storedAsHashes();
    void accessExpires();
    void withoutRefresh();
    void rotation();
    void reuseRevokesFamily();
    void otherClientCannotRefresh();
    void refreshExpires();
    void narrowedScope();
    void revokeAccessAlone();
    void revokeRefreshTakesFamily();
    void disabledUserRefused();
    void signOutEverywhereRefusesFamily();
    void removedClientRemovesTokens();
    void purgeKeepsReuseMemory();

private:
    const Database &db() { return m_fixture->db(); }
    OidcTokens::Issued issue(bool withRefresh = true, const QString &scope = {});

    std::unique_ptr<TempDatabase> m_fixture;
    std::unique_ptr<Users> m_users;
    std::unique_ptr<OidcClients> m_clients;
    std::unique_ptr<OidcTokens> m_tokens;
    QString m_userId;
    QString m_clientId;
    QString m_otherClientId;
};

void TestOidcTokens::init()
{
    m_fixture = std::make_unique<TempDatabase>(kStart);
    m_users = std::make_unique<Users>(db(), m_fixture->clock());
    m_clients = std::make_unique<OidcClients>(db(), m_fixture->clock());
    m_tokens = std::make_unique<OidcTokens>(db(), m_fixture->clock());
    User draft;
    draft.username = u"alice"_s;
    draft.email = u"alice@example.com"_s;
    m_userId = m_users->create(draft)->id;
    OidcClient client;
    client.name = u"Grafana"_s;
    client.redirectUris = {u"https://grafana.example.com/login/generic_oauth"_s};
    // Not empty: OidcClients::add binds an empty list as NULL (a bug of the contract's,
    // the clients part's to fix).
    client.postLogoutRedirectUris = {u"https://grafana.example.com/"_s};
    client.scopes = {u"openid"_s, u"profile"_s, u"email"_s, u"offline_access"_s};
    const auto added = m_clients->add(client);
    QVERIFY(added);
    m_clientId = added->client.id;
    client.name = u"Gitea"_s;
    m_otherClientId = m_clients->add(client)->client.id;
}

void TestOidcTokens::cleanup()
{
    m_tokens.reset();
    m_clients.reset();
    m_users.reset();
    m_fixture.reset();
}

OidcTokens::Issued TestOidcTokens::issue(bool withRefresh, const QString &scope)
{
    const TokenFamily family{
        u"family-1"_s,  m_clientId,
        m_userId,       scope.isEmpty() ? u"openid profile offline_access"_s : scope,
        u"session-1"_s, kStart - 1000,
        u"pwd"_s,       m_users->byId(m_userId)->tokensValidAfter};
    return m_tokens->issue(family, withRefresh, kLifetimes);
}

void TestOidcTokens::storedAsHashes()
{
    const auto issued = issue();
    QCOMPARE(issued.accessToken.size(), 43); // 32 random bytes, base64url
    QCOMPARE(issued.refreshToken.size(), 43);
    QVERIFY(issued.accessToken != issued.refreshToken);
    Sql q(db(), u"SELECT token_hash, kind, family_id, client_id, user_id, scope, session_id,"
                u" auth_time, amr, expires_at FROM oidc_tokens ORDER BY kind"_s);
    q.exec();
    QVERIFY(q.next());
    QCOMPARE(q.value(u"kind"_s).toString(), u"access"_s);
    QCOMPARE(q.value(u"token_hash"_s).toString(), Digest::tokenHash(issued.accessToken.toLatin1()));
    QCOMPARE(q.value(u"family_id"_s).toString(), u"family-1"_s);
    QCOMPARE(q.value(u"client_id"_s).toString(), m_clientId);
    QCOMPARE(q.value(u"user_id"_s).toString(), m_userId);
    QCOMPARE(q.value(u"session_id"_s).toString(), u"session-1"_s);
    QCOMPARE(q.value(u"auth_time"_s).toLongLong(), kStart - 1000);
    QCOMPARE(q.value(u"amr"_s).toString(), u"pwd"_s);
    QCOMPARE(q.value(u"expires_at"_s).toLongLong(), kStart + 600'000);
    QVERIFY(q.next());
    QCOMPARE(q.value(u"kind"_s).toString(), u"refresh"_s);
    QCOMPARE(q.value(u"token_hash"_s).toString(),
             Digest::tokenHash(issued.refreshToken.toLatin1()));
    QCOMPARE(q.value(u"expires_at"_s).toLongLong(), kStart + 30 * kDayMs);
    QVERIFY(!q.next());
    // Nothing stored holds a token itself.
    Sql all(db(), u"SELECT * FROM oidc_tokens"_s);
    all.exec();
    while (all.next())
        for (const QString &column : {u"token_hash"_s, u"family_id"_s, u"scope"_s})
            QVERIFY(!all.value(column).toString().contains(issued.accessToken) &&
                    !all.value(column).toString().contains(issued.refreshToken));
    QCOMPARE(m_tokens->active(issued.accessToken)->kind, OidcToken::Kind::Access);
    QCOMPARE(m_tokens->active(issued.refreshToken)->kind, OidcToken::Kind::Refresh);
    QVERIFY(!m_tokens->active(Digest::tokenHash(issued.accessToken.toLatin1())));
}

void TestOidcTokens::accessExpires()
{
    const auto issued = issue();
    m_fixture->clock().advanceMs(600'000 - 1);
    QVERIFY(m_tokens->active(issued.accessToken));
    m_fixture->clock().advanceMs(1);
    QVERIFY(!m_tokens->active(issued.accessToken));
    QVERIFY(m_tokens->active(issued.refreshToken)); // 30 days
    QVERIFY(m_tokens->find(issued.accessToken));    // still there for revocation's lookup
}

void TestOidcTokens::withoutRefresh()
{
    const auto issued = issue(false, u"openid"_s);
    QVERIFY(issued.refreshToken.isEmpty());
    QCOMPARE(scalar(db(), u"SELECT COUNT(*) AS n FROM oidc_tokens"_s), qint64(1));
}

void TestOidcTokens::rotation()
{
    const auto first = issue();
    m_fixture->clock().advanceSecs(700); // the access token expired; the refresh one did not
    const auto refreshed = m_tokens->refresh(first.refreshToken, m_clientId, {}, kLifetimes);
    QCOMPARE(refreshed.outcome, OidcTokens::Outcome::Rotated);
    const auto &second = refreshed.issued;
    QVERIFY(second.refreshToken != first.refreshToken);
    QVERIFY(second.accessToken != first.accessToken);
    QCOMPARE(second.family.familyId, u"family-1"_s);
    QCOMPARE(second.family.authTime, kStart - 1000); // the original sign-in's
    QCOMPARE(second.scope, u"openid profile offline_access"_s);
    QCOMPARE(second.accessExpiresAt, kStart + 700'000 + 600'000);
    QVERIFY(m_tokens->active(second.accessToken));
    QVERIFY(m_tokens->active(second.refreshToken));
    QVERIFY(!m_tokens->active(first.refreshToken)); // rotated away
    QVERIFY(m_tokens->find(first.refreshToken)->usedAt == kStart + 700'000);
    QCOMPARE(scalar(db(), u"SELECT COUNT(*) AS n FROM oidc_tokens WHERE family_id = :family"_s,
                    u"family-1"_s),
             qint64(4));
}

void TestOidcTokens::reuseRevokesFamily()
{
    const auto first = issue();
    const auto second = m_tokens->refresh(first.refreshToken, m_clientId, {}, kLifetimes).issued;
    const auto third = m_tokens->refresh(second.refreshToken, m_clientId, {}, kLifetimes).issued;
    QVERIFY(m_tokens->active(third.accessToken));
    // The first refresh token again: someone else holds a copy.
    const auto reused = m_tokens->refresh(first.refreshToken, m_clientId, {}, kLifetimes);
    QCOMPARE(reused.outcome, OidcTokens::Outcome::Reused);
    QCOMPARE(reused.familyId, u"family-1"_s);
    QVERIFY(reused.issued.accessToken.isEmpty());
    for (const QString &token :
         {first.accessToken, second.accessToken, third.accessToken, third.refreshToken})
        QVERIFY(!m_tokens->active(token));
    QCOMPARE(scalar(db(),
                    u"SELECT COUNT(*) AS n FROM oidc_tokens WHERE family_id = :family"
                    u" AND revoked_at = 0"_s,
                    u"family-1"_s),
             qint64(0));
    // The newest refresh token is revoked too, so its holder cannot go on either.
    QCOMPARE(m_tokens->refresh(third.refreshToken, m_clientId, {}, kLifetimes).outcome,
             OidcTokens::Outcome::Revoked);
}

void TestOidcTokens::otherClientCannotRefresh()
{
    const auto first = issue();
    QCOMPARE(m_tokens->refresh(first.refreshToken, m_otherClientId, {}, kLifetimes).outcome,
             OidcTokens::Outcome::WrongClient);
    QVERIFY(m_tokens->active(first.refreshToken)); // not spent, not revoked
    QCOMPARE(m_tokens->refresh(first.accessToken, m_clientId, {}, kLifetimes).outcome,
             OidcTokens::Outcome::Unknown); // an access token is no refresh token
    QCOMPARE(m_tokens->refresh(u"nonsense"_s, m_clientId, {}, kLifetimes).outcome,
             OidcTokens::Outcome::Unknown);
}

void TestOidcTokens::refreshExpires()
{
    const auto first = issue();
    m_fixture->clock().advanceMs(30 * kDayMs);
    QVERIFY(!m_tokens->active(first.refreshToken));
    QCOMPARE(m_tokens->refresh(first.refreshToken, m_clientId, {}, kLifetimes).outcome,
             OidcTokens::Outcome::Expired);
}

void TestOidcTokens::narrowedScope()
{
    const auto first = issue();
    const auto narrowed =
        m_tokens->refresh(first.refreshToken, m_clientId, u"openid"_s, kLifetimes);
    QCOMPARE(narrowed.outcome, OidcTokens::Outcome::Rotated);
    QCOMPARE(narrowed.issued.scope, u"openid"_s);
    QCOMPARE(m_tokens->active(narrowed.issued.accessToken)->scope, u"openid"_s);
    // RFC 6749 6: the new refresh token keeps the scope of the one presented.
    QCOMPARE(m_tokens->active(narrowed.issued.refreshToken)->scope,
             u"openid profile offline_access"_s);
}

void TestOidcTokens::revokeAccessAlone()
{
    const auto issued = issue();
    QCOMPARE(m_tokens->revoke(*m_tokens->find(issued.accessToken)), 1);
    QVERIFY(!m_tokens->active(issued.accessToken));
    QVERIFY(m_tokens->active(issued.refreshToken));
    QCOMPARE(m_tokens->revoke(*m_tokens->find(issued.accessToken)), 0); // already
}

void TestOidcTokens::revokeRefreshTakesFamily()
{
    const auto issued = issue();
    const auto other = m_tokens->issue(
        {u"family-2"_s, m_clientId, m_userId, u"openid"_s, u"s"_s, kStart, u"pwd"_s, 0}, false,
        kLifetimes);
    QCOMPARE(m_tokens->revoke(*m_tokens->find(issued.refreshToken)), 2);
    QVERIFY(!m_tokens->active(issued.accessToken));
    QVERIFY(!m_tokens->active(issued.refreshToken));
    QVERIFY(m_tokens->active(other.accessToken)); // another family stays
    QCOMPARE(m_tokens->refresh(issued.refreshToken, m_clientId, {}, kLifetimes).outcome,
             OidcTokens::Outcome::Revoked);
}

void TestOidcTokens::disabledUserRefused()
{
    const auto issued = issue();
    QVERIFY(m_users->setDisabled(m_userId, true));
    QVERIFY(!m_tokens->active(issued.accessToken));
    QCOMPARE(m_tokens->refresh(issued.refreshToken, m_clientId, {}, kLifetimes).outcome,
             OidcTokens::Outcome::UserRefused);
    QVERIFY(m_users->setDisabled(m_userId, false));
    QVERIFY(m_tokens->active(issued.accessToken)); // enabled again: the check is at use
    QCOMPARE(m_tokens->refresh(issued.refreshToken, m_clientId, {}, kLifetimes).outcome,
             OidcTokens::Outcome::Rotated);
}

void TestOidcTokens::signOutEverywhereRefusesFamily()
{
    const auto issued = issue();
    QVERIFY(m_users->signOutEverywhere(m_userId)); // in the same millisecond as the issue
    QVERIFY(!m_tokens->active(issued.accessToken));
    QVERIFY(!m_tokens->active(issued.refreshToken));
    QCOMPARE(m_tokens->refresh(issued.refreshToken, m_clientId, {}, kLifetimes).outcome,
             OidcTokens::Outcome::UserRefused);
    // A family that begins after the sign-out works.
    m_fixture->clock().advanceSecs(1);
    const auto later = issue();
    QVERIFY(m_tokens->active(later.accessToken));
    QCOMPARE(m_tokens->revokeForUser(m_userId), 4);
    QVERIFY(!m_tokens->active(later.accessToken));
}

void TestOidcTokens::removedClientRemovesTokens()
{
    const auto issued = issue();
    QVERIFY(m_clients->remove(m_clientId));
    QVERIFY(!m_tokens->active(issued.accessToken));
    QVERIFY(!m_tokens->find(issued.refreshToken));
    QCOMPARE(scalar(db(), u"SELECT COUNT(*) AS n FROM oidc_tokens"_s), qint64(0));
}

void TestOidcTokens::purgeKeepsReuseMemory()
{
    const auto issued = issue();
    m_fixture->clock().advanceMs(600'000 + 23 * 3600'000LL);
    QCOMPARE(m_tokens->purgeExpired(), 0); // a day past expiry is still remembered
    m_fixture->clock().advanceMs(2 * 3600'000LL);
    QCOMPARE(m_tokens->purgeExpired(), 1); // the access token
    QVERIFY(m_tokens->find(issued.refreshToken));
}

QTEST_GUILESS_MAIN(TestOidcTokens)
#include "tst_oidctokens.moc"
