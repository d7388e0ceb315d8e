// SPDX-License-Identifier: GPL-3.0-or-later
#include "surfaces/healthapi.h"

#include "crypto/digest.h"
#include "router.h"
#include "services.h"

using namespace Qt::StringLiterals;

void HealthApi::addRoutes(Router &router)
{
    using H = HealthApi;
    const RouteTable<H> table(*this, m_services, Metrics::Other, ErrorShape::Error);
    table.add(router, {
                          {"GET", u"/healthz", Auth::None, Runs::Inline, &H::healthz},
                          // touches the database: the pool, not the listener thread
                          {"GET", u"/readyz", Auth::None, Runs::OnPool, &H::readyz},
                          {"GET", u"/metrics", Auth::MetricsToken, Runs::Inline, &H::metrics},
                      });
}

Response HealthApi::healthz(const Request &)
{
    return Response::json(QJsonObject{{u"status"_s, u"ok"_s}});
}

Response HealthApi::readyz(const Request &)
{
    const bool ready = m_services.db->ping();
    return Response::json(
        QJsonObject{{u"status"_s, ready ? u"ok"_s : u"unavailable"_s}, {u"database"_s, ready}},
        ready ? 200 : 503);
}

// Counters say how busy the server is and how logins go: only for the holder of the
// metrics token (a secret: GATEHOUSE_METRICS_TOKEN or the SecretStore). Without one set,
// nobody on the listener gets them.
Response HealthApi::metrics(const Request &request)
{
    const QByteArray wanted = m_services.secrets.value(SecretName::metricsToken);
    if (wanted.isEmpty() || !Digest::equal(request.bearerToken(), wanted))
        throw ApiError(401, u"metrics need Authorization: Bearer <metrics token>"_s)
            .withHeader("WWW-Authenticate", "Bearer");
    const qint64 uptime = (m_services.clock.nowMs() - m_services.startedAtMs) / 1000;
    Response r = Response::text(m_services.metrics.prometheusText(uptime));
    r.contentType = "text/plain; version=0.0.4; charset=utf-8";
    return r;
}
