// SPDX-License-Identifier: GPL-3.0-or-later
// The OpenID provider's registered clients, against a real SQLite database: what may be
// registered as a redirect URI, secrets shown once and stored hashed, rotation, removal.
#include "crypto/digest.h"
#include "identity/users.h"
#include "oidc/authcodes.h"
#include "oidc/authrequests.h"
#include "oidc/oidcclients.h"
#include "storage/database.h"
#include "tempdatabase.h"

#include <QSqlQuery>
#include <QSqlRecord>
#include <QTest>
#include <memory>

using namespace Qt::StringLiterals;

namespace {
constexpr qint64 kStart = 1'790'000'000'000;

OidcClient draft(const QString &name = u"Grafana"_s)
{
    OidcClient c;
    c.name = name;
    c.redirectUris = {u"https://grafana.example.org/login/generic_oauth"_s};
    c.scopes = {u"openid"_s, u"profile"_s, u"email"_s};
    return c;
}

int countRows(const Database &db, const QString &table, const QString &clientId)
{
    Sql q(db, u"SELECT COUNT(*) AS n FROM %1 WHERE client_id = :id"_s.arg(table));
    q.bind(u":id"_s, clientId).exec();
    return q.next() ? q.value(u"n"_s).toInt() : -1;
}
} // namespace

class TestOidcClients : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { m_fixture = std::make_unique<TempDatabase>(kStart); }
    void cleanup() { m_fixture.reset(); }

    void redirectUris_data();
    void redirectUris();
    void addRefusesBadDrafts();
    void secretShownOnceStoredHashed();
    void unknownClientAndWrongSecrets();
    void rotateReplacesTheSecret();
    void publicClientHasNoSecret();
    void updateKeepsIdAndSecret();
    void listByName();
    void removeCascades();

private:
    std::unique_ptr<TempDatabase> m_fixture;
    const Database &db() { return m_fixture->db(); }
    OidcClients clients() { return OidcClients(db(), m_fixture->clock()); }
};

void TestOidcClients::redirectUris_data()
{
    QTest::addColumn<QString>("uri");
    QTest::addColumn<bool>("allowed");
    QTest::newRow("https") << u"https://app.example.org/callback"_s << true;
    QTest::newRow("https with port and query") << u"https://app.example.org:8443/cb?x=1"_s << true;
    QTest::newRow("HTTPS upper case") << u"HTTPS://app.example.org/cb"_s << true;
    QTest::newRow("http loopback v4") << u"http://127.0.0.1:8080/cb"_s << true;
    QTest::newRow("http loopback v6") << u"http://[::1]:8080/cb"_s << true;
    QTest::newRow("http localhost") << u"http://localhost:3000/cb"_s << true;
    QTest::newRow("http elsewhere") << u"http://app.example.org/cb"_s << false;
    QTest::newRow("http localhost lookalike") << u"http://localhost.evil.example/cb"_s << false;
    QTest::newRow("http 127.0.0.1 lookalike") << u"http://127.0.0.1.nip.io/cb"_s << false;
    QTest::newRow("fragment") << u"https://app.example.org/cb#frag"_s << false;
    QTest::newRow("empty fragment") << u"https://app.example.org/cb#"_s << false;
    QTest::newRow("private-use scheme") << u"com.example.app:/callback"_s << true;
    QTest::newRow("private-use scheme, no dot") << u"myapp://callback"_s << false;
    QTest::newRow("javascript") << u"javascript:alert(1)"_s << false;
    QTest::newRow("JavaScript mixed case") << u"JavaScript:alert(1)"_s << false;
    QTest::newRow("data") << u"data:text/html,hi"_s << false;
    QTest::newRow("file") << u"file:///etc/passwd"_s << false;
    QTest::newRow("relative") << u"/callback"_s << false;
    QTest::newRow("https without host") << u"https:///callback"_s << false;
    QTest::newRow("space") << u"https://app.example.org/a b"_s << false;
    QTest::newRow("line break") << u"https://app.example.org/a\nb"_s << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("too long") << u"https://app.example.org/"_s + QString(2000, u'a') << false;
}

void TestOidcClients::redirectUris()
{
    QFETCH(QString, uri);
    QFETCH(bool, allowed);
    const QString problem = OidcClients::redirectUriProblem(uri);
    QVERIFY2(problem.isEmpty() == allowed, qPrintable(problem));
}

void TestOidcClients::addRefusesBadDrafts()
{
    OidcClients store = clients();
    auto refusedWith = [&](const OidcClient &c, const QString &words) {
        const auto r = store.add(c);
        if (r)
            return false;
        return r.refusal().kind == Refusal::Kind::InvalidInput && r.error().contains(words);
    };
    OidcClient noOpenid = draft();
    noOpenid.scopes = {u"profile"_s, u"email"_s};
    QVERIFY(refusedWith(noOpenid, u"openid is required"_s));
    OidcClient unknownScope = draft();
    unknownScope.scopes << u"admin"_s;
    QVERIFY(refusedWith(unknownScope, u"\"admin\""_s));
    OidcClient noUris = draft();
    noUris.redirectUris.clear();
    QVERIFY(refusedWith(noUris, u"at least one"_s));
    OidcClient badUri = draft();
    badUri.redirectUris << u"javascript:alert(1)"_s;
    QVERIFY(refusedWith(badUri, u"javascript"_s));
    OidcClient badLogout = draft();
    badLogout.postLogoutRedirectUris = {u"http://app.example.org/"_s};
    QVERIFY(refusedWith(badLogout, u"loopback"_s));
    OidcClient badAlg = draft();
    badAlg.idTokenAlg = u"HS256"_s;
    QVERIFY(refusedWith(badAlg, u"RS256 or ES256"_s));
    QVERIFY(refusedWith(draft(u"   "_s), u"name"_s));
    QVERIFY(refusedWith(draft(QString(101, u'n')), u"name"_s));
    QVERIFY(store.list().isEmpty());
}

void TestOidcClients::secretShownOnceStoredHashed()
{
    OidcClients store = clients();
    const auto created = store.add(draft(u"  Grafana  "_s));
    QVERIFY2(created, qPrintable(created.error()));
    const OidcClient &c = created->client;
    QVERIFY(c.id.startsWith(u"gh_"_s));
    QCOMPARE(c.id.size(), 27);
    QCOMPARE(c.name, u"Grafana"_s);
    QCOMPARE(c.createdAt, kStart);
    QCOMPARE(c.secretRotatedAt, kStart);
    QVERIFY(created->secret.size() >= 43); // 32 random bytes, base64url
    QVERIFY(store.checkSecret(c.id, created->secret));

    // The row holds the SHA-256 hex of the secret, never the secret.
    Sql q(db(), u"SELECT * FROM oidc_clients WHERE client_id = :id"_s);
    q.bind(u":id"_s, c.id).exec();
    QVERIFY(q.next());
    const QString stored = q.value(u"secret_hash"_s).toString();
    QCOMPARE(stored, Digest::tokenHash(created->secret));
    QCOMPARE(stored.size(), 64);
    for (int i = 0; i < q.query().record().count(); ++i)
        QVERIFY(!q.query().value(i).toString().contains(QString::fromLatin1(created->secret)));

    // Reading it back never yields the secret: OidcClient has no field for it.
    const auto read = store.byId(c.id);
    QVERIFY(read);
    QCOMPARE(read->redirectUris, c.redirectUris);
    QCOMPARE(read->scopes, c.scopes);
    QCOMPARE(read->idTokenAlg, u"RS256"_s);
}

void TestOidcClients::unknownClientAndWrongSecrets()
{
    OidcClients store = clients();
    const auto created = store.add(draft());
    QVERIFY(created);
    const QString id = created->client.id;
    QVERIFY(!store.checkSecret(id, QByteArray()));
    QVERIFY(!store.checkSecret(id, created->secret.chopped(1)));
    QVERIFY(!store.checkSecret(id, created->secret + 'x'));
    QVERIFY(!store.checkSecret(id, Digest::tokenHash(created->secret).toLatin1()));
    // An unknown client goes through the same hash and compare against a stand-in and is
    // refused for every input, including the stand-in itself and an empty secret.
    QVERIFY(!store.checkSecret(u"gh_unknown"_s, created->secret));
    QVERIFY(!store.checkSecret(u"gh_unknown"_s, QByteArray()));
    QVERIFY(!store.checkSecret(u"gh_unknown"_s, QByteArray(64, 'x')));
    QVERIFY(!store.checkSecret(QString(), QByteArray()));
    QVERIFY(!store.checkSecret(id + u"' OR '1'='1"_s, created->secret));
}

void TestOidcClients::rotateReplacesTheSecret()
{
    OidcClients store = clients();
    const auto created = store.add(draft());
    QVERIFY(created);
    const QString id = created->client.id;
    m_fixture->clock().advanceMs(5000);
    const auto rotated = store.rotateSecret(id);
    QVERIFY(rotated);
    QVERIFY(*rotated != created->secret);
    QVERIFY(!store.checkSecret(id, created->secret));
    QVERIFY(store.checkSecret(id, *rotated));
    QCOMPARE(store.byId(id)->secretRotatedAt, kStart + 5000);
    QVERIFY(!store.rotateSecret(u"gh_unknown"_s));
}

void TestOidcClients::publicClientHasNoSecret()
{
    OidcClients store = clients();
    OidcClient c = draft(u"Mobile app"_s);
    c.isPublic = true;
    c.redirectUris = {u"com.example.app:/callback"_s};
    const auto created = store.add(c);
    QVERIFY2(created, qPrintable(created.error()));
    QVERIFY(created->secret.isEmpty());
    QCOMPARE(created->client.secretRotatedAt, 0);
    QVERIFY(store.byId(created->client.id)->isPublic);
    QVERIFY(!store.checkSecret(created->client.id, QByteArray()));
    QVERIFY(!store.checkSecret(created->client.id, "anything"));
    QVERIFY(!store.rotateSecret(created->client.id));
    QVERIFY(!store.checkSecret(created->client.id, QByteArray()));
    QVERIFY(store.byId(created->client.id)->requirePkce);
    // A public client has nothing but PKCE: it cannot be registered or changed without it.
    c.requirePkce = false;
    QVERIFY(!store.add(c));
    OidcClient changed = *store.byId(created->client.id);
    changed.requirePkce = false;
    QVERIFY(!store.update(changed));
    QVERIFY(store.byId(created->client.id)->requirePkce);
    // A confidential one may (for software that cannot send it), and back.
    const auto confidential = store.add(draft(u"Gitea"_s));
    QVERIFY(confidential);
    OidcClient gitea = confidential->client;
    gitea.requirePkce = false;
    QVERIFY(store.update(gitea));
    QVERIFY(!store.byId(gitea.id)->requirePkce);
    gitea.requirePkce = true;
    QVERIFY(store.update(gitea));
    QVERIFY(store.byId(gitea.id)->requirePkce);
}

void TestOidcClients::updateKeepsIdAndSecret()
{
    OidcClients store = clients();
    const auto created = store.add(draft());
    QVERIFY(created);
    OidcClient changed = created->client;
    changed.name = u"Grafana (prod)"_s;
    changed.redirectUris = {u"https://a.example.org/cb"_s, u"https://b.example.org/cb"_s};
    changed.postLogoutRedirectUris = {u"https://a.example.org/"_s};
    changed.scopes = {u"openid"_s, u"offline_access"_s, u"openid"_s};
    changed.firstParty = true;
    changed.idTokenAlg = u"ES256"_s;
    changed.isPublic = true; // not changeable: ignored
    m_fixture->clock().advanceMs(1000);
    const auto updated = store.update(changed);
    QVERIFY2(updated, qPrintable(updated.error()));
    QCOMPARE(updated->name, u"Grafana (prod)"_s);
    QCOMPARE(updated->redirectUris.size(), 2);
    QCOMPARE(updated->postLogoutRedirectUris, QStringList{u"https://a.example.org/"_s});
    QCOMPARE(updated->scopes, QStringList({u"openid"_s, u"offline_access"_s}));
    QVERIFY(updated->firstParty);
    QVERIFY(!updated->isPublic);
    QCOMPARE(updated->idTokenAlg, u"ES256"_s);
    QCOMPARE(updated->updatedAt, kStart + 1000);
    QCOMPARE(updated->createdAt, kStart);
    QVERIFY(store.checkSecret(created->client.id, created->secret));

    changed.redirectUris = {u"https://a.example.org/cb#x"_s};
    QVERIFY(!store.update(changed));
    QCOMPARE(store.byId(created->client.id)->redirectUris.size(), 2);
    changed = draft();
    changed.id = u"gh_unknown"_s;
    const auto missing = store.update(changed);
    QVERIFY(!missing);
    QCOMPARE(missing.refusal().kind, Refusal::Kind::NotFound);
}

void TestOidcClients::listByName()
{
    OidcClients store = clients();
    QVERIFY(store.add(draft(u"Nextcloud"_s)));
    QVERIFY(store.add(draft(u"Gitea"_s)));
    QVERIFY(store.add(draft(u"Grafana"_s)));
    QStringList names;
    for (const OidcClient &c : store.list())
        names << c.name;
    QCOMPARE(names, QStringList({u"Gitea"_s, u"Grafana"_s, u"Nextcloud"_s}));
}

void TestOidcClients::removeCascades()
{
    OidcClients store = clients();
    const auto kept = store.add(draft(u"Kept"_s));
    const auto gone = store.add(draft(u"Gone"_s));
    QVERIFY(kept && gone);
    Users users(db(), m_fixture->clock());
    User person;
    person.username = u"alice"_s;
    const auto alice = users.create(person);
    QVERIFY2(alice, qPrintable(alice.error()));
    AuthRequests requests(db(), m_fixture->clock());
    AuthCodes codes(db(), m_fixture->clock());
    for (const QString &id : {kept->client.id, gone->client.id}) {
        AuthRequest r;
        r.clientId = id;
        r.redirectUri = draft().redirectUris.first();
        r.scope = u"openid"_s;
        r.codeChallenge = u"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"_s;
        r.responseMode = u"query"_s;
        requests.save(r);
        CodeGrant g;
        g.clientId = id;
        g.userId = alice->id;
        g.redirectUri = r.redirectUri;
        g.scope = u"openid"_s;
        g.codeChallenge = r.codeChallenge;
        g.amr = u"pwd"_s;
        codes.issue(g);
    }
    QCOMPARE(countRows(db(), u"oidc_requests"_s, gone->client.id), 1);
    QCOMPARE(countRows(db(), u"oidc_codes"_s, gone->client.id), 1);

    QVERIFY(store.remove(gone->client.id));
    QVERIFY(!store.byId(gone->client.id));
    QVERIFY(!store.checkSecret(gone->client.id, gone->secret));
    QCOMPARE(countRows(db(), u"oidc_requests"_s, gone->client.id), 0);
    QCOMPARE(countRows(db(), u"oidc_codes"_s, gone->client.id), 0);
    // The other client's rows stay.
    QCOMPARE(countRows(db(), u"oidc_requests"_s, kept->client.id), 1);
    QCOMPARE(countRows(db(), u"oidc_codes"_s, kept->client.id), 1);
    QVERIFY(!store.remove(gone->client.id));
}

QTEST_MAIN(TestOidcClients)
#include "tst_oidcclients.moc"
