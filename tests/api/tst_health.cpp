// SPDX-License-Identifier: GPL-3.0-or-later
// GET /healthz, GET /readyz and GET /metrics (Prometheus text), and that the counters
// behind /metrics move with the traffic.
#include "services.h"
#include "testserver.h"

#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QList<std::pair<QByteArray, QByteArray>> kMetricsAuth = {
    {"Authorization", QByteArray("Bearer ") + TestServer::kMetricsToken}};

// The value of one sample line, e.g. `gatehouse_requests_total{surface="other",code="2xx"}`;
// -1 when absent.
double sample(const QByteArray &text, const QByteArray &series)
{
    for (const QByteArray &line : text.split('\n')) {
        if (line.startsWith(series + ' '))
            return line.mid(series.size() + 1).toDouble();
    }
    return -1;
}

QByteArray requests(const char *surface, const char *code)
{
    return QByteArray("gatehouse_requests_total{surface=\"") + surface + "\",code=\"" + code +
           "\"}";
}

} // namespace

class TestHealth : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void healthz()
    {
        TestServer server;
        const HttpReply reply = server.client().get("/healthz");
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.header("content-type"), QByteArray("application/json"));
        QCOMPARE(reply.header("cache-control"), QByteArray("no-store"));
        QCOMPARE(reply.body, QByteArray("{\"status\":\"ok\"}"));
        // Query strings do not change the route.
        QCOMPARE(server.client().get("/healthz?probe=1").status, 200);
    }

    void readyz()
    {
        TestServer server;
        const HttpReply reply = server.client().get("/readyz");
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.header("content-type"), QByteArray("application/json"));
        QCOMPARE(reply.json(), QJsonObject({{u"status"_s, u"ok"_s}, {u"database"_s, true}}));
    }

    void metricsFormat()
    {
        TestServer server;
        const HttpReply reply = server.client().get("/metrics", kMetricsAuth);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.header("content-type"),
                 QByteArray("text/plain; version=0.0.4; charset=utf-8"));
        // Every line is a comment or `name{labels} value`.
        static const QRegularExpression line(
            u"^(# (HELP|TYPE) \\w+ .+|\\w+(\\{(\\w+=\"[^\"]*\",?)+\\})? -?[0-9.e+]+)$"_s);
        for (const QByteArray &l : reply.body.split('\n')) {
            if (!l.isEmpty())
                QVERIFY2(line.match(QString::fromUtf8(l)).hasMatch(), l.constData());
        }
        for (const char *name : {"gatehouse_requests_total", "gatehouse_request_seconds_total",
                                 "gatehouse_logins_total", "gatehouse_rejected_total",
                                 "gatehouse_open_connections", "gatehouse_uptime_seconds"})
            QVERIFY2(reply.body.contains(QByteArray("# TYPE ") + name + ' '), name);
        // The client's own connection is open while it asks.
        QVERIFY(sample(reply.body, "gatehouse_open_connections") >= 1);
    }

    // /metrics is not for anyone on the listener: only the metrics token opens it, and
    // with no token set nobody gets it.
    void metricsNeedTheToken()
    {
        TestServer server;
        HttpClient client = server.client();
        const HttpReply none = client.get("/metrics");
        QCOMPARE(none.status, 401);
        QCOMPARE(none.header("www-authenticate"), QByteArray("Bearer"));
        QVERIFY(!none.body.contains("gatehouse_"));
        QCOMPARE(client.get("/metrics", {{"Authorization", "Bearer wrong-token"}}).status, 401);
        QCOMPARE(client.get("/metrics", kMetricsAuth).status, 200);
        server.secrets().set(SecretName::metricsToken, QByteArray());
        QCOMPARE(client.get("/metrics", kMetricsAuth).status, 401);
        QCOMPARE(client.get("/metrics", {{"Authorization", "Bearer "}}).status, 401);
    }

    void countersMove()
    {
        TestServer server;
        HttpClient client = server.client();
        const QByteArray before = client.get("/metrics", kMetricsAuth).body;

        for (int i = 0; i < 3; ++i)
            QCOMPARE(client.get("/healthz").status, 200);
        QCOMPARE(client.get("/nowhere").status, 404);
        QCOMPARE(
            client.postJson("/api/auth", {{u"accessToken"_s, u"test-cli-secret:default"_s}}).status,
            200);
        QCOMPARE(client.postJson("/api/auth", {{u"accessToken"_s, u"nope:default"_s}}).status, 401);
        QCOMPARE(client.postJson("/api/auth", {{u"accessToken"_s, u"nope:default"_s}}).status, 401);
        QCOMPARE(client.request("POST", "/api/auth", "[]").status, 400);
        QCOMPARE(client.get("/api/nothing").status, 404);
        // Refused by the guard: counted apart, not as requests.
        QCOMPARE(HttpClient::parse(client.raw("BAD\r\n\r\n")).status, 400);
        QCOMPARE(HttpClient::parse(
                     client.raw("POST /api/auth HTTP/1.1\r\nContent-Length: 9999999\r\n\r\n"))
                     .status,
                 413);

        const QByteArray after = client.get("/metrics", kMetricsAuth).body;
        auto delta = [&](const QByteArray &series) {
            const double a = sample(before, series);
            const double b = sample(after, series);
            if (a < 0 || b < 0)
                return -1.0;
            return b - a;
        };
        // +3 healthz, +1 for the first /metrics (counted once it was answered).
        QCOMPARE(delta(requests("other", "2xx")), 4.0);
        QCOMPARE(delta(requests("other", "4xx")), 1.0);
        QCOMPARE(delta(requests("namespace", "2xx")), 1.0);
        QCOMPARE(delta(requests("namespace", "4xx")), 4.0); // 401, 401, 400, 404
        QCOMPARE(delta(requests("namespace", "5xx")), 0.0);
        QCOMPARE(delta("gatehouse_logins_total{surface=\"namespace\",result=\"ok\"}"), 1.0);
        QCOMPARE(delta("gatehouse_logins_total{surface=\"namespace\",result=\"failed\"}"), 2.0);
        QCOMPARE(delta("gatehouse_rejected_total{code=\"400\"}"), 1.0);
        QCOMPARE(delta("gatehouse_rejected_total{code=\"413\"}"), 1.0);
        QVERIFY(delta("gatehouse_request_seconds_total{surface=\"namespace\"}") > 0);
        QCOMPARE(quint64(sample(after, requests("other", "2xx")) +
                         sample(after, requests("other", "4xx")) +
                         sample(after, requests("namespace", "2xx")) +
                         sample(after, requests("namespace", "4xx"))),
                 server.services().metrics.requestsTotal() - 1); // the last /metrics itself
    }

    void uptimeFollowsTheClock()
    {
        TestServer server;
        const double start =
            sample(server.client().get("/metrics", kMetricsAuth).body, "gatehouse_uptime_seconds");
        QVERIFY(start >= 0);
        server.clock().advanceSecs(3600);
        const double later =
            sample(server.client().get("/metrics", kMetricsAuth).body, "gatehouse_uptime_seconds");
        QCOMPARE(later - start, 3600.0);
    }

    void openConnectionsGauge()
    {
        TestServer server;
        const double idle = sample(server.client().get("/metrics", kMetricsAuth).body,
                                   "gatehouse_open_connections");
        QCOMPARE(idle, 1.0); // just the asking connection
    }
};

QTEST_GUILESS_MAIN(TestHealth)
#include "tst_health.moc"
