// SPDX-License-Identifier: GPL-3.0-or-later
// Factors (TOTP enrolment, single use per step, recovery codes, removal) and SecondStep
// (single use, expiry, tries per challenge and per user), against a real SQLite database.
#include "config/secrets.h"
#include "crypto/totp.h"
#include "identity/audit.h"
#include "identity/factors.h"
#include "identity/secondstep.h"
#include "identity/users.h"
#include "storage/database.h"
#include "tempdatabase.h"

#include <QTest>
#include <memory>

using namespace Qt::StringLiterals;

namespace {
constexpr qint64 kStart = 1'790'000'000'000;
} // namespace

class TestFactors : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void enrolmentCountsOnlyOnceConfirmed();
    void secretIsSealed();
    void confirmLocksAfterFiveWrongCodes();
    void codeIsGoodOncePerStep();
    void codeWindowIsOneStep();
    void recoveryCodesAreSingleUse();
    void regenerateReplacesCodes();
    void renameAndRemove();
    void passkeyRows();
    void secondStepSingleUse();
    void secondStepExpires();
    void secondStepPurposeBound();
    void secondStepTriesPerChallenge();
    void secondStepFailuresPerUser();

private:
    QString code(const TotpEnrolment &e, qint64 offsetSecs = 0) const;
    TotpEnrolment enrolled(QStringList *recovery = nullptr);

    std::unique_ptr<TempDatabase> m_fixture;
    std::unique_ptr<AuditLog> m_audit;
    std::unique_ptr<Factors> m_factors;
    std::unique_ptr<SecondStep> m_steps;
    Secrets m_secrets;
    QString m_user;
};

void TestFactors::init()
{
    m_fixture = std::make_unique<TempDatabase>(kStart);
    m_audit = std::make_unique<AuditLog>(m_fixture->db(), m_fixture->clock());
    m_secrets.set(SecretName::walletSealKey, QByteArray(32, 'k'));
    m_factors = std::make_unique<Factors>(m_fixture->db(), m_secrets, m_fixture->clock(), *m_audit);
    m_steps = std::make_unique<SecondStep>(m_fixture->db(), m_fixture->clock());
    Users users(m_fixture->db(), m_fixture->clock());
    User draft;
    draft.username = u"alice"_s;
    m_user = users.create(draft)->id;
}

void TestFactors::cleanup()
{
    m_steps.reset();
    m_factors.reset();
    m_audit.reset();
    m_fixture.reset();
}

QString TestFactors::code(const TotpEnrolment &e, qint64 offsetSecs) const
{
    return Totp::at(*Totp::fromBase32(e.secret), m_fixture->clock().nowSecs() + offsetSecs);
}

TotpEnrolment TestFactors::enrolled(QStringList *recovery)
{
    const TotpEnrolment e =
        m_factors->beginTotp(m_user, u"alice@example.org"_s, u"Phone"_s, u"ip"_s);
    const auto codes = m_factors->confirmTotp(m_user, e.factor.id, code(e), u"ip"_s);
    if (!codes)
        qFatal("confirm failed: %s", qPrintable(codes.error()));
    if (recovery)
        *recovery = *codes;
    m_fixture->clock().advanceSecs(30); // the confirming code's step is spent
    return e;
}

void TestFactors::enrolmentCountsOnlyOnceConfirmed()
{
    const TotpEnrolment e = m_factors->beginTotp(m_user, u"a@b.c"_s, QString(), u"ip"_s);
    QCOMPARE(e.secret.size(), 32); // 20 bytes in base32
    QVERIFY(e.uri.startsWith(u"otpauth://totp/Gatehouse:a%40b.c?secret="_s + e.secret));
    QVERIFY(e.uri.contains(u"&algorithm=SHA1&digits=6&period=30"_s));
    QVERIFY(!m_factors->hasConfirmed(m_user));
    QVERIFY(m_factors->list(m_user).isEmpty());
    QCOMPARE(m_factors->checkTotp(m_user, code(e), u"ip"_s).refusal().kind,
             Refusal::Kind::NotFound);
    const auto codes = m_factors->confirmTotp(m_user, e.factor.id, code(e), u"ip"_s);
    QVERIFY(codes.ok());
    QCOMPARE(codes->size(), Factors::kRecoveryCodeCount);
    QVERIFY(m_factors->hasConfirmed(m_user));
    QCOMPARE(m_factors->list(m_user).size(), 1);
    QCOMPARE(m_factors->list(m_user).first().label, u"Authenticator app"_s);
    QCOMPARE(m_factors->recoveryCodesLeft(m_user), 10);
    // Confirming twice finds nothing pending.
    QCOMPARE(m_factors->confirmTotp(m_user, e.factor.id, code(e), u"ip"_s).refusal().kind,
             Refusal::Kind::NotFound);
}

void TestFactors::secretIsSealed()
{
    const TotpEnrolment e = m_factors->beginTotp(m_user, u"a"_s, QString(), u"ip"_s);
    Sql q(m_fixture->db(), u"SELECT secret_sealed FROM factors WHERE id = :id"_s);
    q.bind(u":id"_s, e.factor.id).exec();
    QVERIFY(q.next());
    const QByteArray stored = q.value(u"secret_sealed"_s).toString().toLatin1();
    const QByteArray secret = *Totp::fromBase32(e.secret);
    QVERIFY(!stored.isEmpty());
    QVERIFY(!stored.contains(e.secret.toLatin1()));
    QVERIFY(!QByteArray::fromBase64(stored).contains(secret));
    // Another sealing key cannot open it: the code no longer matches.
    m_secrets.set(SecretName::walletSealKey, QByteArray(32, 'x'));
    QCOMPARE(m_factors->confirmTotp(m_user, e.factor.id, code(e), u"ip"_s).refusal().kind,
             Refusal::Kind::WrongCode);
}

void TestFactors::confirmLocksAfterFiveWrongCodes()
{
    const TotpEnrolment e = m_factors->beginTotp(m_user, u"a"_s, QString(), u"ip"_s);
    const QString wrong = code(e) == u"000000" ? u"000001"_s : u"000000"_s;
    for (int i = 0; i < 4; ++i)
        QCOMPARE(m_factors->confirmTotp(m_user, e.factor.id, wrong, u"ip"_s).refusal().kind,
                 Refusal::Kind::WrongCode);
    QCOMPARE(m_factors->confirmTotp(m_user, e.factor.id, wrong, u"ip"_s).refusal().kind,
             Refusal::Kind::Locked);
    // The enrolment is gone: even the right code finds nothing.
    QCOMPARE(m_factors->confirmTotp(m_user, e.factor.id, code(e), u"ip"_s).refusal().kind,
             Refusal::Kind::NotFound);
}

void TestFactors::codeIsGoodOncePerStep()
{
    const TotpEnrolment e = enrolled();
    const QString now = code(e);
    QVERIFY(m_factors->checkTotp(m_user, now, u"ip"_s).ok());
    const auto replay = m_factors->checkTotp(m_user, now, u"ip"_s);
    QCOMPARE(replay.refusal().kind, Refusal::Kind::WrongCode);
    QVERIFY(replay.error().contains(u"already used"_s));
    // An earlier step's code after a later one was used: refused too.
    m_fixture->clock().advanceSecs(30);
    QCOMPARE(m_factors->checkTotp(m_user, code(e, -30), u"ip"_s).refusal().kind,
             Refusal::Kind::WrongCode);
    QVERIFY(m_factors->checkTotp(m_user, code(e), u"ip"_s).ok());
    QVERIFY(m_factors->list(m_user).first().lastUsedAt > 0);
}

void TestFactors::codeWindowIsOneStep()
{
    const TotpEnrolment e = enrolled();
    m_fixture->clock().advanceSecs(300);
    QCOMPARE(m_factors->checkTotp(m_user, code(e, -60), u"ip"_s).refusal().kind,
             Refusal::Kind::WrongCode);
    QCOMPARE(m_factors->checkTotp(m_user, code(e, 60), u"ip"_s).refusal().kind,
             Refusal::Kind::WrongCode);
    QVERIFY(m_factors->checkTotp(m_user, code(e, -30), u"ip"_s).ok()); // one step late: fine
    QVERIFY(m_factors->checkTotp(m_user, code(e, 30), u"ip"_s).ok());  // one step early: fine
}

void TestFactors::recoveryCodesAreSingleUse()
{
    QStringList codes;
    enrolled(&codes);
    QCOMPARE(codes.size(), 10);
    QCOMPARE(QSet<QString>(codes.begin(), codes.end()).size(), 10);
    QVERIFY(QRegularExpression(u"^[a-z2-7]{5}-[a-z2-7]{5}$"_s).match(codes.first()).hasMatch());
    QVERIFY(m_factors->useRecoveryCode(m_user, codes.first(), u"ip"_s).ok());
    QCOMPARE(m_factors->useRecoveryCode(m_user, codes.first(), u"ip"_s).refusal().kind,
             Refusal::Kind::WrongCode);
    // Case, spaces and the dash do not matter.
    QVERIFY(
        m_factors->useRecoveryCode(m_user, u" "_s + codes[1].toUpper().remove(u'-'), u"ip"_s).ok());
    QCOMPARE(m_factors->recoveryCodesLeft(m_user), 8);
    QCOMPARE(m_factors->useRecoveryCode(m_user, u"aaaaa-aaaaa"_s, u"ip"_s).refusal().kind,
             Refusal::Kind::WrongCode);
    // Stored as hashes only.
    Sql q(m_fixture->db(), u"SELECT code_hash FROM recovery_codes"_s);
    q.exec();
    while (q.next())
        QVERIFY(!codes.contains(q.value(u"code_hash"_s).toString()));
}

void TestFactors::regenerateReplacesCodes()
{
    QStringList old;
    enrolled(&old);
    const QStringList fresh = m_factors->regenerateRecoveryCodes(m_user, m_user, u"ip"_s);
    QCOMPARE(fresh.size(), 10);
    QCOMPARE(m_factors->useRecoveryCode(m_user, old.first(), u"ip"_s).refusal().kind,
             Refusal::Kind::WrongCode);
    QVERIFY(m_factors->useRecoveryCode(m_user, fresh.first(), u"ip"_s).ok());
    // A second TOTP factor does not hand out new codes.
    const TotpEnrolment second = m_factors->beginTotp(m_user, u"a"_s, u"Tablet"_s, u"ip"_s);
    const auto codes = m_factors->confirmTotp(m_user, second.factor.id, code(second), u"ip"_s);
    QVERIFY(codes.ok());
    QVERIFY(codes->isEmpty());
    QCOMPARE(m_factors->recoveryCodesLeft(m_user), 9);
}

void TestFactors::renameAndRemove()
{
    const TotpEnrolment e = enrolled();
    QVERIFY(m_factors->rename(m_user, e.factor.id, u"  Work phone "_s, u"ip"_s).ok());
    QCOMPARE(m_factors->list(m_user).first().label, u"Work phone"_s);
    QCOMPARE(m_factors->rename(m_user, e.factor.id, u" "_s, u"ip"_s).refusal().kind,
             Refusal::Kind::InvalidInput);
    QCOMPARE(m_factors->rename(u"someone else"_s, e.factor.id, u"x"_s, u"ip"_s).refusal().kind,
             Refusal::Kind::NotFound);
    QCOMPARE(m_factors->remove(u"someone else"_s, e.factor.id, u"x"_s, u"account"_s, u"ip"_s)
                 .refusal()
                 .kind,
             Refusal::Kind::NotFound);
    QVERIFY(m_factors->remove(m_user, e.factor.id, m_user, u"account"_s, u"ip"_s).ok());
    QVERIFY(!m_factors->hasConfirmed(m_user));
    QCOMPARE(m_factors->recoveryCodesLeft(m_user), 0); // they went with the last factor
}

void TestFactors::passkeyRows()
{
    const Factor f = m_factors->addPasskey(m_user, u"YubiKey"_s, u"ip"_s);
    QVERIFY(m_factors->hasConfirmed(m_user));
    QCOMPARE(m_factors->kinds(m_user), QStringList{u"passkey"_s});
    QCOMPARE(m_factors->byId(m_user, f.id)->kind, u"passkey"_s);
    m_factors->markUsed(f.id);
    QCOMPARE(m_factors->byId(m_user, f.id)->lastUsedAt, m_fixture->clock().nowMs());
}

void TestFactors::secondStepSingleUse()
{
    const QString token = m_steps->begin(m_user);
    QVERIFY(token.size() >= 40);
    QCOMPARE(m_steps->peek(token).value(), m_user);
    QCOMPARE(m_steps->countTry(token).value(), m_user);
    QCOMPARE(m_steps->finish(token).value(), m_user);
    QCOMPARE(m_steps->finish(token).refusal().kind, Refusal::Kind::TokenInvalid);
    QCOMPARE(m_steps->peek(token).refusal().kind, Refusal::Kind::TokenInvalid);
    QCOMPARE(m_steps->peek(u"made-up"_s).refusal().kind, Refusal::Kind::TokenInvalid);
    // Only the hash is stored.
    Sql q(m_fixture->db(), u"SELECT COUNT(*) AS n FROM second_steps WHERE token_hash = :t"_s);
    q.bind(u":t"_s, token).exec();
    QVERIFY(q.next());
    QCOMPARE(q.value(u"n"_s).toInt(), 0);
}

void TestFactors::secondStepExpires()
{
    const QString token = m_steps->begin(m_user);
    m_fixture->clock().advanceSecs(299);
    QVERIFY(m_steps->peek(token).ok());
    m_fixture->clock().advanceSecs(1);
    QCOMPARE(m_steps->peek(token).refusal().kind, Refusal::Kind::TokenExpired);
    QCOMPARE(m_steps->countTry(token).refusal().kind, Refusal::Kind::TokenExpired);
    QCOMPARE(m_steps->finish(token).refusal().kind, Refusal::Kind::TokenExpired);
}

void TestFactors::secondStepPurposeBound()
{
    const QString token = m_steps->begin(m_user, u"enrol"_s);
    QCOMPARE(m_steps->peek(token).refusal().kind, Refusal::Kind::TokenInvalid);
    QCOMPARE(m_steps->finish(token).refusal().kind, Refusal::Kind::TokenInvalid);
    QCOMPARE(m_steps->finish(token, u"enrol"_s).value(), m_user);
}

void TestFactors::secondStepTriesPerChallenge()
{
    const QString token = m_steps->begin(m_user);
    for (int i = 0; i < 5; ++i)
        QVERIFY(m_steps->countTry(token).ok());
    QCOMPARE(m_steps->countTry(token).refusal().kind, Refusal::Kind::Locked);
    QCOMPARE(m_steps->peek(token).refusal().kind, Refusal::Kind::Locked);
    // A fresh challenge has its own tries.
    QVERIFY(m_steps->countTry(m_steps->begin(m_user)).ok());
}

void TestFactors::secondStepFailuresPerUser()
{
    // Two challenges' worth of failures (10) lock the user out of a third for 15 minutes.
    for (int c = 0; c < 2; ++c) {
        const QString token = m_steps->begin(m_user);
        for (int i = 0; i < 5; ++i)
            QVERIFY(m_steps->countTry(token).ok());
    }
    const QString third = m_steps->begin(m_user);
    const auto limited = m_steps->countTry(third);
    QCOMPARE(limited.refusal().kind, Refusal::Kind::RateLimited);
    QVERIFY(limited.refusal().retryAfterSecs > 0);
    m_fixture->clock().advanceSecs(15 * 60 + 1);
    QVERIFY(m_steps->countTry(m_steps->begin(m_user)).ok());
    // A success forgives its own try: it is not a failure.
    const QString ok = m_steps->begin(m_user);
    QVERIFY(m_steps->countTry(ok).ok());
    QVERIFY(m_steps->finish(ok).ok());
}

QTEST_GUILESS_MAIN(TestFactors)
#include "tst_factors.moc"
