// SPDX-License-Identifier: GPL-3.0-or-later
// Result<T> carries the one Refusal type, and core refuses with the Kind a surface maps.
#include "crypto/jwt.h"
#include "result.h"
#include "storage/databaseurl.h"

#include <QtTest>

using namespace Qt::StringLiterals;

class TstRefusal : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void resultCarriesTheRefusal();
    void jwtRefusalKinds();
    void databaseUrlIsInvalidInput();
};

void TstRefusal::resultCarriesTheRefusal()
{
    const Result<int> ok(7);
    QVERIFY(ok.ok());
    QCOMPARE(*ok, 7);
    QCOMPARE(ok.error(), QString());

    const Result<int> refused =
        Refusal(Refusal::Kind::RateLimited, u"slow down"_s, u"per address"_s, 42);
    QVERIFY(!refused);
    QCOMPARE(refused.refusal().kind, Refusal::Kind::RateLimited);
    QCOMPARE(refused.error(), u"slow down"_s);
    QCOMPARE(refused.refusal().detail, u"per address"_s);
    QCOMPARE(refused.refusal().retryAfterSecs, 42);

    const auto viaFailure = Result<QString>::failure(Refusal::Kind::NotFound, u"no such"_s);
    QCOMPARE(viaFailure.refusal().kind, Refusal::Kind::NotFound);
    QCOMPARE(viaFailure.error(), u"no such"_s);
}

void TstRefusal::jwtRefusalKinds()
{
    const QByteArray key(32, 'k');
    const Jwt jwt(key, u"test"_s);
    const QByteArray token = jwt.sign({{u"iat"_s, 1000}, {u"exp"_s, 2000}});
    QVERIFY(jwt.verify(token, 1500).ok());

    const auto expired = jwt.verify(token, 5000);
    QVERIFY(!expired);
    QCOMPARE(expired.refusal().kind, Refusal::Kind::TokenExpired);

    const auto otherPurpose = Jwt(key, u"other"_s).verify(token, 1500);
    QVERIFY(!otherPurpose);
    QCOMPARE(otherPurpose.refusal().kind, Refusal::Kind::TokenInvalid);

    const auto garbage = jwt.verify("not-a-token", 1500);
    QCOMPARE(garbage.refusal().kind, Refusal::Kind::TokenInvalid);
}

void TstRefusal::databaseUrlIsInvalidInput()
{
    const auto bad = DatabaseUrl::parse(u"mysql://x"_s);
    QVERIFY(!bad);
    QCOMPARE(bad.refusal().kind, Refusal::Kind::InvalidInput);
    QVERIFY(!bad.error().isEmpty());
}

QTEST_GUILESS_MAIN(TstRefusal)
#include "tst_refusal.moc"
