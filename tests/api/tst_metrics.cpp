// SPDX-License-Identifier: GPL-3.0-or-later
// GET /metrics read as a Prometheus scraper would, strictly: every sample's family has
// HELP and TYPE before it, label values are escaped, histogram buckets rise to +Inf
// which equals _count. And the per-route series move with the traffic: counters by status
// class (429 apart), latency histograms, login outcomes, DB statement timings.
#include "metrics.h"
#include "services.h"
#include "testserver.h"

#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QList<std::pair<QByteArray, QByteArray>> kAuth = {
    {"Authorization", QByteArray("Bearer ") + TestServer::kMetricsToken}};

struct Sample
{
    QByteArray name;
    QList<std::pair<QByteArray, QByteArray>> labels; // unescaped values
    double value = 0;
};

// Parses `name{a="x",b="y"} value`; false on anything a strict parser would refuse.
bool parseSample(const QByteArray &line, Sample *out)
{
    static const QRegularExpression name(u"^[a-zA-Z_:][a-zA-Z0-9_:]*"_s);
    const QString text = QString::fromUtf8(line);
    const auto m = name.match(text);
    if (!m.hasMatch())
        return false;
    out->name = m.captured().toUtf8();
    qsizetype i = m.capturedLength();
    if (i < text.size() && text[i] == u'{') {
        ++i;
        while (i < text.size() && text[i] != u'}') {
            const qsizetype eq = text.indexOf(u"=\""_s, i);
            if (eq < 0)
                return false;
            const QByteArray key = text.mid(i, eq - i).toUtf8();
            QByteArray value;
            qsizetype j = eq + 2;
            for (; j < text.size() && text[j] != u'"'; ++j) {
                if (text[j] == u'\\') {
                    if (++j >= text.size())
                        return false;
                    const QChar e = text[j];
                    if (e == u'n')
                        value += '\n';
                    else if (e == u'\\' || e == u'"')
                        value += char(e.unicode());
                    else
                        return false; // no other escapes exist
                } else if (text[j] == u'\n') {
                    return false;
                } else {
                    value += QString(text[j]).toUtf8();
                }
            }
            if (j >= text.size())
                return false;
            out->labels.append({key, value});
            i = j + 1;
            if (i < text.size() && text[i] == u',')
                ++i;
        }
        if (i >= text.size())
            return false;
        ++i; // '}'
    }
    if (i >= text.size() || text[i] != u' ')
        return false;
    bool ok = false;
    const QString number = text.mid(i + 1);
    out->value = number == u"+Inf" ? qInf() : number.toDouble(&ok);
    return ok || number == u"+Inf";
}

QByteArray familyOf(const QByteArray &name, const QHash<QByteArray, QByteArray> &types)
{
    for (const char *suffix : {"_bucket", "_sum", "_count"})
        if (name.endsWith(suffix)) {
            const QByteArray base = name.left(name.size() - qstrlen(suffix));
            if (types.value(base) == "histogram")
                return base;
        }
    return name;
}

QByteArray withoutLe(const Sample &s)
{
    QByteArray key;
    for (const auto &[k, v] : s.labels)
        if (k != "le")
            key += k + '=' + v + ';';
    return key;
}

// Every check a strict scraper makes; returns the first problem, empty if none.
QString strictProblem(const QByteArray &text, QList<Sample> *samples)
{
    QHash<QByteArray, QByteArray> types;
    QSet<QByteArray> helps;
    QHash<QByteArray, QList<Sample>> buckets; // family + labels -> buckets in order
    QHash<QByteArray, double> counts;
    if (!text.endsWith('\n'))
        return u"no final newline"_s;
    for (const QByteArray &line : text.split('\n')) {
        if (line.isEmpty())
            continue;
        if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
            const QList<QByteArray> parts = line.split(' ');
            if (parts.size() < 4)
                return u"short comment: "_s + QString::fromUtf8(line);
            if (line.startsWith("# HELP ")) {
                if (helps.contains(parts[2]))
                    return u"HELP twice: "_s + QString::fromUtf8(parts[2]);
                helps.insert(parts[2]);
            } else {
                if (types.contains(parts[2]))
                    return u"TYPE twice: "_s + QString::fromUtf8(parts[2]);
                if (!QByteArrayList{"counter", "gauge", "histogram"}.contains(parts[3]))
                    return u"odd TYPE: "_s + QString::fromUtf8(line);
                types.insert(parts[2], parts[3]);
            }
            continue;
        }
        if (line.startsWith('#'))
            return u"stray comment: "_s + QString::fromUtf8(line);
        Sample s;
        if (!parseSample(line, &s))
            return u"unparsable: "_s + QString::fromUtf8(line);
        const QByteArray family = familyOf(s.name, types);
        if (!types.contains(family) || !helps.contains(family))
            return u"no HELP/TYPE before: "_s + QString::fromUtf8(line);
        if (types[family] == "counter" && !family.endsWith("_total"))
            return u"counter without _total: "_s + QString::fromUtf8(family);
        if (types[family] == "histogram") {
            const QByteArray key = family + '|' + withoutLe(s);
            if (s.name.endsWith("_bucket"))
                buckets[key].append(s);
            else if (s.name.endsWith("_count"))
                counts[key] = s.value;
        }
        samples->append(s);
    }
    for (auto it = buckets.cbegin(); it != buckets.cend(); ++it) {
        double lastLe = -1, lastCount = -1;
        for (const Sample &b : *it) {
            QByteArray le;
            for (const auto &[k, v] : b.labels)
                if (k == "le")
                    le = v;
            const double bound = le == "+Inf" ? qInf() : le.toDouble();
            if (le.isEmpty() || bound <= lastLe || b.value < lastCount)
                return u"buckets not rising: "_s + QString::fromUtf8(it.key());
            lastLe = bound;
            lastCount = b.value;
        }
        if (!qIsInf(lastLe))
            return u"no +Inf bucket: "_s + QString::fromUtf8(it.key());
        if (!counts.contains(it.key()) || counts[it.key()] != lastCount)
            return u"+Inf differs from _count: "_s + QString::fromUtf8(it.key());
    }
    return {};
}

double valueOf(const QList<Sample> &samples, const QByteArray &name,
               const QList<std::pair<QByteArray, QByteArray>> &labels)
{
    for (const Sample &s : samples) {
        if (s.name != name)
            continue;
        bool all = true;
        for (const auto &wanted : labels)
            all = all && s.labels.contains(wanted);
        if (all)
            return s.value;
    }
    return -1;
}

QList<Sample> scrape(TestServer &server)
{
    const HttpReply reply = server.client().get("/metrics", kAuth);
    QList<Sample> samples;
    const QString problem = strictProblem(reply.body, &samples);
    if (!problem.isEmpty())
        qWarning("%s", qPrintable(problem));
    return problem.isEmpty() ? samples : QList<Sample>{};
}

using Labels = QList<std::pair<QByteArray, QByteArray>>;
const Labels kMe = {{"surface", "account"}, {"method", "GET"}, {"route", "/api/auth/me"}};

Labels plus(Labels labels, const QByteArray &key, const QByteArray &value)
{
    labels.append({key, value});
    return labels;
}

} // namespace

class TestMetrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void textFormatIsStrict()
    {
        TestServer server;
        server.client().get("/api/auth/me");
        server.client().get("/nowhere");
        // A label value with every character that needs escaping.
        server.services().metrics.registerRoute(Metrics::Other, "GET", u"/odd\"\\\n{x}"_s);
        const HttpReply reply = server.client().get("/metrics", kAuth);
        QCOMPARE(reply.status, 200);
        QVERIFY(reply.header("content-type").startsWith("text/plain"));
        QList<Sample> samples;
        const QString problem = strictProblem(reply.body, &samples);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QVERIFY(reply.body.contains("route=\"/odd\\\"\\\\\\n{x}\""));
        QVERIFY(valueOf(samples, "gatehouse_http_requests_total",
                        {{"route", "/odd\"\\\n{x}"}, {"code", "2xx"}}) == 0);
        // The parser above is strict: it refuses what a scraper refuses.
        QVERIFY(!strictProblem("gatehouse_x 1\n", &samples).isEmpty());
        QVERIFY(!strictProblem("# HELP a_total h\n# TYPE a_total counter\na_total{l=\"\\q\"} 1\n",
                               &samples)
                     .isEmpty());
        QVERIFY(!strictProblem("# HELP h h\n# TYPE h histogram\nh_bucket{le=\"1\"} 2\n"
                               "h_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n",
                               &samples)
                     .isEmpty());
        QVERIFY(!strictProblem("# HELP h h\n# TYPE h histogram\nh_bucket{le=\"1\"} 1\n"
                               "h_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 3\n",
                               &samples)
                     .isEmpty());
    }

    void escapeLabel()
    {
        QCOMPARE(Metrics::escapeLabel("plain"), QByteArray("plain"));
        QCOMPARE(Metrics::escapeLabel("a\"b\\c\nd"), QByteArray("a\\\"b\\\\c\\nd"));
    }

    void routeCounterAndHistogramMove()
    {
        TestServer server;
        const QList<Sample> before = scrape(server);
        QVERIFY(!before.isEmpty());
        for (int i = 0; i < 3; ++i)
            QCOMPARE(server.client().get("/api/auth/me").status, 401);
        const QList<Sample> after = scrape(server);
        QVERIFY(!after.isEmpty());
        const auto delta = [&](const QByteArray &name, const Labels &labels) {
            return valueOf(after, name, labels) - valueOf(before, name, labels);
        };
        QCOMPARE(delta("gatehouse_http_requests_total", plus(kMe, "code", "4xx")), 3.0);
        QCOMPARE(delta("gatehouse_http_requests_total", plus(kMe, "code", "2xx")), 0.0);
        QCOMPARE(delta("gatehouse_http_request_duration_seconds_count", kMe), 3.0);
        QCOMPARE(delta("gatehouse_http_request_duration_seconds_bucket", plus(kMe, "le", "+Inf")),
                 3.0);
        QVERIFY(delta("gatehouse_http_request_duration_seconds_sum", kMe) > 0);
        // The raw path is never a label: a route with an id in it counts under its pattern.
        QCOMPARE(server.client().get("/auth/session/secret-looking-id").status, 400);
        const HttpReply text = server.client().get("/metrics", kAuth);
        QVERIFY(text.body.contains("route=\"/auth/session/{auth_id}\""));
        QVERIFY(!text.body.contains("secret-looking-id"));
        // Every statement is timed.
        QVERIFY(delta("gatehouse_db_query_duration_seconds_count", {}) > 0);
    }

    void tooManyRequestsCountApart()
    {
        TestServer server([](Settings &s) { s.anonymousWritesPerMinute = 1; });
        const Labels reset = {{"route", "/api/auth/send-password-reset-link"}};
        const QList<Sample> before = scrape(server);
        const QJsonObject body{{u"email"_s, u"nobody@example.com"_s}};
        QCOMPARE(server.client().postJson("/api/auth/send-password-reset-link", body).status, 200);
        QCOMPARE(server.client().postJson("/api/auth/send-password-reset-link", body).status, 429);
        const QList<Sample> after = scrape(server);
        const auto delta = [&](const QByteArray &code) {
            const Labels labels = plus(reset, "code", code);
            return valueOf(after, "gatehouse_http_requests_total", labels) -
                   valueOf(before, "gatehouse_http_requests_total", labels);
        };
        QCOMPARE(delta("2xx"), 1.0);
        QCOMPARE(delta("429"), 1.0);
        QCOMPARE(delta("4xx"), 0.0);
    }

    void loginOutcomes()
    {
        TestServer server;
        QVERIFY(server.services().pinAuth.setPin(u"ann"_s, u"0000"_s, true, u"t"_s).ok());
        const auto pin = [&](const QString &code) {
            return server.client()
                .postJson("/auth/login", {{u"name"_s, u"ann"_s}, {u"pin"_s, code}})
                .status;
        };
        const QList<Sample> before = scrape(server);
        QCOMPARE(pin(u"0000"_s), 200);
        for (int i = 0; i < 5; ++i)
            QCOMPARE(pin(u"1111"_s), 401);
        QCOMPARE(pin(u"0000"_s), 429); // locked
        QCOMPARE(server.client()
                     .postJson("/api/auth", {{u"accessToken"_s, u"test-cli-secret:default"_s}})
                     .status,
                 200);
        const QList<Sample> after = scrape(server);
        const auto delta = [&](const QByteArray &surface, const QByteArray &outcome) {
            const Labels labels{{"surface", surface}, {"outcome", outcome}};
            return valueOf(after, "gatehouse_login_outcomes_total", labels) -
                   valueOf(before, "gatehouse_login_outcomes_total", labels);
        };
        QCOMPARE(delta("pin", "success"), 1.0);
        QCOMPARE(delta("pin", "refused"), 5.0);
        QCOMPARE(delta("pin", "rate_limited"), 1.0);
        QCOMPARE(delta("namespace", "success"), 1.0);
        QCOMPARE(delta("namespace", "refused"), 0.0);
    }

    void gaugesAreThere()
    {
        TestServer server;
        const QList<Sample> samples = scrape(server);
        QCOMPARE(valueOf(samples, "gatehouse_open_connections", {}), 1.0);
        QCOMPARE(valueOf(samples, "gatehouse_outbox_queued", {}), 0.0);
        QCOMPARE(valueOf(samples, "gatehouse_outbox_send_failures_total", {}), 0.0);
        QCOMPARE(valueOf(samples, "gatehouse_rejected_total", {{"code", "429"}}), 0.0);
    }
};

QTEST_GUILESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
