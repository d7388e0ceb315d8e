// SPDX-License-Identifier: GPL-3.0-or-later
// The account surface's second factors (docs/api/account.md "Second factors"): TOTP
// enrolment, the second step of a login, recovery codes, listing, renaming, removing,
// and the admin policy.
#include "accounttesting.h"
#include "crypto/totp.h"

using namespace Qt::StringLiterals;

using namespace AccountTesting;

namespace {
const QString kEmail = u"tess@example.org"_s;
const QString kPassword = u"correct horse"_s;

struct Enrolled
{
    QByteArray jwt;
    QByteArray secret; // raw
    QString factorId;
    QStringList recovery;
};

QString codeAt(TestServer &server, const QByteArray &secret, qint64 offsetSecs = 0)
{
    return Totp::at(secret, server.clock().nowSecs() + offsetSecs);
}

Enrolled enrol(TestServer &server)
{
    Enrolled e;
    e.jwt = newUser(server, kEmail, kPassword);
    const HttpReply start = server.client().postJson("/api/auth/me/factors/totp",
                                                     {{u"label"_s, u"Phone"_s}}, bearer(e.jwt));
    e.factorId = start.json().value(u"factor_id").toString();
    e.secret = Totp::fromBase32(start.json().value(u"secret").toString()).value_or(QByteArray());
    const HttpReply confirmed = server.client().postJson(
        "/api/auth/me/factors/totp/confirm",
        {{u"factor_id"_s, e.factorId}, {u"code"_s, codeAt(server, e.secret)}}, bearer(e.jwt));
    for (const QJsonValue &c : confirmed.json().value(u"recovery_codes").toArray())
        e.recovery << c.toString();
    server.clock().advanceSecs(30); // the confirming code's step is spent
    return e;
}

// The challenge of a login that needs a second step (empty when it did not).
QString challengeOf(const HttpReply &reply)
{
    return reply.json().value(u"second_factor").toObject().value(u"challenge").toString();
}

HttpReply secondStep(TestServer &server, const QString &challenge, const QString &field,
                     const QString &code)
{
    return server.client().postJson("/api/auth/login/second-factor",
                                    {{u"challenge"_s, challenge}, {field, code}});
}
} // namespace

class TstAccountFactors : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void enrolmentAnswers();
    void confirmRefusesWrongCode();
    void loginWithoutFactorIsUnchanged();
    void passwordAloneNoLongerSignsIn();
    void codeCompletesLogin();
    void replayedAndOutOfWindowCodesRefused();
    void recoveryCodeWorksOnce();
    void challengeErrors();
    void challengeTriesAreLimited();
    void wrongPasswordLooksTheSame();
    void listRenameRemove();
    void removeNeedsPassword();
    void regenerateRecoveryCodes();
    void adminPolicy();
    void grantAfterAnotherProof();
};

void TstAccountFactors::enrolmentAnswers()
{
    TestServer server;
    const QByteArray jwt = newUser(server, kEmail, kPassword);
    const HttpReply start =
        server.client().request("POST", "/api/auth/me/factors/totp", {}, bearer(jwt));
    QCOMPARE(start.status, 200);
    const QJsonObject body = start.json();
    QCOMPARE(body.value(u"label").toString(), u"Authenticator app"_s);
    const QString secret = body.value(u"secret").toString();
    QVERIFY(QRegularExpression(u"^[A-Z2-7]{32}$"_s).match(secret).hasMatch());
    QCOMPARE(body.value(u"otpauth_uri").toString(),
             u"otpauth://totp/Gatehouse:tess%40example.org?secret="_s + secret +
                 u"&issuer=Gatehouse&algorithm=SHA1&digits=6&period=30"_s);
    const QString qr = body.value(u"qr_svg").toString();
    QVERIFY(qr.startsWith(u"data:image/svg+xml;base64,"_s));
    const QByteArray svg = QByteArray::fromBase64(qr.mid(26).toLatin1());
    QVERIFY(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    QVERIFY(svg.contains("<path fill=\"#000\" d=\"M"));
    // Not a factor until confirmed.
    const HttpReply list = server.client().get("/api/auth/me/factors", bearer(jwt));
    QCOMPARE(list.status, 200);
    QCOMPARE(list.json().value(u"factors").toArray().size(), 0);
    QCOMPARE(login(server, kEmail, kPassword).status, 200);
}

void TstAccountFactors::confirmRefusesWrongCode()
{
    TestServer server;
    const QByteArray jwt = newUser(server, kEmail, kPassword);
    const HttpReply start =
        server.client().request("POST", "/api/auth/me/factors/totp", {}, bearer(jwt));
    const QString id = start.json().value(u"factor_id").toString();
    const QByteArray secret = *Totp::fromBase32(start.json().value(u"secret").toString());
    const QString wrong = codeAt(server, secret, 90);
    const HttpReply refused =
        server.client().postJson("/api/auth/me/factors/totp/confirm",
                                 {{u"factor_id"_s, id}, {u"code"_s, wrong}}, bearer(jwt));
    QCOMPARE(refused.status, 403);
    QCOMPARE(refused.json().value(u"error").toString(), u"Wrong OTP"_s);
    QVERIFY(isErrorShape(refused));
    const HttpReply unknown = server.client().postJson(
        "/api/auth/me/factors/totp/confirm",
        {{u"factor_id"_s, u"nope"_s}, {u"code"_s, codeAt(server, secret)}}, bearer(jwt));
    QCOMPARE(unknown.status, 404);
    const HttpReply missing = server.client().postJson("/api/auth/me/factors/totp/confirm",
                                                       {{u"factor_id"_s, id}}, bearer(jwt));
    QCOMPARE(missing.status, 400);
    QCOMPARE(missing.json().value(u"detail").toString(), u"field 'code' is required"_s);
}

void TstAccountFactors::loginWithoutFactorIsUnchanged()
{
    TestServer server;
    newUser(server, kEmail, kPassword);
    const HttpReply reply = login(server, kEmail, kPassword);
    QCOMPARE(reply.status, 200);
    QCOMPARE(QStringList(reply.json().keys()), QStringList({u"token"_s, u"user"_s}));
}

void TstAccountFactors::passwordAloneNoLongerSignsIn()
{
    TestServer server;
    const Enrolled e = enrol(server);
    QCOMPARE(e.recovery.size(), 10);
    const HttpReply reply = login(server, kEmail, kPassword);
    QCOMPARE(reply.status, 401);
    QCOMPARE(reply.header("www-authenticate"), QByteArray("Bearer"));
    const QJsonObject body = reply.json();
    QVERIFY(!body.contains(u"token"_s));
    QCOMPARE(body.value(u"error").toString(), u"Enter the code from your authenticator app"_s);
    QCOMPARE(body.value(u"detail").toString(), u"second factor required"_s);
    const QJsonObject step = body.value(u"second_factor").toObject();
    QVERIFY(step.value(u"challenge").toString().size() >= 40);
    QCOMPARE(step.value(u"methods").toArray(), QJsonArray({u"totp"_s, u"recovery_code"_s}));
    QCOMPARE(step.value(u"expires_in").toInt(), 300);
    // The enrolled session itself keeps working.
    QCOMPARE(server.client().get("/api/auth/me", bearer(e.jwt)).status, 200);
}

void TstAccountFactors::codeCompletesLogin()
{
    TestServer server;
    const Enrolled e = enrol(server);
    const QString challenge = challengeOf(login(server, kEmail, kPassword));
    const HttpReply done = secondStep(server, challenge, u"code"_s, codeAt(server, e.secret));
    QCOMPARE(done.status, 200);
    QCOMPARE(QStringList(done.json().keys()), QStringList({u"token"_s, u"user"_s}));
    QCOMPARE(done.json().value(u"user").toObject().value(u"email").toString(), kEmail);
    const QByteArray token = done.json().value(u"token").toString().toLatin1();
    QCOMPARE(server.client().get("/api/auth/me", bearer(token)).status, 200);
    // The challenge is spent.
    server.clock().advanceSecs(30);
    const HttpReply again = secondStep(server, challenge, u"code"_s, codeAt(server, e.secret));
    QCOMPARE(again.status, 403);
    QCOMPARE(again.json().value(u"error").toString(), u"Invalid token"_s);
}

void TstAccountFactors::replayedAndOutOfWindowCodesRefused()
{
    TestServer server;
    const Enrolled e = enrol(server);
    const QString code = codeAt(server, e.secret);
    QCOMPARE(
        secondStep(server, challengeOf(login(server, kEmail, kPassword)), u"code"_s, code).status,
        200);
    const QString challenge = challengeOf(login(server, kEmail, kPassword));
    const HttpReply replay = secondStep(server, challenge, u"code"_s, code);
    QCOMPARE(replay.status, 403);
    QCOMPARE(replay.json().value(u"error").toString(), u"Wrong OTP"_s);
    QVERIFY(replay.json().value(u"detail").toString().contains(u"already used"_s));
    for (qint64 offset : {-60, 60, -3600}) {
        const HttpReply far =
            secondStep(server, challenge, u"code"_s, codeAt(server, e.secret, offset));
        QCOMPARE(far.status, 403);
        QCOMPARE(far.json().value(u"detail").toString(), u"the code is wrong"_s);
    }
    // The same challenge still takes the next right code (4 tries used of 5).
    server.clock().advanceSecs(30);
    QCOMPARE(secondStep(server, challenge, u"code"_s, codeAt(server, e.secret)).status, 200);
}

void TstAccountFactors::recoveryCodeWorksOnce()
{
    TestServer server;
    const Enrolled e = enrol(server);
    const QString first = e.recovery.first();
    const HttpReply used = secondStep(server, challengeOf(login(server, kEmail, kPassword)),
                                      u"recovery_code"_s, first);
    QCOMPARE(used.status, 200);
    const HttpReply again = secondStep(server, challengeOf(login(server, kEmail, kPassword)),
                                       u"recovery_code"_s, first);
    QCOMPARE(again.status, 403);
    QCOMPARE(again.json().value(u"detail").toString(),
             u"the recovery code is wrong or was already used"_s);
    const HttpReply list = server.client().get("/api/auth/me/factors", bearer(e.jwt));
    QCOMPARE(list.json().value(u"recovery_codes_left").toInt(), 9);
}

void TstAccountFactors::challengeErrors()
{
    TestServer server;
    const Enrolled e = enrol(server);
    const HttpReply unknown = secondStep(server, u"made-up"_s, u"code"_s, u"123456"_s);
    QCOMPARE(unknown.status, 403);
    QCOMPARE(unknown.json().value(u"error").toString(), u"Invalid token"_s);
    QVERIFY(isErrorShape(unknown));
    const QString challenge = challengeOf(login(server, kEmail, kPassword));
    server.clock().advanceSecs(301);
    const HttpReply expired = secondStep(server, challenge, u"code"_s, codeAt(server, e.secret));
    QCOMPARE(expired.status, 403);
    QCOMPARE(expired.json().value(u"error").toString(), u"Token expired"_s);
    const HttpReply noCode =
        server.client().postJson("/api/auth/login/second-factor", {{u"challenge"_s, challenge}});
    QCOMPARE(noCode.status, 400);
    QCOMPARE(noCode.json().value(u"detail").toString(), u"field 'code' is required"_s);
}

void TstAccountFactors::challengeTriesAreLimited()
{
    TestServer server;
    const Enrolled e = enrol(server);
    const QString wrong = codeAt(server, e.secret, 120);
    const QString challenge = challengeOf(login(server, kEmail, kPassword));
    for (int i = 0; i < 5; ++i)
        QCOMPARE(secondStep(server, challenge, u"code"_s, wrong).status, 403);
    const HttpReply locked = secondStep(server, challenge, u"code"_s, codeAt(server, e.secret));
    QCOMPARE(locked.status, 429);
    QVERIFY(isErrorShape(locked));
    // A new challenge gets five more, then the user is held for a while.
    const QString next = challengeOf(login(server, kEmail, kPassword));
    for (int i = 0; i < 5; ++i)
        QCOMPARE(secondStep(server, next, u"code"_s, wrong).status, 403);
    const HttpReply limited = secondStep(server, challengeOf(login(server, kEmail, kPassword)),
                                         u"code"_s, codeAt(server, e.secret));
    QCOMPARE(limited.status, 429);
    QVERIFY(!limited.header("retry-after").isEmpty());
}

// A wrong password answers the same whether or not the account has a factor.
void TstAccountFactors::wrongPasswordLooksTheSame()
{
    TestServer server;
    enrol(server);
    newUser(server, u"plain@example.org"_s, kPassword);
    const HttpReply withFactor = login(server, kEmail, u"wrong password"_s);
    const HttpReply without = login(server, u"plain@example.org"_s, u"wrong password"_s);
    QCOMPARE(withFactor.status, 401);
    QCOMPARE(withFactor.body, without.body);
    QCOMPARE(withFactor.header("www-authenticate"), without.header("www-authenticate"));
}

void TstAccountFactors::listRenameRemove()
{
    TestServer server;
    const Enrolled e = enrol(server);
    const HttpReply list = server.client().get("/api/auth/me/factors", bearer(e.jwt));
    QCOMPARE(list.status, 200);
    const QJsonArray factors = list.json().value(u"factors").toArray();
    QCOMPARE(factors.size(), 1);
    const QJsonObject f = factors.first().toObject();
    QCOMPARE(QStringList(f.keys()),
             QStringList({u"created_at"_s, u"id"_s, u"kind"_s, u"label"_s, u"last_used_at"_s}));
    QCOMPARE(f.value(u"kind").toString(), u"totp"_s);
    QCOMPARE(f.value(u"label").toString(), u"Phone"_s);
    QCOMPARE(list.json().value(u"recovery_codes_left").toInt(), 10);
    const QByteArray path = "/api/auth/me/factors/" + e.factorId.toLatin1();
    const HttpReply renamed =
        server.client().request("PUT", path, R"({"label":"Work phone"})",
                                bearer(e.jwt) + Headers{{"Content-Type", "application/json"}});
    QCOMPARE(renamed.status, 200);
    QCOMPARE(renamed.json().value(u"label").toString(), u"Work phone"_s);
    const HttpReply other = server.client().request("PUT", "/api/auth/me/factors/nope",
                                                    R"({"label":"x"})", bearer(e.jwt));
    QCOMPARE(other.status, 404);
    const HttpReply removed =
        server.client().request("DELETE", path, R"({"password":"correct horse"})", bearer(e.jwt));
    QCOMPARE(removed.status, 200);
    QCOMPARE(removed.body, QByteArray("true"));
    QCOMPARE(login(server, kEmail, kPassword).status, 200); // the password alone again
}

void TstAccountFactors::removeNeedsPassword()
{
    TestServer server;
    const Enrolled e = enrol(server);
    const QByteArray path = "/api/auth/me/factors/" + e.factorId.toLatin1();
    const HttpReply wrong =
        server.client().request("DELETE", path, R"({"password":"not it at all"})", bearer(e.jwt));
    QCOMPARE(wrong.status, 403);
    QCOMPARE(wrong.json().value(u"error").toString(), u"The password is wrong"_s);
    const HttpReply none = server.client().request("DELETE", path, {}, bearer(e.jwt));
    QCOMPARE(none.status, 400);
    QCOMPARE(login(server, kEmail, kPassword).status, 401); // still has its factor
}

void TstAccountFactors::regenerateRecoveryCodes()
{
    TestServer server;
    const Enrolled e = enrol(server);
    const HttpReply fresh = server.client().postJson("/api/auth/me/factors/recovery-codes",
                                                     {{u"password"_s, kPassword}}, bearer(e.jwt));
    QCOMPARE(fresh.status, 200);
    const QJsonArray codes = fresh.json().value(u"recovery_codes").toArray();
    QCOMPARE(codes.size(), 10);
    QCOMPARE(secondStep(server, challengeOf(login(server, kEmail, kPassword)), u"recovery_code"_s,
                        e.recovery.first())
                 .status,
             403);
    QCOMPARE(secondStep(server, challengeOf(login(server, kEmail, kPassword)), u"recovery_code"_s,
                        codes.first().toString())
                 .status,
             200);
    const QByteArray plain = newUser(server, u"plain@example.org"_s, kPassword);
    const HttpReply none = server.client().postJson("/api/auth/me/factors/recovery-codes",
                                                    {{u"password"_s, kPassword}}, bearer(plain));
    QCOMPARE(none.status, 404);
}

void TstAccountFactors::adminPolicy()
{
    TestServer server;
    newUser(server, kEmail, kPassword); // the admin's referrer token, while it still can
    server.services().settings.requireAdminSecondFactor = true;
    const HttpReply refused = login(server, u"admin"_s, u"admin"_s);
    QCOMPARE(refused.status, 403);
    QVERIFY(isErrorShape(refused));
    QVERIFY(refused.json().value(u"error").toString().startsWith(
        u"Administrators must set up a second factor"_s));
    // Everyone else is not concerned, and a wrong password still answers as before.
    QCOMPARE(login(server, kEmail, kPassword).status, 200);
    QCOMPARE(login(server, u"admin"_s, u"nope nope"_s).status, 401);
    // An admin with a factor goes through the second step as anyone else.
    Services &s = server.services();
    const QString adminId = s.users.byUsername(u"admin"_s)->id;
    const TotpEnrolment e = s.factors.beginTotp(adminId, u"admin"_s, QString(), u"test"_s);
    const QByteArray secret = *Totp::fromBase32(e.secret);
    QVERIFY(s.factors.confirmTotp(adminId, e.factor.id, codeAt(server, secret), u"test"_s).ok());
    server.clock().advanceSecs(30);
    const HttpReply pending = login(server, u"admin"_s, u"admin"_s);
    QCOMPARE(pending.status, 401);
    const HttpReply done =
        secondStep(server, challengeOf(pending), u"code"_s, codeAt(server, secret));
    QCOMPARE(done.status, 200);
    QCOMPARE(done.json().value(u"user").toObject().value(u"is_admin").toBool(), true);
}

// What the passkey code calls once an assertion verified: the challenge is spent once,
// the login granted and audited.
void TstAccountFactors::grantAfterAnotherProof()
{
    TestServer server;
    newUser(server, kEmail, kPassword);
    Services &s = server.services();
    const QString userId = s.users.byEmail(kEmail)->id;
    (void)s.factors.addPasskey(userId, u"Key"_s, u"test"_s);
    const HttpReply pending = login(server, kEmail, kPassword);
    QCOMPARE(pending.status, 401);
    QCOMPARE(pending.json().value(u"error").toString(),
             u"Confirm with your passkey to finish signing in"_s);
    QCOMPARE(pending.json().value(u"second_factor").toObject().value(u"methods").toArray(),
             QJsonArray({u"passkey"_s}));
    const QString challenge = challengeOf(pending);
    QCOMPARE(s.secondStep.countTry(challenge).value(), userId);
    const Accounts::Grant grant =
        s.accounts.grantSecondStep(challenge, u"with a passkey"_s, u"ip"_s);
    QCOMPARE(grant.user.id, userId);
    QVERIFY(!grant.token.isEmpty());
    QCOMPARE(server.client().get("/api/auth/me", bearer(grant.token)).status, 200);
    try {
        (void)s.accounts.grantSecondStep(challenge, u"with a passkey"_s, u"ip"_s);
        QFAIL("a spent challenge granted a second login");
    } catch (const Refusal &refusal) {
        QCOMPARE(refusal.kind, Refusal::Kind::TokenInvalid);
    }
    // A passkey-only account has no TOTP: a code is simply wrong.
    const HttpReply code =
        secondStep(server, challengeOf(login(server, kEmail, kPassword)), u"code"_s, u"123456"_s);
    QCOMPARE(code.status, 403);
    QCOMPARE(code.json().value(u"detail").toString(), u"the code is wrong"_s);
}

QTEST_GUILESS_MAIN(TstAccountFactors)
#include "tst_accountfactors.moc"
