// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/apierror.h"
#include "http/request.h"
#include "http/response.h"
#include "metrics.h"
#include "routeauth.h"

#include <QHash>
#include <QList>
#include <QString>
#include <functional>

// Where a handler runs: on the listener thread (fast, non-blocking work only) or on
// the bounded worker pool (argon2id, outbound HTTP, SMTP).
enum class Runs { Inline, OnPool };

using Handler = std::function<Response(const Request &)>;

// A route: method, path, the authentication it needs, handler, where it runs, and the
// surface it belongs to (its error shape and metrics label). Surfaces write them as
// rows of one table each (RouteTable in surface.h).
struct Route
{
    QByteArray method;
    QString pattern; // "/auth/session/{auth_id}"
    Auth auth = Auth::None;
    Handler handler;
    Runs runs = Runs::Inline;
    Metrics::Surface surface = Metrics::Other;
    ErrorShape shape = ErrorShape::Error;
    Metrics::RouteStats *stats = nullptr; // set by Router::attachMetrics
};

class Router
{
public:
    struct Match
    {
        const Route *route = nullptr;
        QHash<QString, QString> params;
        QList<QByteArray> allowed; // when the path exists but not for this method
    };

    // Behind a route whose auth is not None, a request without the credential gets
    // RouteAuth::missingCredential() before the handler runs.
    void add(Route route);
    // Shape for errors outside any route (404, guard rejections), by path prefix.
    void addPrefix(const QString &prefix, ErrorShape shape, Metrics::Surface surface);
    Match match(const QByteArray &method, const QString &path) const;
    // Gives every route its counters and latency histogram, labelled by its pattern.
    void attachMetrics(Metrics &metrics);
    ErrorShape shapeFor(QStringView path) const;
    Metrics::Surface surfaceFor(QStringView path) const;
    // Every route, in the order added (tests walk it).
    const QList<Route> &routes() const { return m_routes; }

private:
    static bool matches(const QStringList &pattern, const QList<QStringView> &path,
                        QHash<QString, QString> *params);
    QList<Route> m_routes;
    QHash<QString, QList<int>> m_exact; // literal patterns, by path
    QList<std::pair<QStringList, int>> m_patterned;
    struct Prefix
    {
        QString prefix;
        ErrorShape shape;
        Metrics::Surface surface;
    };
    QList<Prefix> m_prefixes;
};
