// SPDX-License-Identifier: GPL-3.0-or-later
// Every route of every surface, walked from the router's own table (a new route is in the
// walk without anyone listing it here): a route whose auth column names a credential
// answers the documented 401 without it, with it in the wrong place, and with a forged
// one (so its handler checks it, before the body); a public route never answers 401 for
// want of one. What each credential's 401 looks like comes from the documents, per Auth
// value: a new value does not compile here until its documented 401 is added.
#include "httpserver.h"
#include "services.h"
#include "testserver.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QtTest>

using namespace Qt::StringLiterals;

using Headers = QList<std::pair<QByteArray, QByteArray>>;

namespace {

const QByteArray kForged = "forged.not-a.token";

Headers bearer()
{
    return {{"Authorization", "Bearer " + kForged}};
}

Headers cookie(const QByteArray &name)
{
    return {{"Cookie", name + '=' + kForged}};
}

// Every place a credential travels on some surface.
QList<Headers> everyCarrier()
{
    return {bearer(),
            cookie("accessToken"),
            cookie("refreshToken"),
            cookie("wallet_session"),
            {{"Authorization", "Basic dXNlcjpwYXNz"}}};
}

// What the documents say of one credential.
struct Documented
{
    QList<Headers> carriers;         // where it travels (a forged one is sent in each)
    QJsonObject missing;             // the whole body without it
    QJsonObject forged;              // the whole body for a forged one; empty: the reason varies
    QStringList keys;                // the body's keys: the surface's error shape
    bool challenge = false;          // WWW-Authenticate: Bearer
    QByteArray forgedChallenge = {}; // when set, the exact WWW-Authenticate for a forged one
};

Documented documented(Auth auth)
{
    const QJsonObject noBearer{{u"error"_s, u"Missing bearer token"_s},
                               {u"detail"_s, u"missing bearer token"_s}};
    const QStringList errorDetail{u"detail"_s, u"error"_s};
    switch (auth) {
    case Auth::None:
        return {};
    case Auth::AccountBearer: // docs/api/account.md: the reason, and WWW-Authenticate
        return {{bearer()}, noBearer, {}, errorDetail, true};
    case Auth::ResetBearer:
        return {{bearer()},
                noBearer,
                {{u"error"_s, u"The reset link is invalid or expired"_s},
                 {u"detail"_s, u"the reset link is invalid or expired"_s}},
                errorDetail,
                true};
    case Auth::DeviceBearer: { // docs/api/device.md, "Bearer means"
        const QJsonObject refused{{u"error"_s, u"Invalid or expired session token"_s}};
        return {{bearer()}, refused, refused, {u"error"_s}, true};
    }
    case Auth::PinAccess: // docs/api/pin.md: the cookie, or a bearer token
        return {{cookie("accessToken"), bearer()},
                {{u"message"_s, u"Access token not found"_s}},
                {{u"message"_s, u"Invalid or expired access token"_s}},
                {u"message"_s},
                false};
    case Auth::PinRefresh:
        return {{cookie("refreshToken")},
                {{u"message"_s, u"Refresh token not found"_s}},
                {{u"message"_s, u"Invalid or expired refresh token"_s}},
                {u"message"_s},
                false};
    case Auth::WalletSession: { // docs/api/wallet.md
        const QJsonObject refused{{u"error"_s, u"Not authenticated"_s}};
        return {{cookie("wallet_session")}, refused, refused, {u"error"_s}, false};
    }
    case Auth::MetricsToken: { // docs/security.md
        const QJsonObject refused{
            {u"error"_s, u"metrics need Authorization: Bearer <metrics token>"_s}};
        return {{bearer()}, refused, refused, {u"error"_s}, true};
    }
    case Auth::OidcAccessToken: // docs/oidc.md, RFC 6750 3.1
        return {{bearer()},
                {{u"error"_s, u"invalid_token"_s},
                 {u"error_description"_s, u"no access token (Authorization: Bearer)"_s}},
                {},
                {u"error"_s, u"error_description"_s},
                true,
                "Bearer error=\"invalid_token\""};
    }
    return {};
}

const QList<Auth> kEveryCredential = {
    Auth::AccountBearer, Auth::ResetBearer,   Auth::DeviceBearer, Auth::PinAccess,
    Auth::PinRefresh,    Auth::WalletSession, Auth::MetricsToken, Auth::OidcAccessToken};

// "/auth/sessions/{id}" -> "/auth/sessions/x"
QByteArray target(const QString &pattern)
{
    static const QRegularExpression parameter(u"\\{[^}]*\\}"_s);
    return QString(pattern).replace(parameter, u"x"_s).toUtf8();
}

QByteArray describe(const Route &route, const char *how, const HttpReply &reply)
{
    return route.method + ' ' + route.pattern.toUtf8() + ' ' + how + ": " +
           QByteArray::number(reply.status) + ' ' + reply.body.left(200);
}

} // namespace

class TestRouteAuth : public QObject
{
    Q_OBJECT

private:
    // One refusal: 401, the surface's shape, the documented body, the challenge.
    static void checkRefused(const Route &route, const char *how, const HttpReply &reply,
                             const QJsonObject &body, const Documented &doc, bool forged = false)
    {
        const QByteArray what = describe(route, how, reply);
        QVERIFY2(reply.status == 401, what.constData());
        QVERIFY2(reply.header("content-type") == "application/json", what.constData());
        QStringList keys = reply.json().keys();
        keys.sort();
        QVERIFY2(keys == doc.keys, what.constData());
        for (const QString &key : std::as_const(keys))
            QVERIFY2(!reply.json().value(key).toString().isEmpty(), what.constData());
        if (!body.isEmpty())
            QVERIFY2(reply.json() == body, what.constData());
        if (forged && !doc.forgedChallenge.isEmpty())
            QVERIFY2(reply.header("www-authenticate") == doc.forgedChallenge, what.constData());
        else
            QVERIFY2((reply.header("www-authenticate") == "Bearer") == doc.challenge,
                     what.constData());
    }

    static void checkPublic(TestServer &server, const Route &route)
    {
        const QByteArray path = target(route.pattern);
        const HttpReply bare = server.client().request(route.method, path);
        QVERIFY2(bare.status != 0 && bare.status != 401,
                 describe(route, "without a credential", bare).constData());
        for (const Headers &headers : everyCarrier()) {
            const HttpReply reply = server.client().request(route.method, path, {}, headers);
            QVERIFY2(reply.status != 0 && reply.status != 401,
                     describe(route, headers.first().second.constData(), reply).constData());
        }
    }

    static void checkGuarded(TestServer &server, const Route &route)
    {
        const Documented doc = documented(route.auth);
        const QByteArray path = target(route.pattern);
        checkRefused(route, "without a credential", server.client().request(route.method, path),
                     doc.missing, doc);
        for (const Headers &headers : everyCarrier()) {
            if (QTest::currentTestFailed())
                return;
            const bool counts = doc.carriers.contains(headers);
            const HttpReply reply = server.client().request(route.method, path, {}, headers);
            const QByteArray how = (counts ? "forged in " : "only in ") + headers.first().second;
            checkRefused(route, how.constData(), reply, counts ? doc.forged : doc.missing, doc,
                         counts);
        }
    }

private Q_SLOTS:
    void everyRoute_data()
    {
        QTest::addColumn<bool>("pin");
        QTest::addColumn<bool>("device");
        QTest::newRow("every surface") << true << true;
        QTest::newRow("pin without device") << true << false;
        QTest::newRow("device without pin") << false << true;
    }

    void everyRoute()
    {
        QFETCH(bool, pin);
        QFETCH(bool, device);
        TestServer server([&](Settings &s) {
            s.pinSurface = pin;
            s.deviceSurface = device;
        });
        // The same settings build the same table as the server that answers.
        const HttpServer tables(server.services());
        const QList<Route> &routes = tables.router().routes();
        QList<Auth> seen;
        int guarded = 0;
        for (const Route &route : routes) {
            if (route.auth == Auth::None) {
                checkPublic(server, route);
            } else {
                checkGuarded(server, route);
                ++guarded;
                if (!seen.contains(route.auth))
                    seen.append(route.auth);
            }
            if (QTest::currentTestFailed())
                return;
        }
        qInfo("%lld routes, %d with a credential", qlonglong(routes.size()), guarded);
        QVERIFY(routes.size() > 20);
        if (pin && device) { // every credential is some route's
            for (Auth auth : kEveryCredential)
                QVERIFY2(seen.contains(auth), QByteArray::number(int(auth)).constData());
        }
    }

    // The router refuses before the handler runs: a request without the credential never
    // reaches it, so it is the same 401 on a HEAD (no body) as on a GET.
    void headWithoutCredential()
    {
        TestServer server;
        const HttpReply head = server.client().request("HEAD", "/auth/sessions");
        QCOMPARE(head.status, 401);
        QCOMPARE(head.header("www-authenticate"), QByteArray("Bearer"));
        QVERIFY(head.body.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestRouteAuth)
#include "tst_routeauth.moc"
