// SPDX-License-Identifier: GPL-3.0-or-later
// The OpenID provider's token routes through the real server (docs/oidc.md): POST
// /oauth2/token (both client authentication methods, public clients with PKCE, every
// check of a code, refresh rotation and reuse), userinfo, revocation and introspection.
// Codes are made with services.oidc.codes.issue, as the flow would after a sign-in.
#include "crypto/base64url.h"
#include "crypto/digest.h"
#include "crypto/jws.h"
#include "services.h"
#include "testserver.h"

#include <QJsonArray>
#include <QTest>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace {

using Headers = QList<std::pair<QByteArray, QByteArray>>;
using Form = QList<std::pair<QString, QString>>;

const QString kIssuer = u"https://id.example.com"_s;
const QString kRedirect = u"https://app.example.com/callback"_s;
const QString kVerifier = u"dBjftJeZ4CVP-mJ92K9qrf3bQwkmNYbvYLjh0dOEXb7K"_s; // 44 characters

QString challenge(const QString &verifier)
{
    return QString::fromLatin1(Base64Url::encode(Digest::sha256(verifier.toLatin1())));
}

QByteArray encode(const Form &form)
{
    QByteArray out;
    for (const auto &[name, value] : form) {
        if (!out.isEmpty())
            out += '&';
        out += QUrl::toPercentEncoding(name) + '=' + QUrl::toPercentEncoding(value);
    }
    return out;
}

Headers basic(const QString &id, const QString &secret)
{
    const QByteArray pair = QUrl::toPercentEncoding(id) + ':' + QUrl::toPercentEncoding(secret);
    return {{"Authorization", "Basic " + pair.toBase64()}};
}

Headers bearer(const QString &token)
{
    return {{"Authorization", "Bearer " + token.toLatin1()}};
}

} // namespace

class TestOidcToken : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestServer> m_server;
    QString m_userId;
    OidcClient m_client; // confidential, RS256
    QString m_secret;
    OidcClient m_public;

    Services &services() { return m_server->services(); }

    OidcClient addClient(const QString &name, bool isPublic, const QString &alg, QString *secret)
    {
        OidcClient draft;
        draft.name = name;
        draft.redirectUris = {kRedirect};
        draft.postLogoutRedirectUris = {kRedirect}; // empty is bound as NULL (clients' bug)
        draft.scopes = {u"openid"_s, u"profile"_s, u"email"_s, u"offline_access"_s};
        draft.isPublic = isPublic;
        draft.idTokenAlg = alg;
        const auto created = services().oidc.clients.add(draft);
        if (!created)
            qFatal("client: %s", qPrintable(created.refusal().message));
        if (secret)
            *secret = QString::fromLatin1(created->secret);
        return created->client;
    }

    QString code(const OidcClient &client, const QString &scope = u"openid profile email"_s,
                 const QString &nonce = u"n-0S6_WzA2Mj"_s)
    {
        const auto session = services().oidc.sessions.start(m_userId, u"pwd otp"_s);
        CodeGrant grant;
        grant.clientId = client.id;
        grant.userId = m_userId;
        grant.redirectUri = kRedirect;
        grant.scope = scope;
        grant.nonce = nonce;
        grant.codeChallenge = challenge(kVerifier);
        grant.sessionId = session.session.id;
        grant.authTime = session.session.authTime;
        grant.amr = session.session.amr;
        return services().oidc.codes.issue(grant);
    }

    HttpReply post(const QByteArray &path, const Form &form, Headers headers = {})
    {
        headers.append(
            std::pair<QByteArray, QByteArray>("Content-Type", "application/x-www-form-urlencoded"));
        return m_server->client().request("POST", path, encode(form), headers);
    }

    HttpReply redeem(const QString &code, const OidcClient &client, const Headers &auth,
                     const Form &extra = {})
    {
        Form form{{u"grant_type"_s, u"authorization_code"_s},
                  {u"code"_s, code},
                  {u"redirect_uri"_s, kRedirect},
                  {u"code_verifier"_s, kVerifier}};
        if (auth.isEmpty())
            form.append({u"client_id"_s, client.id});
        return post("/oauth2/token", form + extra, auth);
    }

    HttpReply refresh(const QString &token, const Form &extra = {})
    {
        return post("/oauth2/token",
                    Form{{u"grant_type"_s, u"refresh_token"_s}, {u"refresh_token"_s, token}} +
                        extra,
                    basic(m_client.id, m_secret));
    }

    HttpReply userinfo(const QString &token)
    {
        return m_server->client().get("/oauth2/userinfo", bearer(token));
    }

    HttpReply introspect(const QString &token)
    {
        return post("/oauth2/introspect", {{u"token"_s, token}}, basic(m_client.id, m_secret));
    }

    static void expectError(const HttpReply &reply, int status, const QString &error)
    {
        QVERIFY2(reply.status == status, reply.body.constData());
        QCOMPARE(reply.json().value(u"error"_s).toString(), error);
        QVERIFY(!reply.json().value(u"error_description"_s).toString().isEmpty());
    }

    bool audited(const QString &action)
    {
        services().audit.flush();
        AuditFilter filter;
        filter.text = action;
        for (const AuditEvent &e : services().audit.query(filter))
            if (e.action == action)
                return true;
        return false;
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<TestServer>([](Settings &s) { s.publicUrl = kIssuer; });
        User draft;
        draft.username = u"alice"_s;
        draft.email = u"alice@example.com"_s;
        draft.displayName = u"Alice Liddell"_s;
        draft.emailVerified = true;
        m_userId = services().users.create(draft)->id;
        m_client = addClient(u"Grafana"_s, false, u"RS256"_s, &m_secret);
        m_public = addClient(u"Native app"_s, true, u"ES256"_s, nullptr);
    }
    void cleanup() { m_server.reset(); }

    void basicAuthIssuesTokensAndIdToken();
    void postAuthAndEs256();
    void clientAuthFailures();
    void publicClientNeedsVerifier();
    void confidentialClientWithoutPkce();
    void codeChecks();
    void reusedCodeRevokesItsTokens();
    void expiredCode();
    void housekeepingPurgesExpiredTokens();
    void refreshRotationAndReuse();
    void refreshRefusedForDisabledOrSignedOut();
    void revokeAndIntrospect();
    void userinfoClaimsPerScope();
    void userinfoCarriers();
    void malformedRequests();
};

void TestOidcToken::basicAuthIssuesTokensAndIdToken()
{
    const qint64 now = m_server->clock().nowMs();
    const HttpReply reply = redeem(code(m_client), m_client, basic(m_client.id, m_secret));
    QVERIFY2(reply.status == 200, reply.body.constData());
    QCOMPARE(reply.header("cache-control"), QByteArray("no-store"));
    QCOMPARE(reply.header("pragma"), QByteArray("no-cache"));
    QCOMPARE(reply.header("content-type"), QByteArray("application/json"));
    const QJsonObject body = reply.json();
    QCOMPARE(body.value(u"token_type"_s).toString(), u"Bearer"_s);
    QCOMPARE(body.value(u"expires_in"_s).toInt(), 600);
    QCOMPARE(body.value(u"scope"_s).toString(), u"openid profile email"_s);
    QCOMPARE(body.value(u"access_token"_s).toString().size(), 43);
    QVERIFY(!body.contains(u"refresh_token"_s)); // no offline_access
    const QByteArray idToken = body.value(u"id_token"_s).toString().toLatin1();

    const auto verified = Jws::verify(idToken, services().oidc.keys.jwks());
    QVERIFY2(verified, qPrintable(verified ? QString() : verified.refusal().message));
    QCOMPARE(verified->header.value(u"alg"_s).toString(), u"RS256"_s);
    QVERIFY(Jws::hasKey(services().oidc.keys.jwks(), verified->header.value(u"kid"_s).toString()));
    const QJsonObject claims = verified->payload;
    QCOMPARE(claims.value(u"iss"_s).toString(), kIssuer);
    QCOMPARE(claims.value(u"sub"_s).toString(), m_userId);
    QCOMPARE(claims.value(u"aud"_s).toString(), m_client.id);
    QCOMPARE(claims.value(u"azp"_s).toString(), m_client.id);
    QCOMPARE(claims.value(u"iat"_s).toInteger(), now / 1000);
    QCOMPARE(claims.value(u"exp"_s).toInteger(), now / 1000 + 600);
    QCOMPARE(claims.value(u"auth_time"_s).toInteger(), now / 1000);
    QCOMPARE(claims.value(u"nonce"_s).toString(), u"n-0S6_WzA2Mj"_s);
    QCOMPARE(claims.value(u"amr"_s).toArray(), QJsonArray({u"pwd"_s, u"otp"_s}));
    QVERIFY(!claims.value(u"sid"_s).toString().isEmpty());
    QCOMPARE(claims.value(u"name"_s).toString(), u"Alice Liddell"_s);
    QCOMPARE(claims.value(u"preferred_username"_s).toString(), u"alice"_s);
    QCOMPARE(claims.value(u"email"_s).toString(), u"alice@example.com"_s);
    QCOMPARE(claims.value(u"email_verified"_s).toBool(), true);
    QCOMPARE(claims.size(), 14); // nothing else
    QVERIFY(audited(u"oidc.token"_s));
}

void TestOidcToken::postAuthAndEs256()
{
    QString secret;
    const OidcClient es = addClient(u"Gitea"_s, false, u"ES256"_s, &secret);
    const HttpReply reply =
        redeem(code(es, u"openid"_s, QString()), es, {}, {{u"client_secret"_s, secret}});
    QVERIFY2(reply.status == 200, reply.body.constData());
    const QByteArray idToken = reply.json().value(u"id_token"_s).toString().toLatin1();
    const auto verified = Jws::verify(idToken, services().oidc.keys.jwks());
    QVERIFY(verified);
    QCOMPARE(verified->header.value(u"alg"_s).toString(), u"ES256"_s);
    QVERIFY(!verified->payload.contains(u"nonce"_s)); // none was sent
    QVERIFY(!verified->payload.contains(u"email"_s)); // openid alone: no claims
    QVERIFY(!verified->payload.contains(u"name"_s));
}

void TestOidcToken::clientAuthFailures()
{
    // Both methods at once.
    expectError(redeem(code(m_client), m_client, basic(m_client.id, m_secret),
                       {{u"client_secret"_s, m_secret}}),
                400, u"invalid_request"_s);
    // A wrong secret, each way: 401, with the Basic challenge only when Basic was used.
    const HttpReply wrongBasic = redeem(code(m_client), m_client, basic(m_client.id, u"nope"_s));
    expectError(wrongBasic, 401, u"invalid_client"_s);
    QVERIFY(wrongBasic.header("www-authenticate").startsWith("Basic"));
    const HttpReply wrongPost =
        redeem(code(m_client), m_client, {}, {{u"client_secret"_s, u"nope"_s}});
    expectError(wrongPost, 401, u"invalid_client"_s);
    QVERIFY(wrongPost.header("www-authenticate").isEmpty());
    // A confidential client that sends no secret, an unknown client.
    expectError(redeem(code(m_client), m_client, {}), 401, u"invalid_client"_s);
    expectError(redeem(code(m_client), m_client, basic(u"gh_nobody"_s, m_secret)), 401,
                u"invalid_client"_s);
    // Failures spend the address's budget of anonymous writes (60 a minute by default).
    HttpReply last;
    for (int i = 0; i < 70 && last.status != 429; ++i)
        last = redeem(code(m_client), m_client, basic(m_client.id, u"nope"_s));
    QCOMPARE(last.status, 429);
    QVERIFY(!last.header("retry-after").isEmpty());
}

void TestOidcToken::publicClientNeedsVerifier()
{
    const QString c = code(m_public);
    const HttpReply without = post("/oauth2/token", {{u"grant_type"_s, u"authorization_code"_s},
                                                     {u"code"_s, c},
                                                     {u"redirect_uri"_s, kRedirect},
                                                     {u"client_id"_s, m_public.id}});
    expectError(without, 400, u"invalid_request"_s);
    // The code was not spent by a request that could not have succeeded.
    const HttpReply with = redeem(c, m_public, {});
    QVERIFY2(with.status == 200, with.body.constData());
    // A public client has no secret to send.
    expectError(redeem(code(m_public), m_public, {}, {{u"client_secret"_s, u"x"_s}}), 401,
                u"invalid_client"_s);
    // And it cannot introspect.
    expectError(
        post("/oauth2/introspect", {{u"token"_s, with.json().value(u"access_token"_s).toString()},
                                    {u"client_id"_s, m_public.id}}),
        401, u"invalid_client"_s);
}

// A confidential client registered without PKCE (Gitea) redeems a code that has no
// challenge without a verifier; a verifier for such a code, or none for a code that has a
// challenge, is a PKCE downgrade and refused (RFC 9700 2.1.1).
void TestOidcToken::confidentialClientWithoutPkce()
{
    OidcClient noPkce = m_client;
    noPkce.requirePkce = false;
    QVERIFY(services().oidc.clients.update(noPkce));
    const Headers auth = basic(m_client.id, m_secret);
    const auto codeWithout = [&] {
        const auto session = services().oidc.sessions.start(m_userId, u"pwd"_s);
        CodeGrant grant;
        grant.clientId = m_client.id;
        grant.userId = m_userId;
        grant.redirectUri = kRedirect;
        grant.scope = u"openid"_s;
        grant.sessionId = session.session.id;
        grant.authTime = session.session.authTime;
        grant.amr = session.session.amr;
        return services().oidc.codes.issue(grant);
    };
    const Form noVerifier{{u"grant_type"_s, u"authorization_code"_s},
                          {u"redirect_uri"_s, kRedirect}};
    const HttpReply ok = post("/oauth2/token", noVerifier + Form{{u"code"_s, codeWithout()}}, auth);
    QVERIFY2(ok.status == 200, ok.body.constData());
    QVERIFY(!ok.json().value(u"id_token"_s).toString().isEmpty());
    expectError(redeem(codeWithout(), m_client, auth), 400, u"invalid_grant"_s);
    expectError(post("/oauth2/token", noVerifier + Form{{u"code"_s, code(m_client)}}, auth), 400,
                u"invalid_grant"_s);
}

void TestOidcToken::codeChecks()
{
    const Headers auth = basic(m_client.id, m_secret);
    const auto replace = [](Form form, const QString &name, const QString &value) {
        for (auto &field : form)
            if (field.first == name)
                field.second = value;
        return form;
    };
    const Form good{{u"grant_type"_s, u"authorization_code"_s},
                    {u"redirect_uri"_s, kRedirect},
                    {u"code_verifier"_s, kVerifier}};
    const Form wrongVerifier = replace(good, u"code_verifier"_s, QString(43, u'a'));
    expectError(post("/oauth2/token", wrongVerifier + Form{{u"code"_s, code(m_client)}}, auth), 400,
                u"invalid_grant"_s);
    const Form shortVerifier = replace(good, u"code_verifier"_s, QString(42, u'a'));
    expectError(post("/oauth2/token", shortVerifier + Form{{u"code"_s, code(m_client)}}, auth), 400,
                u"invalid_request"_s);
    const Form wrongRedirect = replace(good, u"redirect_uri"_s, kRedirect + u"/"_s);
    expectError(post("/oauth2/token", wrongRedirect + Form{{u"code"_s, code(m_client)}}, auth), 400,
                u"invalid_grant"_s);
    expectError(post("/oauth2/token", good + Form{{u"code"_s, u"made-up"_s}}, auth), 400,
                u"invalid_grant"_s);
    // A code issued to another client.
    expectError(post("/oauth2/token", good + Form{{u"code"_s, code(m_public)}}, auth), 400,
                u"invalid_grant"_s);
}

void TestOidcToken::reusedCodeRevokesItsTokens()
{
    const QString c = code(m_client, u"openid offline_access"_s);
    const HttpReply first = redeem(c, m_client, basic(m_client.id, m_secret));
    QVERIFY2(first.status == 200, first.body.constData());
    const QString access = first.json().value(u"access_token"_s).toString();
    const QString refreshToken = first.json().value(u"refresh_token"_s).toString();
    QVERIFY(!refreshToken.isEmpty());
    QCOMPARE(userinfo(access).status, 200);

    expectError(redeem(c, m_client, basic(m_client.id, m_secret)), 400, u"invalid_grant"_s);
    const HttpReply after = userinfo(access);
    QCOMPARE(after.status, 401);
    QCOMPARE(after.header("www-authenticate"), QByteArray("Bearer error=\"invalid_token\""));
    expectError(refresh(refreshToken), 400, u"invalid_grant"_s);
    QVERIFY(audited(u"oidc.code.reuse"_s));
}

void TestOidcToken::expiredCode()
{
    const QString c = code(m_client);
    m_server->clock().advanceSecs(61);
    expectError(redeem(c, m_client, basic(m_client.id, m_secret)), 400, u"invalid_grant"_s);
}

// Housekeeping drops tokens an hour past their life: the access token first, the
// refresh token (30 days) later.
void TestOidcToken::housekeepingPurgesExpiredTokens()
{
    const HttpReply granted =
        redeem(code(m_client, u"openid offline_access"_s), m_client, basic(m_client.id, m_secret));
    QVERIFY2(granted.status == 200, granted.body.constData());
    QVERIFY(!granted.json().value(u"refresh_token"_s).toString().isEmpty());
    QVERIFY(!services().housekeeping.purge().details.join(u' ').contains(u"oidc_tokens"_s));
    m_server->clock().advanceSecs(2 * 3600);
    QStringList details = services().housekeeping.purge().details;
    QVERIFY2(details.contains(u"oidc_tokens 1"_s), qPrintable(details.join(u", ")));
    m_server->clock().advanceSecs(31 * 24 * 3600);
    details = services().housekeeping.purge().details;
    QVERIFY2(details.contains(u"oidc_tokens 1"_s), qPrintable(details.join(u", ")));
}

void TestOidcToken::refreshRotationAndReuse()
{
    const HttpReply first = redeem(code(m_client, u"openid profile offline_access"_s), m_client,
                                   basic(m_client.id, m_secret));
    const QString r1 = first.json().value(u"refresh_token"_s).toString();
    m_server->clock().advanceSecs(30);
    const HttpReply second = refresh(r1);
    QVERIFY2(second.status == 200, second.body.constData());
    QCOMPARE(second.header("cache-control"), QByteArray("no-store"));
    const QString r2 = second.json().value(u"refresh_token"_s).toString();
    const QString a2 = second.json().value(u"access_token"_s).toString();
    QVERIFY(!r2.isEmpty() && r2 != r1);
    // A new ID token for the original sign-in (OIDC Core 12.2), without a nonce.
    const auto idToken = Jws::verify(second.json().value(u"id_token"_s).toString().toLatin1(),
                                     services().oidc.keys.jwks());
    QVERIFY(idToken);
    QCOMPARE(idToken->payload.value(u"auth_time"_s).toInteger(),
             (m_server->clock().nowMs() - 30'000) / 1000);
    QVERIFY(!idToken->payload.contains(u"nonce"_s));
    QCOMPARE(userinfo(a2).status, 200);

    // A scope may only narrow.
    expectError(refresh(r2, {{u"scope"_s, u"openid email"_s}}), 400, u"invalid_scope"_s);
    const HttpReply narrowed = refresh(r2, {{u"scope"_s, u"openid"_s}});
    QVERIFY2(narrowed.status == 200, narrowed.body.constData());
    QCOMPARE(narrowed.json().value(u"scope"_s).toString(), u"openid"_s);
    const QString r3 = narrowed.json().value(u"refresh_token"_s).toString();
    const QString a3 = narrowed.json().value(u"access_token"_s).toString();
    QVERIFY(!userinfo(a3).json().contains(u"name"_s));

    // r1 again: the whole family goes, the newest tokens with it.
    expectError(refresh(r1), 400, u"invalid_grant"_s);
    QCOMPARE(userinfo(a3).status, 401);
    QCOMPARE(userinfo(a2).status, 401);
    expectError(refresh(r3), 400, u"invalid_grant"_s);
    QCOMPARE(introspect(r3).json(), QJsonObject({{u"active"_s, false}}));
    QVERIFY(audited(u"oidc.refresh.reuse"_s));

    // Another client cannot use this client's refresh token.
    const HttpReply fresh =
        redeem(code(m_client, u"openid offline_access"_s), m_client, basic(m_client.id, m_secret));
    QString otherSecret;
    const OidcClient other = addClient(u"Other"_s, false, u"RS256"_s, &otherSecret);
    expectError(post("/oauth2/token",
                     {{u"grant_type"_s, u"refresh_token"_s},
                      {u"refresh_token"_s, fresh.json().value(u"refresh_token"_s).toString()}},
                     basic(other.id, otherSecret)),
                400, u"invalid_grant"_s);
    QCOMPARE(refresh(fresh.json().value(u"refresh_token"_s).toString()).status, 200);
}

void TestOidcToken::refreshRefusedForDisabledOrSignedOut()
{
    const HttpReply first =
        redeem(code(m_client, u"openid offline_access"_s), m_client, basic(m_client.id, m_secret));
    const QString access = first.json().value(u"access_token"_s).toString();
    const QString r1 = first.json().value(u"refresh_token"_s).toString();
    QVERIFY(services().users.setDisabled(m_userId, true));
    QCOMPARE(userinfo(access).status, 401);
    expectError(refresh(r1), 400, u"invalid_grant"_s);
    QVERIFY(services().users.setDisabled(m_userId, false));
    QCOMPARE(userinfo(access).status, 200);

    m_server->clock().advanceSecs(1);
    QVERIFY(services().users.signOutEverywhere(m_userId));
    QCOMPARE(userinfo(access).status, 401);
    expectError(refresh(r1), 400, u"invalid_grant"_s);
    QCOMPARE(introspect(access).json().value(u"active"_s).toBool(), false);

    // A removed client's tokens go with it.
    m_server->clock().advanceSecs(1);
    const HttpReply again = redeem(code(m_client), m_client, basic(m_client.id, m_secret));
    QVERIFY2(again.status == 200, again.body.constData());
    QVERIFY(services().oidc.clients.remove(m_client.id));
    QCOMPARE(userinfo(again.json().value(u"access_token"_s).toString()).status, 401);
}

void TestOidcToken::revokeAndIntrospect()
{
    const HttpReply issued = redeem(code(m_client, u"openid profile offline_access"_s), m_client,
                                    basic(m_client.id, m_secret));
    const QString access = issued.json().value(u"access_token"_s).toString();
    const QString refreshToken = issued.json().value(u"refresh_token"_s).toString();
    const qint64 now = m_server->clock().nowMs() / 1000;

    const HttpReply active = introspect(access);
    QCOMPARE(active.status, 200);
    QCOMPARE(active.header("cache-control"), QByteArray("no-store"));
    const QJsonObject expected{{u"active"_s, true},
                               {u"scope"_s, u"openid profile offline_access"_s},
                               {u"client_id"_s, m_client.id},
                               {u"username"_s, u"alice"_s},
                               {u"token_type"_s, u"Bearer"_s},
                               {u"exp"_s, now + 600},
                               {u"iat"_s, now},
                               {u"sub"_s, m_userId},
                               {u"aud"_s, m_client.id},
                               {u"iss"_s, kIssuer}};
    QCOMPARE(active.json(), expected);
    QCOMPARE(introspect(refreshToken).json().value(u"token_type"_s).toString(), u"refresh_token"_s);
    QCOMPARE(introspect(u"unknown"_s).json(), QJsonObject({{u"active"_s, false}}));

    // Another client's revocation is answered 200 and does nothing (RFC 7009 2.1).
    QString otherSecret;
    const OidcClient other = addClient(u"Other"_s, false, u"RS256"_s, &otherSecret);
    const HttpReply foreign =
        post("/oauth2/revoke", {{u"token"_s, refreshToken}}, basic(other.id, otherSecret));
    QCOMPARE(foreign.status, 200);
    QCOMPARE(introspect(refreshToken).json().value(u"active"_s).toBool(), true);
    // Any confidential client may introspect (docs/oidc.md).
    QCOMPARE(post("/oauth2/introspect", {{u"token"_s, access}}, basic(other.id, otherSecret))
                 .json()
                 .value(u"active"_s)
                 .toBool(),
             true);

    // Unknown tokens: 200. The refresh token takes its family with it.
    QCOMPARE(post("/oauth2/revoke", {{u"token"_s, u"nope"_s}}, basic(m_client.id, m_secret)).status,
             200);
    const HttpReply revoked = post(
        "/oauth2/revoke", {{u"token"_s, refreshToken}, {u"token_type_hint"_s, u"refresh_token"_s}},
        basic(m_client.id, m_secret));
    QCOMPARE(revoked.status, 200);
    QCOMPARE(introspect(refreshToken).json(), QJsonObject({{u"active"_s, false}}));
    QCOMPARE(introspect(access).json(), QJsonObject({{u"active"_s, false}}));
    QCOMPARE(userinfo(access).status, 401);
    QVERIFY(audited(u"oidc.revoke"_s));

    // Revoking an access token leaves the refresh token.
    const HttpReply next =
        redeem(code(m_client, u"openid offline_access"_s), m_client, basic(m_client.id, m_secret));
    QCOMPARE(post("/oauth2/revoke", {{u"token"_s, next.json().value(u"access_token"_s).toString()}},
                  basic(m_client.id, m_secret))
                 .status,
             200);
    QCOMPARE(userinfo(next.json().value(u"access_token"_s).toString()).status, 401);
    QCOMPARE(refresh(next.json().value(u"refresh_token"_s).toString()).status, 200);
    // Revocation needs client authentication.
    expectError(post("/oauth2/revoke", {{u"token"_s, access}}), 400, u"invalid_request"_s);
}

void TestOidcToken::userinfoClaimsPerScope()
{
    const auto claimsFor = [&](const QString &scope) {
        const HttpReply reply =
            redeem(code(m_client, scope), m_client, basic(m_client.id, m_secret));
        const HttpReply info = userinfo(reply.json().value(u"access_token"_s).toString());
        if (info.status != 200 || info.header("cache-control") != "no-store")
            return QJsonObject();
        return info.json();
    };
    QCOMPARE(claimsFor(u"openid"_s), QJsonObject({{u"sub"_s, m_userId}}));
    QCOMPARE(claimsFor(u"openid email"_s), QJsonObject({{u"sub"_s, m_userId},
                                                        {u"email"_s, u"alice@example.com"_s},
                                                        {u"email_verified"_s, true}}));
    QCOMPARE(claimsFor(u"openid profile"_s), QJsonObject({{u"sub"_s, m_userId},
                                                          {u"name"_s, u"Alice Liddell"_s},
                                                          {u"preferred_username"_s, u"alice"_s}}));
}

void TestOidcToken::userinfoCarriers()
{
    const HttpReply issued = redeem(code(m_client), m_client, basic(m_client.id, m_secret));
    const QString access = issued.json().value(u"access_token"_s).toString();
    // RFC 6750 2.2: the form body on POST.
    const HttpReply viaForm = post("/oauth2/userinfo", {{u"access_token"_s, access}});
    QCOMPARE(viaForm.status, 200);
    QCOMPARE(viaForm.json().value(u"sub"_s).toString(), m_userId);
    QCOMPARE(post("/oauth2/userinfo", {}, bearer(access)).status, 200);
    // Both at once, none, a forged one.
    QCOMPARE(post("/oauth2/userinfo", {{u"access_token"_s, access}}, bearer(access)).status, 400);
    const HttpReply none = m_server->client().get("/oauth2/userinfo");
    QCOMPARE(none.status, 401);
    QCOMPARE(none.header("www-authenticate"), QByteArray("Bearer"));
    const HttpReply forged = userinfo(u"forged"_s);
    QCOMPARE(forged.status, 401);
    QCOMPARE(forged.header("www-authenticate"), QByteArray("Bearer error=\"invalid_token\""));
    QCOMPARE(forged.json().value(u"error"_s).toString(), u"invalid_token"_s);
    // Expired (10 minutes by default).
    m_server->clock().advanceSecs(600);
    QCOMPARE(userinfo(access).status, 401);
}

void TestOidcToken::malformedRequests()
{
    const Headers auth = basic(m_client.id, m_secret);
    const HttpReply json = m_server->client().postJson(
        "/oauth2/token", {{u"grant_type"_s, u"authorization_code"_s}}, auth);
    expectError(json, 400, u"invalid_request"_s);
    expectError(post("/oauth2/token", {{u"grant_type"_s, u"password"_s}}, auth), 400,
                u"unsupported_grant_type"_s);
    expectError(post("/oauth2/token", {}, auth), 400, u"invalid_request"_s);
    expectError(post("/oauth2/token",
                     {{u"grant_type"_s, u"refresh_token"_s}, {u"grant_type"_s, u"refresh_token"_s}},
                     auth),
                400, u"invalid_request"_s);
    expectError(post("/oauth2/token", {{u"grant_type"_s, u"refresh_token"_s}}, auth), 400,
                u"invalid_request"_s);
    QCOMPARE(m_server->client().get("/oauth2/token").status, 405);
}

QTEST_GUILESS_MAIN(TestOidcToken)
#include "tst_oidctoken.moc"
