// SPDX-License-Identifier: GPL-3.0-or-later
// The account surface's passkeys (docs/api/account.md, "Passkeys"): registration,
// list/rename/remove, and passwordless sign-in with discoverable credentials, driven by
// a software authenticator for each algorithm; and every refusal a sign-in can meet
// (replayed, expired, wrong origin, unknown credential, bad signature, cloned
// authenticator, disabled account), which all look alike but the last.
#include "passkeytesting.h"

using namespace Qt::StringLiterals;
using namespace AccountTesting;
using namespace PasskeyTesting;
using Alg = WebAuthn::Algorithm;

class TestPasskeys : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestServer> m_server;
    QByteArray m_jwt;

    TestServer &server() { return *m_server; }
    static void configure(Settings &s) { s.publicUrl = kOrigin; }

    // The refusal every failed sign-in gets (no account discovery).
    static void verifyRefused(const HttpReply &reply)
    {
        QCOMPARE(reply.status, 401);
        QCOMPARE(reply.json().value(u"detail"_s).toString(), u"the passkey was not accepted"_s);
    }

private slots:
    void init()
    {
        m_server = std::make_unique<TestServer>(&TestPasskeys::configure);
        m_jwt = newUser(server(), u"ada@example.test"_s);
        QVERIFY(!m_jwt.isEmpty());
    }
    void cleanup() { m_server.reset(); }

    void registerAndSignIn_data()
    {
        QTest::addColumn<Alg>("alg");
        QTest::newRow("ES256") << Alg::ES256;
        QTest::newRow("EdDSA") << Alg::EdDSA;
        QTest::newRow("RS256") << Alg::RS256;
    }
    void registerAndSignIn()
    {
        QFETCH(Alg, alg);
        FakeAuthenticator key(alg);
        key.flags |= FakeAuthenticator::kBe | FakeAuthenticator::kBs;
        const HttpReply added = registerPasskey(server(), m_jwt, key, kOrigin, u"Laptop"_s);
        QCOMPARE(added.status, 200);
        QCOMPARE(added.json().value(u"label"_s).toString(), u"Laptop"_s);
        QCOMPARE(added.json().value(u"alg"_s).toInt(), int(alg));
        QCOMPARE(added.json().value(u"id"_s).toString(), b64(key.credentialId));
        QCOMPARE(added.json().value(u"backup_eligible"_s).toBool(), true);
        QCOMPARE(added.json().value(u"transports"_s).toArray(),
                 (QJsonArray{u"internal"_s, u"hybrid"_s}));

        key.signCount = 7;
        const HttpReply signedIn = passkeyLogin(server(), key);
        QCOMPARE(signedIn.status, 200);
        QCOMPARE(signedIn.json().value(u"user"_s).toObject().value(u"email"_s).toString(),
                 u"ada@example.test"_s);
        const QByteArray token = signedIn.json().value(u"token"_s).toString().toLatin1();
        QCOMPARE(server().client().get("/api/auth/me", bearer(token)).status, 200);

        const auto stored =
            server().services().passkeys.store().byCredentialId(b64(key.credentialId));
        QVERIFY(stored);
        QCOMPARE(stored->signCount, 7);
        QVERIFY(stored->lastUsedAt > 0);
        QVERIFY(stored->backupState);
    }

    void optionsAnswers()
    {
        const HttpReply reply = server().client().request(
            "POST", "/api/auth/me/passkeys/register/options", "{}", bearer(m_jwt));
        QCOMPARE(reply.status, 200);
        const QJsonObject o = reply.json();
        QCOMPARE(o.value(u"rp"_s).toObject().value(u"id"_s).toString(), kRpId);
        QCOMPARE(o.value(u"user"_s).toObject().value(u"name"_s).toString(), u"ada@example.test"_s);
        QCOMPARE(o.value(u"attestation"_s).toString(), u"none"_s);
        QCOMPARE(unb64(o.value(u"challenge"_s)).size(), 32);
        QList<int> algs;
        for (const QJsonValue &p : o.value(u"pubKeyCredParams"_s).toArray())
            algs << p.toObject().value(u"alg"_s).toInt();
        QCOMPARE(algs, (QList<int>{-7, -8, -257}));
        QCOMPARE(o.value(u"authenticatorSelection"_s).toObject().value(u"residentKey"_s).toString(),
                 u"required"_s);

        FakeAuthenticator key;
        QCOMPARE(registerPasskey(server(), m_jwt, key).status, 200);
        const QJsonObject again =
            server()
                .client()
                .request("POST", "/api/auth/me/passkeys/register/options", "{}", bearer(m_jwt))
                .json();
        // The same user handle, and the passkey the user has is excluded.
        QCOMPARE(unb64(again.value(u"user"_s).toObject().value(u"id"_s)), key.userHandle);
        QCOMPARE(again.value(u"excludeCredentials"_s)
                     .toArray()
                     .first()
                     .toObject()
                     .value(u"id"_s)
                     .toString(),
                 b64(key.credentialId));

        const Begun begun = loginOptions(server());
        QVERIFY(begun.ceremony.size() >= 32);
        QCOMPARE(begun.challenge.size(), 32);
        QVERIFY(begun.options.value(u"allowCredentials"_s).toArray().isEmpty());
        QCOMPARE(begun.options.value(u"userVerification"_s).toString(), u"required"_s);
        QCOMPARE(begun.options.value(u"rpId"_s).toString(), kRpId);
    }

    void replayedAssertionRefused()
    {
        FakeAuthenticator key;
        QCOMPARE(registerPasskey(server(), m_jwt, key).status, 200);
        const Begun begun = loginOptions(server());
        key.signCount = 1;
        const QJsonObject body = loginBody(begun, key.get(kRpId, kOrigin, begun.challenge));
        QCOMPARE(server().client().postJson("/api/auth/passkey/login", body).status, 200);
        verifyRefused(server().client().postJson("/api/auth/passkey/login", body));
        // The old answer under a new ceremony: its challenge is not the new one.
        const Begun fresh = loginOptions(server());
        QJsonObject moved = body;
        moved.insert(u"ceremony"_s, fresh.ceremony);
        verifyRefused(server().client().postJson("/api/auth/passkey/login", moved));
    }

    void expiredCeremonyRefused()
    {
        FakeAuthenticator key;
        QCOMPARE(registerPasskey(server(), m_jwt, key).status, 200);
        const Begun begun = loginOptions(server());
        server().clock().advanceSecs(server().services().settings.webauthnCeremonySecs + 1);
        verifyRefused(server().client().postJson(
            "/api/auth/passkey/login", loginBody(begun, key.get(kRpId, kOrigin, begun.challenge))));
    }

    void wrongCeremonyRefused()
    {
        FakeAuthenticator key;
        QCOMPARE(registerPasskey(server(), m_jwt, key).status, 200);
        Begun begun = loginOptions(server());
        const auto response = key.get(kRpId, kOrigin, begun.challenge);
        const QString right = begun.ceremony;
        begun.ceremony = loginOptions(server()).ceremony; // another live ceremony's id
        verifyRefused(
            server().client().postJson("/api/auth/passkey/login", loginBody(begun, response)));
        begun.ceremony = right; // not spent by the wrong try
        QCOMPARE(server()
                     .client()
                     .postJson("/api/auth/passkey/login", loginBody(begun, response))
                     .status,
                 200);
    }

    void wrongOriginOrRpRefused()
    {
        FakeAuthenticator key;
        QCOMPARE(registerPasskey(server(), m_jwt, key).status, 200);
        verifyRefused(passkeyLogin(server(), key, u"https://evil.example"_s));
        verifyRefused(passkeyLogin(server(), key, u"http://id.example.test"_s));
        verifyRefused(passkeyLogin(server(), key, kOrigin, u"evil.example"_s));
        QCOMPARE(passkeyLogin(server(), key).status, 200);
    }

    void registrationFromWrongOriginRefused()
    {
        FakeAuthenticator key;
        const HttpReply reply = registerPasskey(server(), m_jwt, key, u"https://evil.example"_s);
        QCOMPARE(reply.status, 400);
        QVERIFY2(reply.json().value(u"detail"_s).toString().contains(u"origin"_s),
                 reply.body.constData());
        QVERIFY(server()
                    .services()
                    .passkeys.store()
                    .forUser(server().services().users.byEmail(u"ada@example.test"_s)->id)
                    .isEmpty());
    }

    void unknownCredentialLooksLikeBadSignature()
    {
        FakeAuthenticator key;
        QCOMPARE(registerPasskey(server(), m_jwt, key).status, 200);
        FakeAuthenticator stranger;
        const HttpReply unknown = passkeyLogin(server(), stranger);
        verifyRefused(unknown);

        const Begun begun = loginOptions(server());
        auto forged = key.get(kRpId, kOrigin, begun.challenge);
        forged.signature = FakeAuthenticator().sign(forged.authenticatorData);
        const HttpReply bad =
            server().client().postJson("/api/auth/passkey/login", loginBody(begun, forged));
        verifyRefused(bad);
        QCOMPARE(bad.body, unknown.body);
    }

    void clonedAuthenticatorRefused()
    {
        FakeAuthenticator key;
        key.signCount = 10;
        QCOMPARE(registerPasskey(server(), m_jwt, key).status, 200);
        key.signCount = 11;
        QCOMPARE(passkeyLogin(server(), key).status, 200);
        key.signCount = 11; // a clone that has not counted past the original
        verifyRefused(passkeyLogin(server(), key));
    }

    void disabledAccountRefused()
    {
        FakeAuthenticator key;
        QCOMPARE(registerPasskey(server(), m_jwt, key).status, 200);
        const User ada = *server().services().users.byEmail(u"ada@example.test"_s);
        QVERIFY(server().services().users.setDisabled(ada.id, true));
        const HttpReply reply = passkeyLogin(server(), key);
        QCOMPARE(reply.status, 403);
        QCOMPARE(reply.json().value(u"error"_s).toString(), u"User is inactive"_s);
    }

    void registrationIsSingleUse()
    {
        FakeAuthenticator key;
        HttpClient http = server().client();
        const QJsonObject o =
            http.request("POST", "/api/auth/me/passkeys/register/options", "{}", bearer(m_jwt))
                .json();
        key.userHandle = unb64(o.value(u"user"_s).toObject().value(u"id"_s));
        const QJsonObject body{
            {u"response"_s,
             registrationJson(key.credentialId,
                              key.create(kRpId, kOrigin, unb64(o.value(u"challenge"_s))))}};
        QCOMPARE(http.postJson("/api/auth/me/passkeys/register", body, bearer(m_jwt)).status, 200);
        const HttpReply again =
            http.postJson("/api/auth/me/passkeys/register", body, bearer(m_jwt));
        QCOMPARE(again.status, 403);
        // Another user cannot finish a registration begun for Ada.
        const QJsonObject o2 =
            http.request("POST", "/api/auth/me/passkeys/register/options", "{}", bearer(m_jwt))
                .json();
        FakeAuthenticator other;
        const QJsonObject body2{
            {u"response"_s,
             registrationJson(other.credentialId,
                              other.create(kRpId, kOrigin, unb64(o2.value(u"challenge"_s))))}};
        const QByteArray bob = newUser(server(), u"bob@example.test"_s);
        QCOMPARE(http.postJson("/api/auth/me/passkeys/register", body2, bearer(bob)).status, 403);
    }

    void malformedBodiesNameTheField_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("field");
        QTest::newRow("no response") << QByteArray("{}") << u"response"_s;
        QTest::newRow("wrong type")
            << QByteArray(
                   R"({"response":{"type":"password","id":"AA","rawId":"AA","response":{}}})")
            << u"response.type"_s;
        QTest::newRow("id is not rawId")
            << QByteArray(
                   R"({"response":{"type":"public-key","id":"AB","rawId":"AA","response":{}}})")
            << u"response.id"_s;
        QTest::newRow("padded base64")
            << QByteArray(R"({"response":{"type":"public-key","id":"AA","rawId":"AA","response":)"
                          R"({"clientDataJSON":"AA==","attestationObject":"AA"}}})")
            << u"response.response.clientDataJSON"_s;
    }
    void malformedBodiesNameTheField()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, field);
        const HttpReply reply = server().client().request(
            "POST", "/api/auth/me/passkeys/register", body,
            bearer(m_jwt) + Headers{{"Content-Type", "application/json"}});
        QCOMPARE(reply.status, 400);
        QVERIFY2(reply.json().value(u"detail"_s).toString().startsWith(u"field '%1' "_s.arg(field)),
                 reply.body.constData());
    }

    void listRenameRemove()
    {
        FakeAuthenticator first, second;
        QCOMPARE(registerPasskey(server(), m_jwt, first).status, 200);
        server().clock().advanceSecs(1); // listed oldest first
        QCOMPARE(registerPasskey(server(), m_jwt, second, kOrigin, u"Phone"_s).status, 200);
        HttpClient http = server().client();
        QJsonArray list =
            QJsonDocument::fromJson(http.get("/api/auth/me/passkeys", bearer(m_jwt)).body).array();
        QCOMPARE(list.size(), 2);
        QCOMPARE(list[0].toObject().value(u"label"_s).toString(), u"Passkey"_s);
        QCOMPARE(list[1].toObject().value(u"label"_s).toString(), u"Phone"_s);
        QVERIFY(list[0].toObject().value(u"last_used_at"_s).isNull());

        const QByteArray path = "/api/auth/me/passkeys/" + b64(first.credentialId).toLatin1();
        QCOMPARE(http.request("PUT", path, R"({"label":"Work laptop"})",
                              bearer(m_jwt) + Headers{{"Content-Type", "application/json"}})
                     .body,
                 QByteArray("true"));
        // Bob can neither rename nor remove Ada's passkey: not found, as any unknown id.
        const QByteArray bob = newUser(server(), u"bob@example.test"_s);
        QCOMPARE(http.request("PUT", path, R"({"label":"mine"})",
                              bearer(bob) + Headers{{"Content-Type", "application/json"}})
                     .status,
                 404);
        const Headers json{{"Content-Type", "application/json"}};
        const QByteArray password = R"({"password":"correct horse"})";
        QCOMPARE(http.request("DELETE", path, password, bearer(bob) + json).status, 404);
        QCOMPARE(http.get("/api/auth/me/passkeys", bearer(bob)).body, QByteArray("[]"));

        // Each passkey is one of Ada's second factors, under the same name.
        const QJsonArray factors =
            http.get("/api/auth/me/factors", bearer(m_jwt)).json().value(u"factors"_s).toArray();
        QCOMPARE(factors.size(), 2);
        QCOMPARE(factors[0].toObject().value(u"kind"_s).toString(), u"passkey"_s);
        QCOMPARE(factors[0].toObject().value(u"label"_s).toString(), u"Work laptop"_s);

        // Removing one takes the password, as removing any factor does.
        QCOMPARE(
            http.request("DELETE", path, R"({"password":"wrong"})", bearer(m_jwt) + json).status,
            403);
        QCOMPARE(http.request("DELETE", path, password, bearer(m_jwt) + json).body,
                 QByteArray("true"));
        list =
            QJsonDocument::fromJson(http.get("/api/auth/me/passkeys", bearer(m_jwt)).body).array();
        QCOMPARE(list.size(), 1);
        QCOMPARE(list[0].toObject().value(u"label"_s).toString(), u"Phone"_s);
        verifyRefused(passkeyLogin(server(), first)); // removed: signs in no more
        QCOMPARE(passkeyLogin(server(), second).status, 200);

        // Removed as a factor (DELETE /me/factors/{id}), the passkey goes too.
        const QString factorId = http.get("/api/auth/me/factors", bearer(m_jwt))
                                     .json()
                                     .value(u"factors"_s)
                                     .toArray()[0]
                                     .toObject()
                                     .value(u"id"_s)
                                     .toString();
        QCOMPARE(http.request("DELETE", "/api/auth/me/factors/" + factorId.toLatin1(), password,
                              bearer(m_jwt) + json)
                     .status,
                 200);
        QCOMPARE(http.get("/api/auth/me/passkeys", bearer(m_jwt)).body, QByteArray("[]"));
        verifyRefused(passkeyLogin(server(), second));
    }

    // A password login of an account with a passkey asks for the second step, which the
    // passkey answers (POST /api/auth/login/second-factor with `passkey`).
    void passkeyAsSecondStep()
    {
        FakeAuthenticator key;
        QCOMPARE(registerPasskey(server(), m_jwt, key).status, 200);
        const HttpReply first = login(server(), u"ada@example.test"_s, u"correct horse"_s);
        QCOMPARE(first.status, 401);
        const QJsonObject step = first.json().value(u"second_factor"_s).toObject();
        QVERIFY(step.value(u"methods"_s).toArray().contains(u"passkey"_s));
        const QString challenge = step.value(u"challenge"_s).toString();

        HttpClient http = server().client();
        const QJsonObject begun = http.postJson("/api/auth/login/second-factor/passkey-options",
                                                {{u"challenge"_s, challenge}})
                                      .json();
        const QJsonObject options = begun.value(u"options"_s).toObject();
        QCOMPARE(options.value(u"allowCredentials"_s).toArray().size(), 1);
        key.signCount = 1;
        const auto answer = key.get(kRpId, kOrigin, unb64(options.value(u"challenge"_s)));
        QJsonObject body{{u"challenge"_s, challenge},
                         {u"ceremony"_s, begun.value(u"ceremony"_s)},
                         {u"passkey"_s, assertionJson(answer)}};
        const HttpReply done = http.postJson("/api/auth/login/second-factor", body);
        QCOMPARE(done.status, 200);
        QCOMPARE(done.json().value(u"user"_s).toObject().value(u"email"_s).toString(),
                 u"ada@example.test"_s);
        // The challenge and the ceremony are spent.
        QCOMPARE(http.postJson("/api/auth/login/second-factor", body).status / 100, 4);
        // A bad answer counts a try and is the one refusal.
        const QString again = login(server(), u"ada@example.test"_s, u"correct horse"_s)
                                  .json()
                                  .value(u"second_factor"_s)
                                  .toObject()
                                  .value(u"challenge"_s)
                                  .toString();
        const QJsonObject begun2 = http.postJson("/api/auth/login/second-factor/passkey-options",
                                                 {{u"challenge"_s, again}})
                                       .json();
        FakeAuthenticator stranger;
        body = {{u"challenge"_s, again},
                {u"ceremony"_s, begun2.value(u"ceremony"_s)},
                {u"passkey"_s,
                 assertionJson(stranger.get(
                     kRpId, kOrigin,
                     unb64(begun2.value(u"options"_s).toObject().value(u"challenge"_s))))}};
        verifyRefused(http.postJson("/api/auth/login/second-factor", body));
        QCOMPARE(http.postJson("/api/auth/login/second-factor/passkey-options",
                               {{u"challenge"_s, u"not-a-challenge"_s}})
                         .status /
                     100,
                 4);
    }

    void anonymousRoutesSpendThePerIpBudget()
    {
        m_server = std::make_unique<TestServer>([](Settings &s) {
            configure(s);
            s.anonymousWritesPerMinute = 2;
        });
        HttpClient http = server().client();
        QCOMPARE(http.postJson("/api/auth/passkey/options", {}).status, 200);
        QCOMPARE(http.postJson("/api/auth/passkey/login", {}).status, 400);
        const HttpReply third = http.postJson("/api/auth/passkey/options", {});
        QCOMPARE(third.status, 429);
        QVERIFY(!third.header("retry-after").isEmpty());
    }

    // The second step after a password (PasskeyAuth; the route is the second-step one):
    // the options name the user's own passkeys, and its ceremonies and the passwordless
    // ones do not stand in for each other.
    void secondFactorCeremony()
    {
        FakeAuthenticator key, bobs;
        QCOMPARE(registerPasskey(server(), m_jwt, key).status, 200);
        const QByteArray bob = newUser(server(), u"bob@example.test"_s);
        QCOMPARE(registerPasskey(server(), bob, bobs).status, 200);
        PasskeyAuth &passkeys = server().services().passkeys;
        const User ada = *server().services().users.byEmail(u"ada@example.test"_s);

        auto started = passkeys.secondFactorOptions(ada);
        const QJsonArray allowed = started.options.value(u"allowCredentials"_s).toArray();
        QCOMPARE(allowed.size(), 1);
        QCOMPARE(allowed[0].toObject().value(u"id"_s).toString(), b64(key.credentialId));
        QByteArray challenge = unb64(started.options.value(u"challenge"_s));
        // Bob's passkey does not answer for Ada (and the try spends the ceremony).
        QVERIFY_THROWS_EXCEPTION(
            Refusal, passkeys.verifySecondFactor(ada, started.ceremony,
                                                 bobs.get(kRpId, kOrigin, challenge), {}));
        QVERIFY_THROWS_EXCEPTION(
            Refusal, passkeys.verifySecondFactor(ada, started.ceremony,
                                                 key.get(kRpId, kOrigin, challenge), {}));

        started = passkeys.secondFactorOptions(ada);
        challenge = unb64(started.options.value(u"challenge"_s));
        key.signCount = 1;
        const auto answer = key.get(kRpId, kOrigin, challenge);
        // A second-step ceremony is no passwordless sign-in…
        const HttpReply asLogin = server().client().postJson(
            "/api/auth/passkey/login", loginBody({started.ceremony, challenge, {}}, answer));
        verifyRefused(asLogin);
        // …which did not spend it: Ada finishes her second step with it.
        passkeys.verifySecondFactor(ada, started.ceremony, answer, {});
        QVERIFY_THROWS_EXCEPTION(Refusal,
                                 passkeys.verifySecondFactor(ada, started.ceremony, answer, {}));

        // A passwordless ceremony is no second step.
        const Begun begun = loginOptions(server());
        key.signCount = 2;
        QVERIFY_THROWS_EXCEPTION(
            Refusal, passkeys.verifySecondFactor(ada, begun.ceremony,
                                                 key.get(kRpId, kOrigin, begun.challenge), {}));
    }

    void relyingPartyFromSettings()
    {
        m_server = std::make_unique<TestServer>([](Settings &s) {
            s.publicUrl = u"https://login.example.test/gatehouse"_s;
            s.webauthnRpId = u"example.test"_s;
            s.webauthnOrigins = {u"https://app.example.test"_s};
        });
        m_jwt = newUser(server(), u"ada@example.test"_s);
        FakeAuthenticator key;
        QCOMPARE(registerPasskey(server(), m_jwt, key, u"https://app.example.test"_s).status, 200);
        QCOMPARE(loginOptions(server()).options.value(u"rpId"_s).toString(), u"example.test"_s);
        QCOMPARE(
            passkeyLogin(server(), key, u"https://app.example.test"_s, u"example.test"_s).status,
            200);
        // The overriding list replaces public_url's origin.
        verifyRefused(
            passkeyLogin(server(), key, u"https://login.example.test"_s, u"example.test"_s));
    }
};

QTEST_GUILESS_MAIN(TestPasskeys)
#include "tst_passkeys.moc"
