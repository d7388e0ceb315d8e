// SPDX-License-Identifier: GPL-3.0-or-later
// GET /.well-known/openid-configuration and GET /.well-known/jwks.json on the real server:
// every field of the discovery document, the key set's shape (public keys only), that a
// token SigningKeys signs verifies against what is served, a rotation seen through HTTP,
// the CORS and caching headers, and the surface switch.
#include "crypto/jws.h"
#include "services.h"
#include "testserver.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QString kIssuer = u"https://id.example.test"_s;

QJsonArray strings(const QStringList &values)
{
    return QJsonArray::fromStringList(values);
}

void configure(Settings &s)
{
    s.publicUrl = kIssuer;
}

QStringList kidsOf(const QJsonObject &jwks)
{
    QStringList out;
    for (const QJsonValue &key : jwks.value(u"keys").toArray())
        out << key.toObject().value(u"kid").toString();
    return out;
}

} // namespace

class TestOidcDiscovery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void configurationDocument();
    void configurationHeaders();
    void jwksShape();
    void jwksVerifiesSignedTokens();
    void jwksFollowsRotation();
    void corsForAConfiguredOriginStaysSingle();
    void otherMethodsRefused();
    void surfaceSwitchedOff();
};

void TestOidcDiscovery::configurationDocument()
{
    TestServer server(configure);
    const HttpReply reply = server.client().get("/.well-known/openid-configuration");
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.header("content-type"), QByteArray("application/json"));
    const QJsonObject expected{
        {u"issuer"_s, kIssuer},
        {u"authorization_endpoint"_s, kIssuer + u"/oauth2/authorize"_s},
        {u"token_endpoint"_s, kIssuer + u"/oauth2/token"_s},
        {u"userinfo_endpoint"_s, kIssuer + u"/oauth2/userinfo"_s},
        {u"jwks_uri"_s, kIssuer + u"/.well-known/jwks.json"_s},
        {u"end_session_endpoint"_s, kIssuer + u"/oauth2/logout"_s},
        {u"revocation_endpoint"_s, kIssuer + u"/oauth2/revoke"_s},
        {u"revocation_endpoint_auth_methods_supported"_s,
         strings({u"client_secret_basic"_s, u"client_secret_post"_s, u"none"_s})},
        {u"introspection_endpoint"_s, kIssuer + u"/oauth2/introspect"_s},
        {u"introspection_endpoint_auth_methods_supported"_s,
         strings({u"client_secret_basic"_s, u"client_secret_post"_s})},
        {u"response_types_supported"_s, strings({u"code"_s})},
        {u"response_modes_supported"_s, strings({u"query"_s, u"form_post"_s})},
        {u"grant_types_supported"_s, strings({u"authorization_code"_s, u"refresh_token"_s})},
        {u"subject_types_supported"_s, strings({u"public"_s})},
        {u"id_token_signing_alg_values_supported"_s, strings({u"RS256"_s, u"ES256"_s})},
        {u"token_endpoint_auth_methods_supported"_s,
         strings({u"client_secret_basic"_s, u"client_secret_post"_s, u"none"_s})},
        {u"code_challenge_methods_supported"_s, strings({u"S256"_s})},
        {u"scopes_supported"_s,
         strings({u"openid"_s, u"profile"_s, u"email"_s, u"offline_access"_s})},
        {u"claims_supported"_s,
         strings({u"sub"_s, u"iss"_s, u"aud"_s, u"exp"_s, u"iat"_s, u"auth_time"_s, u"nonce"_s,
                  u"amr"_s, u"email"_s, u"email_verified"_s, u"name"_s, u"preferred_username"_s})},
        {u"prompt_values_supported"_s,
         strings({u"none"_s, u"login"_s, u"consent"_s, u"select_account"_s})},
        {u"claims_parameter_supported"_s, false},
        {u"request_parameter_supported"_s, false},
        {u"request_uri_parameter_supported"_s, false},
        {u"authorization_response_iss_parameter_supported"_s, true},
    };
    const QJsonObject got = reply.json();
    for (auto it = expected.begin(); it != expected.end(); ++it)
        QVERIFY2(got.value(it.key()) == it.value(), qPrintable(it.key()));
    QCOMPARE(QSet<QString>(got.keys().begin(), got.keys().end()),
             QSet<QString>(expected.keys().begin(), expected.keys().end()));
}

void TestOidcDiscovery::configurationHeaders()
{
    TestServer server(configure);
    const HttpReply reply = server.client().get("/.well-known/openid-configuration",
                                                {{"Origin", "https://app.example.test"}});
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.headerValues("access-control-allow-origin"), QList<QByteArray>{"*"});
    QVERIFY(reply.header("access-control-allow-credentials").isEmpty());
    QVERIFY(reply.header("cache-control").startsWith("public, max-age="));
}

void TestOidcDiscovery::jwksShape()
{
    TestServer server(configure);
    const HttpReply reply =
        server.client().get("/.well-known/jwks.json", {{"Origin", "https://app.example.test"}});
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.header("content-type"), QByteArray("application/json"));
    QCOMPARE(reply.headerValues("access-control-allow-origin"), QList<QByteArray>{"*"});
    const QByteArray cache = reply.header("cache-control");
    QVERIFY2(cache.startsWith("public, max-age="), cache.constData());
    const int maxAge = cache.mid(cache.indexOf('=') + 1).toInt();
    QVERIFY(maxAge >= 60 && maxAge <= 600);

    const QJsonObject jwks = reply.json();
    QCOMPARE(jwks.keys(), QStringList{u"keys"_s});
    const QJsonArray keys = jwks.value(u"keys").toArray();
    QCOMPARE(keys.size(), 2); // one current key per algorithm, made on first use
    QSet<QString> algs;
    for (const QJsonValue &value : keys) {
        const QJsonObject key = value.toObject();
        algs << key.value(u"alg").toString();
        QCOMPARE(key.value(u"use").toString(), u"sig"_s);
        QVERIFY(!key.value(u"kid").toString().isEmpty());
        QStringList members = key.keys();
        members.sort();
        if (key.value(u"alg") == u"RS256"_s) {
            QCOMPARE(key.value(u"kty").toString(), u"RSA"_s);
            QCOMPARE(members,
                     QStringList({u"alg"_s, u"e"_s, u"kid"_s, u"kty"_s, u"n"_s, u"use"_s}));
        } else {
            QCOMPARE(key.value(u"kty").toString(), u"EC"_s);
            QCOMPARE(key.value(u"crv").toString(), u"P-256"_s);
            QCOMPARE(members, QStringList({u"alg"_s, u"crv"_s, u"kid"_s, u"kty"_s, u"use"_s, u"x"_s,
                                           u"y"_s}));
        }
    }
    QCOMPARE(algs, QSet<QString>({u"RS256"_s, u"ES256"_s}));
    // The same keys on the next fetch.
    QCOMPARE(server.client().get("/.well-known/jwks.json").json(), jwks);
}

void TestOidcDiscovery::jwksVerifiesSignedTokens()
{
    TestServer server(configure);
    SigningKeys &keys = server.services().oidc.keys;
    const QJsonObject payload{{u"iss"_s, kIssuer}, {u"sub"_s, u"u1"_s}};
    const QByteArray rsa = keys.sign(payload, SigningKeys::Algorithm::RS256);
    const QByteArray ec = keys.sign(payload, SigningKeys::Algorithm::ES256);
    const QJsonObject jwks = server.client().get("/.well-known/jwks.json").json();
    for (const QByteArray &token : {rsa, ec}) {
        const auto verified = Jws::verify(token, jwks);
        QVERIFY2(verified.ok(), qPrintable(verified.error()));
        QCOMPARE(verified->payload, payload);
    }
}

void TestOidcDiscovery::jwksFollowsRotation()
{
    TestServer server(configure);
    SigningKeys &keys = server.services().oidc.keys;
    const QByteArray old = keys.sign({{u"sub"_s, u"u1"_s}});
    const QStringList before = kidsOf(server.client().get("/.well-known/jwks.json").json());
    keys.rotate();
    const QByteArray fresh = keys.sign({{u"sub"_s, u"u1"_s}});
    const QJsonObject jwks = server.client().get("/.well-known/jwks.json").json();
    QCOMPARE(kidsOf(jwks).size(), 4);
    for (const QString &kid : before)
        QVERIFY(kidsOf(jwks).contains(kid));
    QVERIFY(Jws::verify(old, jwks).ok());
    QVERIFY(Jws::verify(fresh, jwks).ok());
    server.clock().advanceMs(keys.overlapMs() + 1000);
    const QJsonObject later = server.client().get("/.well-known/jwks.json").json();
    QCOMPARE(kidsOf(later).size(), 2);
    QVERIFY(!Jws::verify(old, later).ok());
    QVERIFY(Jws::verify(fresh, later).ok());
}

// An origin allowed by server/cors_origins gets the credentialed CORS headers on other
// routes; the public documents keep their single `*` (two Allow-Origin values would make
// browsers refuse the answer).
void TestOidcDiscovery::corsForAConfiguredOriginStaysSingle()
{
    TestServer server([](Settings &s) {
        configure(s);
        s.corsOrigins = {u"https://app.example.test"_s};
    });
    for (const QByteArray path : {"/.well-known/jwks.json", "/.well-known/openid-configuration"}) {
        const HttpReply reply = server.client().get(path, {{"Origin", "https://app.example.test"}});
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.headerValues("access-control-allow-origin"), QList<QByteArray>{"*"});
        QVERIFY(reply.header("access-control-allow-credentials").isEmpty());
    }
}

void TestOidcDiscovery::otherMethodsRefused()
{
    TestServer server(configure);
    const HttpReply reply = server.client().request("POST", "/.well-known/jwks.json", "{}",
                                                    {{"Content-Type", "application/json"}});
    QCOMPARE(reply.status, 405);
    QVERIFY(reply.json().contains(u"error"));
    QCOMPARE(server.client().get("/.well-known/nothing-here").status, 404);
}

void TestOidcDiscovery::surfaceSwitchedOff()
{
    TestServer server([](Settings &s) {
        configure(s);
        s.oidcSurface = false;
    });
    QCOMPARE(server.client().get("/.well-known/openid-configuration").status, 404);
    QCOMPARE(server.client().get("/.well-known/jwks.json").status, 404);
}

QTEST_GUILESS_MAIN(TestOidcDiscovery)
#include "tst_oidcdiscovery.moc"
