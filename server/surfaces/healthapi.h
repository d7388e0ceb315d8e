// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/request.h"
#include "http/response.h"
#include "surface.h"

class Services;

// GET /healthz (the process answers), GET /readyz (the database answers),
// GET /metrics (Prometheus text).
class HealthApi : public Surface
{
public:
    explicit HealthApi(Services &services) : m_services(services) {}
    void addRoutes(Router &router) override;

private:
    Response healthz(const Request &request);
    Response readyz(const Request &request);
    Response metrics(const Request &request);

    Services &m_services;
};
