// SPDX-License-Identifier: GPL-3.0-or-later
#include "surfaces/healthapi.h"

#include "crypto/digest.h"
#include "router.h"
#include "services.h"

using namespace Qt::StringLiterals;

void HealthApi::addRoutes(Router &router)
{
    const auto healthz = [](const Request &) {
        return Response::json(QJsonObject{{u"status"_s, u"ok"_s}});
    };
    // readyz touches the database: the pool, not the listener thread.
    const auto readyz = [this](const Request &) {
        const bool ready = m_services.db->ping();
        return Response::json(
            QJsonObject{{u"status"_s, ready ? u"ok"_s : u"unavailable"_s}, {u"database"_s, ready}},
            ready ? 200 : 503);
    };
    // Counters say how busy the server is and how logins go: only for the holder of the
    // metrics token (a secret: GATEHOUSE_METRICS_TOKEN or the SecretStore). Without one
    // set, nobody on the listener gets them.
    const auto metrics = [this](const Request &request) {
        const QByteArray wanted = m_services.secrets.value(SecretName::metricsToken);
        if (wanted.isEmpty() || !Digest::equal(request.bearerToken(), wanted))
            throw ApiError(401, u"metrics need Authorization: Bearer <metrics token>"_s)
                .withHeader("WWW-Authenticate", "Bearer");
        const qint64 uptime = (m_services.clock.nowMs() - m_services.startedAtMs) / 1000;
        Response r = Response::text(m_services.metrics.prometheusText(uptime));
        r.contentType = "text/plain; version=0.0.4; charset=utf-8";
        return r;
    };
    //          method  path        handler  runs          surface         error shape
    router.add({"GET", u"/healthz"_s, healthz, Runs::Inline, Metrics::Other, ErrorShape::Error});
    router.add({"GET", u"/readyz"_s, readyz, Runs::OnPool, Metrics::Other, ErrorShape::Error});
    router.add({"GET", u"/metrics"_s, metrics, Runs::Inline, Metrics::Other, ErrorShape::Error});
}
