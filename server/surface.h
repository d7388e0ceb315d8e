// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "anonymouslimits.h"
#include "router.h"

#include <functional>
#include <initializer_list>

class Services;

// One API surface: its route table, added to the router when the surface is on.
class Surface
{
public:
    virtual ~Surface() = default;
    virtual void addRoutes(Router &router) = 0;
};

// A public route that writes a row or sends a message for anyone who asks spends the
// caller's per-IP budget of anonymous writes (AnonymousLimits) before its handler runs.
enum class Budget { None, PerIp };

// How every surface writes its routes: one table of rows
//     {method, path, auth, runs, &Api::handler[, Budget::PerIp]}
// sharing the surface's metrics label, error shape and, where its handlers let core
// refusals through, the one function that maps them to ApiErrors.
template <typename Api> class RouteTable
{
public:
    struct Row
    {
        const char *method;
        const char16_t *path;
        Auth auth;
        Runs runs;
        Response (Api::*handler)(const Request &);
        Budget budget = Budget::None;
    };
    // Runs a handler, turning the surface's core refusals into ApiErrors.
    using Mapping = Response (*)(const std::function<Response()> &handler);

    RouteTable(Api &api, Services &services, Metrics::Surface surface, ErrorShape shape,
               Mapping mapping = nullptr)
        : m_api(api), m_services(services), m_surface(surface), m_shape(shape), m_mapping(mapping)
    {}

    void add(Router &router, std::initializer_list<Row> rows) const
    {
        for (const Row &row : rows) {
            Handler handler = [api = &m_api, call = row.handler,
                               mapping = m_mapping](const Request &request) {
                if (!mapping)
                    return (api->*call)(request);
                return mapping([&] { return (api->*call)(request); });
            };
            if (row.budget == Budget::PerIp)
                handler = AnonymousLimits::wrap(m_services, std::move(handler));
            router.add({row.method, QString::fromUtf16(row.path), row.auth, std::move(handler),
                        row.runs, m_surface, m_shape});
        }
    }

private:
    Api &m_api;
    Services &m_services;
    Metrics::Surface m_surface;
    ErrorShape m_shape;
    Mapping m_mapping;
};
