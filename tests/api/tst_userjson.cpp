// SPDX-License-Identifier: GPL-3.0-or-later
// userJsonText() writes the account surface's user object directly; QJsonDocument is the
// reference: for every user, the bytes must be exactly what it writes for userJson().
#include "surfaces/userjson.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;

class TestUserJson : public QObject
{
    Q_OBJECT

private slots:
    void sameBytesAsQJsonDocument_data()
    {
        QTest::addColumn<User>("user");
        User plain;
        plain.id = u"16146c07-6a63-425a-a6e6-209381ff1041"_s;
        plain.username = u"admin"_s;
        plain.displayName = u"Server Admin"_s;
        plain.role = u"admin"_s;
        plain.isAdmin = true;
        plain.createdAt = 1795844106349;
        plain.updatedAt = 1795844106350;
        QTest::newRow("default admin, no email") << plain;

        User full = plain;
        full.email = u"a@example.com"_s;
        full.referrerId = u"0d1c"_s;
        full.emailVerified = true;
        full.disabled = true;
        full.tier = 1;
        full.isAdmin = false;
        QTest::newRow("every field") << full;

        User empty;
        QTest::newRow("empty") << empty;

        User odd = plain;
        odd.displayName = u"Zoë \"quoted\" \\ back\tslash\n\u2028 \U0001F600 <\u007f>"_s;
        odd.username = u"ü"_s;
        odd.email = u"x\u0001y@example.com"_s;
        odd.role = u"r\u00e9le"_s;
        odd.tier = 0;
        odd.createdAt = -1;
        odd.updatedAt = std::numeric_limits<qint64>::max();
        QTest::newRow("escapes, non-ASCII, extremes") << odd;

        User big = plain;
        big.tier = 2147483647;
        big.createdAt = 9007199254740993; // past 2^53: an integer, not a double
        QTest::newRow("large numbers") << big;
    }

    void sameBytesAsQJsonDocument()
    {
        QFETCH(User, user);
        QCOMPARE(userJsonText(user), QJsonDocument(userJson(user)).toJson(QJsonDocument::Compact));
    }

    void grantSameBytesAsQJsonDocument_data()
    {
        QTest::addColumn<NamespaceAuth::Grant>("grant");
        QTest::newRow("access token login")
            << NamespaceAuth::Grant{"eyJ.a.b", 7, u"default"_s, {}, {}, {}};
        QTest::newRow("telegram, every name") << NamespaceAuth::Grant{
            "t", 123456789012, u"ns"_s, u"jo_doe"_s, u"Jo \"J\""_s, u"Döe 😀"_s};
        QTest::newRow("first name only")
            << NamespaceAuth::Grant{"t", -1, u"ns"_s, {}, u"Ann\n"_s, {}};
    }

    void grantSameBytesAsQJsonDocument()
    {
        QFETCH(NamespaceAuth::Grant, grant);
        QCOMPARE(grantJsonText(grant),
                 QJsonDocument(grantJson(grant)).toJson(QJsonDocument::Compact));
    }
};

QTEST_APPLESS_MAIN(TestUserJson)
#include "tst_userjson.moc"
