// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/request.h"
#include "http/response.h"
#include "surface.h"

class Services;

// Seed 000: POST /api/auth and POST /api/bind, errors as {"error": "..."}.
class NamespaceApi : public Surface
{
public:
    explicit NamespaceApi(Services &services) : m_services(services) {}
    void addRoutes(Router &router) override;

private:
    Response auth(const Request &request);
    Response bind(const Request &request);

    Services &m_services;
};
